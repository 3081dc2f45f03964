import { cp, mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalKsqlDb, type LocalKsqlDb } from '../../src/engine/embedded.js';
import { KsqlDbClient } from '../../src/ksql/index.js';
import { deploy, readMigrations } from '../../src/pipeline/migrations.js';
import { DEFAULT_PIPELINE_VARIABLES } from '../../src/pipeline/pipeline-config.js';

const SQL_DIR = path.resolve(import.meta.dirname, '../../sql');
let server: LocalKsqlDb;
let client: KsqlDbClient;
let tmp: string;

beforeEach(async () => {
  server = await startLocalKsqlDb();
  client = new KsqlDbClient({ url: server.url });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
});
afterEach(async () => {
  await client.close();
  await server.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('deploying sql/ as ksql-migrations', () => {
  it('applies the pipeline once; a second deploy changes nothing', async () => {
    const files = await readMigrations(SQL_DIR);
    const first = await deploy(client, SQL_DIR, { variables: DEFAULT_PIPELINE_VARIABLES });
    expect(first.applied.map((m) => m.file)).toEqual(files.map((f) => f.file));
    const streams = (await client.listStreams()).map((s) => s.name).sort();
    expect(streams).toEqual(expect.arrayContaining(['MIGRATION_EVENTS', 'PAYMENTS_FEATURES', 'PAYMENTS_RAW']));
    const queriesBefore = await client.listQueries();
    const eventsBefore = await client.query('SELECT * FROM MIGRATION_EVENTS;');

    const second = await deploy(client, SQL_DIR, { variables: DEFAULT_PIPELINE_VARIABLES });
    expect(second.applied).toEqual([]);
    expect(second.skipped).toHaveLength(files.length);
    expect(await client.listQueries()).toEqual(queriesBefore);
    expect((await client.query('SELECT * FROM MIGRATION_EVENTS;')).rows).toEqual(eventsBefore.rows);

    // ksql-migrations' own view of the state: the latest event per version says MIGRATED.
    const versions = await client.query(
      "SELECT VERSION, NAME, STATE, PREVIOUS FROM MIGRATION_EVENTS WHERE VERSION_KEY <> 'CURRENT' AND STATE = 'MIGRATED';",
    );
    expect(versions.rows).toEqual(files.map((f, i) => [String(f.version), f.name, 'MIGRATED', i === 0 ? '<none>' : String(files[i - 1]!.version)]));
  });

  it('refuses a migration edited after it was applied', async () => {
    await cp(SQL_DIR, tmp, { recursive: true });
    await deploy(client, tmp, { variables: DEFAULT_PIPELINE_VARIABLES });
    await appendFile(path.join(tmp, 'V000001__payments_raw.sql'), '\n-- edited\n');
    await expect(deploy(client, tmp, { variables: DEFAULT_PIPELINE_VARIABLES })).rejects.toThrow(
      /V000001__payments_raw\.sql was changed after it was applied/,
    );
  });

  it('records a failing migration as ERROR and stops there', async () => {
    await writeFile(path.join(tmp, 'V000001__good.sql'), "CREATE STREAM A (ID INT KEY, X INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);\n");
    await writeFile(path.join(tmp, 'V000002__bad.sql'), 'CREATE STREAM B AS SELECT * FROM NOPE;\n');
    await writeFile(path.join(tmp, 'V000003__never.sql'), "CREATE STREAM C (ID INT KEY) WITH (KAFKA_TOPIC='c', VALUE_FORMAT='JSON', PARTITIONS=1);\n");
    await expect(deploy(client, tmp)).rejects.toThrow(/V000002__bad\.sql failed: .*NOPE/);
    const events = await client.query("SELECT VERSION, STATE, ERROR_REASON FROM MIGRATION_EVENTS WHERE VERSION_KEY = '2';");
    expect(events.rows.map((r) => r[1])).toEqual(['RUNNING', 'ERROR']);
    expect(String(events.rows[1]![2])).toMatch(/NOPE/);
    expect((await client.listStreams()).map((s) => s.name)).not.toContain('C');
  });

  it('dry-runs without touching the server and rejects badly named files', async () => {
    const dry = await deploy(client, SQL_DIR, { dryRun: true, variables: DEFAULT_PIPELINE_VARIABLES });
    expect(dry.applied.length).toBeGreaterThan(0);
    expect(await client.listStreams()).toEqual([]);
    await writeFile(path.join(tmp, 'create_users.sql'), 'SHOW STREAMS;');
    await expect(readMigrations(tmp)).rejects.toThrow(/V<six digits>__<description>\.sql/);
  });
});
