/**
 * `ksml demo`: starts the embedded engine over a file log and walks through ksqlDB's basics
 * over its REST API with the project's client: a stream, inserts, a persistent query, a push
 * query with LIMIT and a pull query.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { startLocalKsqlDb } from '../../engine/embedded.js';
import { createCommandLogger } from '../../logging.js';
import { KsqlDbClient } from '../../ksql/client.js';

export interface DemoOptions {
  readonly dataDir: string;
  readonly port: number;
}

export async function runDemo(opts: DemoOptions, out: (line: string) => void = console.log): Promise<void> {
  // The demo always starts from an empty log so that it can be run again and again.
  await rm(opts.dataDir, { recursive: true, force: true });
  // The walkthrough's own lines go to stdout, the engine's log to stderr.
  const logger = createCommandLogger('ksqldb');
  const server = await startLocalKsqlDb({ dataDir: opts.dataDir, port: opts.port, logger });
  const client = new KsqlDbClient({ url: server.url });
  try {
    const info = await client.info();
    out(`Local engine (ksqlDB ${info.version} compatible) at ${server.url}, data in ${opts.dataDir}`);

    await step(out, 'Create a stream of payments', () =>
      client.execute(
        `CREATE STREAM demo_payments (id BIGINT KEY, user_name VARCHAR, amount DOUBLE)
           WITH (kafka_topic='demo_payments', value_format='JSON', partitions=1);`,
      ),
    );

    await step(out, 'Insert five payments', async () => {
      const rows: Array<[number, string, number]> = [
        [1, 'Kai', 12.5],
        [2, 'Hans', 250.0],
        [3, 'Anna', 1499.99],
        [4, 'Kai', 89.9],
        [5, 'Mia', 310.0],
      ];
      for (const [id, user, amount] of rows) {
        await client.execute(`INSERT INTO demo_payments (id, user_name, amount) VALUES (${id}, '${user}', ${amount});`);
      }
      return `${rows.length} rows`;
    });

    await step(out, 'Persistent query: payments over 100 into a new stream', async () => {
      const [entity] = await client.execute(
        `CREATE STREAM demo_large_payments AS
           SELECT id, user_name, amount, amount * 0.01 AS fee FROM demo_payments WHERE amount > 100 EMIT CHANGES;`,
        // As in ksqlDB, a new query starts at the end of its source; read the rows inserted above too.
        { properties: { 'auto.offset.reset': 'earliest' } },
      );
      return entity?.commandStatus?.message;
    });

    await step(out, 'Push query with LIMIT 2 (from the earliest offset)', async () => {
      const result = await client.query('SELECT * FROM demo_large_payments EMIT CHANGES LIMIT 2;', {
        properties: { 'auto.offset.reset': 'earliest' },
      });
      return table(result.columnNames, result.rows);
    });

    await step(out, "Pull query: Kai's payments", async () => {
      const result = await client.query(`SELECT id, amount FROM demo_payments WHERE user_name = 'Kai';`);
      return table(result.columnNames, result.rows);
    });

    await step(out, 'Streams and queries', async () => {
      const streams = await client.listStreams();
      const queries = await client.listQueries();
      return [
        ...streams.map((s) => `stream ${s.name} (topic ${s.topic}, ${s.valueFormat})`),
        ...queries.map((q) => `query ${q.id} ${q.state}`),
      ].join('\n');
    });
  } finally {
    await client.close();
    await server.stop();
  }
}

async function step(out: (line: string) => void, title: string, action: () => Promise<unknown>): Promise<void> {
  out(`\n== ${title}`);
  const result = await action();
  if (typeof result === 'string') out(result);
  else if (Array.isArray(result)) {
    out(result.map((e: { '@type'?: string; commandStatus?: { message?: string } }) => e.commandStatus?.message ?? e['@type']).join('\n'));
  }
}

function table(columns: string[], rows: unknown[][]): string {
  const cells = [columns, ...rows.map((r) => r.map((v) => String(v)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (c ?? '').padEnd(widths[i]!)).join(' | ')).join('\n');
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('start the embedded engine and run a short ksqlDB walkthrough over its REST API')
    .option('--data-dir <dir>', 'where the demo keeps its topic log (wiped first)', path.join('.data', 'demo'))
    .option('--port <port>', 'REST port (0 = any free port)', (v) => Number.parseInt(v, 10), 0)
    .action(async (opts: { dataDir: string; port: number }) => {
      await runDemo({ dataDir: opts.dataDir, port: opts.port });
    });
}
