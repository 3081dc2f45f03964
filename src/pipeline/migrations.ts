/**
 * Deploys the SQL pipeline (`sql/V<6 digits>__<description>.sql`) to any ksqlDB-compatible
 * server, keeping ksql-migrations' own metadata so the real `ksql-migrations` tool reads the
 * same state: a MIGRATION_EVENTS stream with two events per state change (version_key
 * 'CURRENT' and the version), and, where the server supports tables, the
 * MIGRATION_SCHEMA_VERSIONS table over it. Applying twice is a no-op.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { splitStatements } from '../engine/parser/lexer.js';
import { KsqlDbError } from '../ksql/errors.js';
import type { KsqlDbClient } from '../ksql/client.js';

export interface MigrationFile {
  readonly version: number;
  /** The description with '_' shown as spaces, as ksql-migrations names it. */
  readonly name: string;
  readonly file: string;
  readonly checksum: string;
  readonly sql: string;
}

export interface MigrationsConfig {
  /** Default MIGRATION_EVENTS. */
  readonly streamName?: string;
  /** Default MIGRATION_SCHEMA_VERSIONS. */
  readonly tableName?: string;
  /** Default `default_ksql_<stream name>` (ksql.service.id 'default_' + 'ksql_' + name). */
  readonly streamTopic?: string;
  readonly tableTopic?: string;
  readonly replicas?: number;
}

export interface AppliedMigration {
  readonly version: number;
  readonly state: string;
  readonly checksum: string;
}

export interface DeployResult {
  readonly applied: MigrationFile[];
  readonly skipped: MigrationFile[];
  /** Set when the server could not create the metadata table (e.g. no table support yet). */
  readonly tableWarning?: string;
}

const FILE_PATTERN = /^V([0-9]{6})__(.+)\.sql$/;

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: MigrationFile[] = [];
  for (const file of files) {
    const m = FILE_PATTERN.exec(file);
    if (!m) throw new MigrationError(`${file}: migration files are named V<six digits>__<description>.sql`);
    const version = Number(m[1]);
    if (version === 0) throw new MigrationError(`${file}: versions start at 1`);
    if (migrations.some((x) => x.version === version)) throw new MigrationError(`${file}: version ${version} is used twice`);
    const sql = await readFile(path.join(dir, file), 'utf8');
    migrations.push({
      version,
      name: m[2]!.replace(/_/g, ' '),
      file,
      checksum: createHash('md5').update(sql).digest('hex'),
      sql,
    });
  }
  return migrations;
}

function names(config: MigrationsConfig) {
  const stream = config.streamName ?? 'MIGRATION_EVENTS';
  const table = config.tableName ?? 'MIGRATION_SCHEMA_VERSIONS';
  return {
    stream,
    table,
    streamTopic: config.streamTopic ?? `default_ksql_${stream}`,
    tableTopic: config.tableTopic ?? `default_ksql_${table}`,
    replicas: config.replicas ?? 1,
  };
}

/** ksql-migrations' initialize-metadata, idempotent. */
export async function initializeMetadata(client: KsqlDbClient, config: MigrationsConfig = {}): Promise<string | undefined> {
  const n = names(config);
  await client.execute(
    `CREATE STREAM IF NOT EXISTS ${n.stream} (
       version_key STRING KEY, version STRING, name STRING, state STRING, checksum STRING,
       started_on STRING, completed_on STRING, previous STRING, error_reason STRING
     ) WITH (KAFKA_TOPIC='${n.streamTopic}', VALUE_FORMAT='JSON', PARTITIONS=1, REPLICAS=${n.replicas});`,
  );
  try {
    await client.execute(
      `CREATE TABLE IF NOT EXISTS ${n.table} WITH (KAFKA_TOPIC='${n.tableTopic}') AS SELECT
         version_key, latest_by_offset(version) AS version, latest_by_offset(name) AS name,
         latest_by_offset(state) AS state, latest_by_offset(checksum) AS checksum,
         latest_by_offset(started_on) AS started_on, latest_by_offset(completed_on) AS completed_on,
         latest_by_offset(previous) AS previous, latest_by_offset(error_reason) AS error_reason
       FROM ${n.stream} GROUP BY version_key;`,
      { properties: { 'auto.offset.reset': 'earliest' } },
    );
    return undefined;
  } catch (err) {
    // An engine without table support still records every event in the stream, which is
    // the source of truth; the table is a materialised view of it.
    if (err instanceof KsqlDbError && err.message.startsWith('Unsupported:')) {
      return `${n.table} not created: ${err.message}`;
    }
    throw err;
  }
}

/** The latest event per version, read with a pull query on the events stream. */
export async function appliedMigrations(client: KsqlDbClient, config: MigrationsConfig = {}): Promise<Map<number, AppliedMigration>> {
  const n = names(config);
  const result = await client.query(`SELECT VERSION_KEY, STATE, CHECKSUM FROM ${n.stream};`);
  const latest = new Map<number, AppliedMigration>();
  for (const [key, state, checksum] of result.rows as [string, string, string][]) {
    if (key === 'CURRENT') continue;
    latest.set(Number(key), { version: Number(key), state, checksum });
  }
  return latest;
}

export interface DeployOptions extends MigrationsConfig {
  readonly dryRun?: boolean;
  /** Apply migrations up to this version only (ksql-migrations' `apply --until`). */
  readonly until?: number;
  /** Variables for `${name}` in the files (sent as sessionVariables, like the Java client). */
  readonly variables?: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

/** Applies every migration not yet MIGRATED, in version order; stops at the first failure. */
export async function deploy(client: KsqlDbClient, dir: string, opts: DeployOptions = {}): Promise<DeployResult> {
  const log = opts.log ?? (() => undefined);
  const now = opts.now ?? Date.now;
  const n = names(opts);
  const migrations = (await readMigrations(dir)).filter((m) => opts.until === undefined || m.version <= opts.until);
  const tableWarning = opts.dryRun ? undefined : await initializeMetadata(client, opts);
  if (tableWarning) log(`warning: ${tableWarning}`);
  const applied = opts.dryRun ? await appliedOrEmpty(client, opts) : await appliedMigrations(client, opts);

  const result: { applied: MigrationFile[]; skipped: MigrationFile[] } = { applied: [], skipped: [] };
  let previous = '<none>';
  for (const migration of migrations) {
    const state = applied.get(migration.version);
    if (state?.state === 'MIGRATED') {
      if (state.checksum !== migration.checksum) {
        throw new MigrationError(
          `${migration.file} was changed after it was applied (checksum ${state.checksum} applied, ${migration.checksum} now); add a new migration instead`,
        );
      }
      result.skipped.push(migration);
      previous = String(migration.version);
      continue;
    }
    if (opts.dryRun) {
      log(`would apply ${migration.file}`);
      result.applied.push(migration);
      previous = String(migration.version);
      continue;
    }
    log(`applying ${migration.file}`);
    const startedOn = String(now());
    const event = (st: string, completedOn: string, errorReason: string) => ({
      VERSION: String(migration.version),
      NAME: migration.name,
      STATE: st,
      CHECKSUM: migration.checksum,
      STARTED_ON: startedOn,
      COMPLETED_ON: completedOn,
      PREVIOUS: previous,
      ERROR_REASON: errorReason,
    });
    const record = (st: string, completedOn = '', errorReason = 'N/A') =>
      client.insertRows(n.stream, [
        { VERSION_KEY: 'CURRENT', ...event(st, completedOn, errorReason) },
        { VERSION_KEY: String(migration.version), ...event(st, completedOn, errorReason) },
      ]);
    await record('RUNNING');
    try {
      await applyStatements(client, migration, opts.variables ?? {});
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      await record('ERROR', String(now()), reason);
      throw new MigrationError(`${migration.file} failed: ${reason}`);
    }
    await record('MIGRATED', String(now()));
    result.applied.push(migration);
    previous = String(migration.version);
  }
  return { ...result, ...(tableWarning ? { tableWarning } : {}) };
}

async function appliedOrEmpty(client: KsqlDbClient, opts: MigrationsConfig): Promise<Map<number, AppliedMigration>> {
  try {
    return await appliedMigrations(client, opts);
  } catch {
    return new Map(); // a dry run against a server that was never deployed to
  }
}

/**
 * Runs a file's statements one by one, as ksql-migrations does: SET/UNSET become properties
 * and DEFINE/UNDEFINE variables of the following requests; everything else goes to /ksql.
 */
async function applyStatements(client: KsqlDbClient, migration: MigrationFile, variables: Readonly<Record<string, string>>): Promise<void> {
  const properties: Record<string, string> = {};
  const sessionVariables: Record<string, string> = { ...variables };
  for (const statement of splitStatements(migration.sql)) {
    const text = withoutLeadingComments(statement);
    if (!text || text === ';') continue;
    const set = /^SET\s+'([^']+)'\s*=\s*'((?:[^']|'')*)'\s*;?$/is.exec(text);
    const unset = /^UNSET\s+'([^']+)'\s*;?$/is.exec(text);
    const define = /^DEFINE\s+(\w+)\s*=\s*'((?:[^']|'')*)'\s*;?$/is.exec(text);
    const undefine = /^UNDEFINE\s+(\w+)\s*;?$/is.exec(text);
    if (set) properties[set[1]!] = set[2]!.replace(/''/g, "'");
    else if (unset) delete properties[unset[1]!];
    else if (define) sessionVariables[define[1]!] = define[2]!.replace(/''/g, "'");
    else if (undefine) delete sessionVariables[undefine[1]!];
    else await client.execute(text, { properties, sessionVariables });
  }
}

/** Comments before a statement would hide its leading keyword from the checks above. */
function withoutLeadingComments(statement: string): string {
  let text = statement.trim();
  for (;;) {
    if (text.startsWith('--')) {
      const nl = text.indexOf('\n');
      text = nl < 0 ? '' : text.slice(nl + 1).trim();
    } else if (text.startsWith('/*')) {
      const end = text.indexOf('*/');
      text = end < 0 ? '' : text.slice(end + 2).trim();
    } else {
      return text;
    }
  }
}
