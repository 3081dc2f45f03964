/**
 * `npm run conformance -- --dir <folder of QTT json> [--report <file.json>] [--file <name>]
 * [--filter <regex>] [--verbose]`: runs ksqlDB's query-validation tests against the local
 * engine. The last line of output is always `N passed, N failed, N skipped`.
 */
import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { destination } from 'pino';
import { createLogger } from '../../logging.js';
import { localEngineBindings } from './engine-bindings.js';
import { groupReasons } from './reason-groups.js';
import { runSuite, type Counts, type SuiteSummary } from './run-suite.js';

function countsText(c: Counts): string {
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
}

function breakdown(title: string, table: Record<string, Counts>): string[] {
  const rows = Object.entries(table).filter(([, c]) => c.passed + c.failed + c.skipped > 0);
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [title, ...rows.map(([k, c]) => `  ${k.padEnd(width)}  ${countsText(c)}`)];
}

function summaryLines(summary: SuiteSummary): string[] {
  return [...breakdown('By class:', summary.byClass), ...breakdown('By scope:', summary.byScope)];
}

async function main(): Promise<void> {
  const program = new Command()
    .name('conformance')
    .description("Run ksqlDB's query-validation-test files against the local engine")
    .requiredOption('--dir <folder>', 'folder of QTT .json files (with scope.tsv and INDEX.md when available)')
    .option('--report <file>', 'write the JSON report here')
    .option('--file <name>', 'run only this file (e.g. math.json)')
    .option('--filter <regex>', 'run only variants whose full test name matches')
    .option('--timeout <ms>', 'per-step timeout in milliseconds', (v) => Number(v))
    .option('--verbose', 'print every variant with its status and reason')
    .option('--top-reasons <n>', 'print the n most common failure and skip causes', (v) => Number(v))
    .parse();
  const opts = program.opts<{
    dir: string;
    report?: string;
    file?: string;
    filter?: string;
    timeout?: number;
    verbose?: boolean;
    topReasons?: number;
  }>();

  // --verbose shows the engines' warnings (processing log) on stderr.
  const bindings = localEngineBindings(
    opts.verbose ? { logger: createLogger('ksql-engine', { level: 'warn', destination: destination(2) }) } : {},
  );
  const report = await runSuite(bindings, {
    dir: opts.dir,
    ...(opts.file !== undefined ? { file: opts.file } : {}),
    ...(opts.filter !== undefined ? { filter: new RegExp(opts.filter) } : {}),
    ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}),
    onResult: (result, variant) => {
      if (opts.verbose) {
        const why = result.reason ? `: ${result.reason}` : '';
        console.log(`${result.status.toUpperCase()} ${variant.fullName} [${result.file}#${result.testIndex}]${why}`);
      }
    },
  });
  if (opts.report) await writeFile(opts.report, JSON.stringify(report, null, 2) + '\n');
  if (opts.topReasons !== undefined) {
    console.log('Top causes:');
    for (const g of groupReasons(report.results).slice(0, opts.topReasons)) {
      console.log(`  ${String(g.count).padStart(4)} ${g.status} ${g.cause}  (e.g. ${g.examples.join('; ')})`);
    }
  }
  for (const line of summaryLines(report.summary)) console.log(line);
  console.log(countsText(report.summary));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
