/**
 * Groups failure and skip reasons by cause (literal names and numbers blanked out), so the
 * engine's authors see which missing features or wrong behaviours cost the most variants.
 */
import type { VariantResult } from './run-suite.js';

const MAX_CAUSE_LENGTH = 120;

export function causeOf(reason: string): string {
  if (/^Topic '.*', message \d+: Expected/s.test(reason)) return 'output record differs';
  const count = /Expected <(\d+)> records but it was <(\d+)>/.exec(reason);
  if (count) {
    if (count[2] === '0') return 'no output records';
    return Number(count[2]) > Number(count[1]) ? 'more output records than expected' : 'fewer output records than expected';
  }
  const cause = reason
    .replace(/^statement \d+ failed: /, 'statement failed: ')
    .replace(/^input \d+ to topic \S+: /, 'input: ')
    .replace(/'(?:[^'\\]|\\.)*'/g, "'…'")
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/`[^`]*`/g, '`…`')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .split('\n')[0]!;
  return cause.length > MAX_CAUSE_LENGTH ? `${cause.slice(0, MAX_CAUSE_LENGTH)}…` : cause;
}

export interface CauseCount {
  readonly status: 'failed' | 'skipped';
  readonly cause: string;
  readonly count: number;
  /** A few variants with this cause, `file#index name`. */
  readonly examples: string[];
}

export function groupReasons(results: readonly VariantResult[], filter: (r: VariantResult) => boolean = () => true): CauseCount[] {
  const groups = new Map<string, { status: 'failed' | 'skipped'; cause: string; count: number; examples: string[] }>();
  for (const r of results) {
    if (r.status === 'passed' || !filter(r)) continue;
    const cause = causeOf(r.reason);
    const key = `${r.status}\u0000${cause}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { status: r.status, cause, count: 0, examples: [] }));
    group.count++;
    if (group.examples.length < 3) group.examples.push(`${r.file}#${r.testIndex} ${r.name}`);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
