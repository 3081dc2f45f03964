/**
 * How good the alerts are, asked of ksqlDB as any user would: the alerts stream (the CSAS over
 * the scores) against the labels the scores carry through. Labels exist for the historical
 * data only; production payments are unlabelled and count as neither.
 */
import type { KsqlDbClient } from '../ksql/client.js';
import { ALERTS_STREAM, SCORES_STREAM } from './pipeline-config.js';

export interface AlertReport {
  readonly alerts: number;
  /** Alerts on labelled frauds. */
  readonly truePositives: number;
  /** Labelled frauds among the scored payments. */
  readonly frauds: number;
  /** Of the labelled alerts, the share that are frauds (NaN without labelled alerts). */
  readonly precision: number;
  /** Of the labelled frauds, the share alerted on (NaN without labelled frauds). */
  readonly recall: number;
}

export async function alertReport(client: KsqlDbClient): Promise<AlertReport> {
  const alerts = (await client.query(`SELECT LABEL FROM ${ALERTS_STREAM};`)).rows.map((r) => r[0]);
  const frauds = (await client.query(`SELECT ID FROM ${SCORES_STREAM} WHERE LABEL = 1;`)).rows.length;
  const truePositives = alerts.filter((label) => label === 1).length;
  const labelledAlerts = alerts.filter((label) => label === 0 || label === 1).length;
  return {
    alerts: alerts.length,
    truePositives,
    frauds,
    precision: labelledAlerts === 0 ? NaN : truePositives / labelledAlerts,
    recall: frauds === 0 ? NaN : truePositives / frauds,
  };
}
