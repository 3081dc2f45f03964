/**
 * The bundle's training baseline as a row of FEATURE_BASELINE (sql/V000004): per feature, the
 * mean and standard deviation the scaler learnt from the training split's normal payments. The
 * drift monitor standardises live features with it, so a shift shows in baseline standard
 * deviations. Written with INSERT ... VALUES, so it works against any ksqlDB server.
 */
import type { KsqlDbClient } from '../ksql/client.js';
import type { BundleManifest } from '../model/bundle.js';

export const BASELINE_TABLE = 'FEATURE_BASELINE';

/** The INSERT statement for a bundle's baseline. */
export function baselineInsert(manifest: BundleManifest): string {
  const { features, mean, std } = manifest.scaler;
  const columns = ['ROWTIME', 'MODEL_NAME', 'MODEL_VERSION', ...features.flatMap((f) => [`${f.toUpperCase()}_MEAN`, `${f.toUpperCase()}_STD`])];
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const number = (x: number) => {
    if (!Number.isFinite(x)) throw new Error(`the bundle's baseline holds ${x}, which SQL cannot carry`);
    // A DOUBLE literal (an integer literal would be INT and need a cast).
    return Number.isInteger(x) ? `${x}.0` : String(x);
  };
  // ROWTIME 0: the baseline holds for every event time, so the stream-table join finds it
  // for historical payments too.
  const values = ['0', quote(manifest.name), quote(manifest.version), ...features.flatMap((_, i) => [number(mean[i]!), number(std[i]!)])];
  return `INSERT INTO ${BASELINE_TABLE} (${columns.join(', ')}) VALUES (${values.join(', ')});`;
}

export async function publishFeatureBaseline(client: KsqlDbClient, manifest: BundleManifest): Promise<void> {
  await client.execute(baselineInsert(manifest));
}
