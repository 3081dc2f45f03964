/**
 * `ksml deploy`: applies the pending migrations of `sql/` to a ksqlDB server (the local engine
 * or a real one) and records them in ksql-migrations' metadata.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { KsqlDbClient } from '../../ksql/client.js';
import { deploy } from '../../pipeline/migrations.js';
import { DEFAULT_PIPELINE_VARIABLES } from '../../pipeline/pipeline-config.js';
import { positiveNumber } from '../option-parsers.js';
import { collectProperty } from './engine.js';

export function registerDeployCommand(program: Command): void {
  program
    .command('deploy')
    .description("apply pending SQL migrations to a ksqlDB server, keeping ksql-migrations' metadata")
    .addOption(new Option('--url <url>', 'ksqlDB server URL').env('KSQLDB_URL').makeOptionMandatory())
    .option('--dir <dir>', 'folder of V<6 digits>__<description>.sql files', path.resolve('sql'))
    .addOption(new Option('--define <name=value>', 'variable for ${name} in the files (repeatable)').argParser(collectProperty).default({}))
    .option('--dry-run', 'list what would be applied without changing anything', false)
    .option('--until <version>', 'apply migrations up to this version only', positiveNumber('--until', { integer: true }))
    .action(async (opts: { url: string; dir: string; define: Record<string, string>; dryRun: boolean; until?: number }) => {
      const client = new KsqlDbClient({ url: opts.url });
      try {
        const result = await deploy(client, opts.dir, {
          dryRun: opts.dryRun,
          ...(opts.until !== undefined ? { until: opts.until } : {}),
          variables: { ...DEFAULT_PIPELINE_VARIABLES, ...opts.define },
          log: (line) => console.log(line),
        });
        const verb = opts.dryRun ? 'would apply' : 'applied';
        console.log(`${verb} ${result.applied.length} migration(s), ${result.skipped.length} already applied`);
      } finally {
        await client.close();
      }
    });
}
