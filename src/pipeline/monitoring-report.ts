/**
 * What the monitoring tables of sql/V000004 say, read with pull queries as a dashboard would:
 * the hourly score statistics, the feature that drifted most from its training baseline, and
 * the users with the most alerts in an hour.
 */
import type { KsqlDbClient } from '../ksql/client.js';

export interface MonitoringReport {
  /** Hourly windows of SCORE_STATS_HOURLY. */
  readonly hours: number;
  /** The hour with the highest alert rate. */
  readonly peakAlertRate: { readonly windowStart: number; readonly rate: number; readonly payments: number } | undefined;
  /** The largest |shift| of a feature in an hour, in baseline standard deviations. */
  readonly largestShift: { readonly feature: string; readonly windowStart: number; readonly shift: number } | undefined;
  /** Most alerts for one (masked) user in one hour. */
  readonly busiestUser: { readonly user: string; readonly windowStart: number; readonly alerts: number } | undefined;
}

const rowsOf = async (client: KsqlDbClient, sql: string): Promise<Record<string, unknown>[]> => {
  const result = await client.query(sql);
  return result.rows.map((r) => Object.fromEntries(result.columnNames.map((c, i) => [c, r[i]])));
};

export async function monitoringReport(client: KsqlDbClient): Promise<MonitoringReport> {
  const stats = await rowsOf(client, 'SELECT WINDOWSTART, PAYMENTS, ALERT_RATE FROM SCORE_STATS_HOURLY;');
  const drift = await rowsOf(client, 'SELECT * FROM FEATURE_DRIFT_HOURLY;');
  const users = await rowsOf(client, 'SELECT USER_MASKED, WINDOWSTART, ALERTS FROM ALERTS_PER_USER_HOURLY;');

  let peakAlertRate: MonitoringReport['peakAlertRate'];
  for (const s of stats) {
    const rate = Number(s.ALERT_RATE);
    if (peakAlertRate === undefined || rate > peakAlertRate.rate) {
      peakAlertRate = { windowStart: Number(s.WINDOWSTART), rate, payments: Number(s.PAYMENTS) };
    }
  }
  let largestShift: MonitoringReport['largestShift'];
  for (const d of drift) {
    for (const [column, value] of Object.entries(d)) {
      if (!column.endsWith('_SHIFT') || value === null) continue;
      const shift = Number(value);
      if (largestShift === undefined || Math.abs(shift) > Math.abs(largestShift.shift)) {
        largestShift = { feature: column.slice(0, -'_SHIFT'.length), windowStart: Number(d.WINDOWSTART), shift };
      }
    }
  }
  let busiestUser: MonitoringReport['busiestUser'];
  for (const u of users) {
    const alerts = Number(u.ALERTS);
    if (busiestUser === undefined || alerts > busiestUser.alerts) {
      busiestUser = { user: String(u.USER_MASKED), windowStart: Number(u.WINDOWSTART), alerts };
    }
  }
  return { hours: stats.length, peakAlertRate, largestShift, busiestUser };
}
