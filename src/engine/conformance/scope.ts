/**
 * The shared folder's scope tags (scope.tsv: one status per variant) and feature classes
 * (INDEX.md's file table: one class per file), for breaking results down.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export type ScopeStatus = 'in' | 'in-extended' | 'out' | 'disabled' | 'unknown';

export const FEATURE_CLASSES = [
  'Expressions',
  'Math functions',
  'String functions',
  'Timestamps',
  'DDL/DML',
  'Formats & keys',
  'Joins',
  'Aggregation & windows',
] as const;

export interface ScopeEntry {
  readonly status: ScopeStatus;
  readonly reasons: string;
}

export interface ScopeIndex {
  /** scope.tsv status of a variant; 'unknown' when the folder has no scope.tsv or no line for it. */
  scopeOf(file: string, testIndex: number, format: string, config: string): ScopeEntry;
  /** INDEX.md class of a file; 'Unclassified' when unknown. */
  classOf(file: string): string;
}

function scopeKey(file: string, testIndex: number, format: string, config: string): string {
  return `${file}\t${testIndex}\t${format}\t${config}`;
}

const SCOPE_STATUSES: ReadonlySet<string> = new Set(['in', 'in-extended', 'out', 'disabled']);

export function parseScopeTsv(text: string): Map<string, ScopeEntry> {
  const rows = parse(text, {
    delimiter: '\t',
    columns: true,
    quote: false,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as Record<string, string | undefined>[];
  const entries = new Map<string, ScopeEntry>();
  for (const row of rows) {
    const status = row['status'] ?? '';
    entries.set(scopeKey(row['file'] ?? '', Number(row['test_index']), row['format_variant'] ?? '', row['config_variant'] ?? ''), {
      status: SCOPE_STATUSES.has(status) ? (status as ScopeStatus) : 'unknown',
      reasons: row['reasons'] ?? '',
    });
  }
  return entries;
}

/** Rows of INDEX.md's file table: `` | `file.json` | entries | ... | Class | What it covers | ``. */
export function parseIndexClasses(markdown: string): Map<string, string> {
  const classes = new Map<string, string>();
  const known = new Set<string>(FEATURE_CLASSES);
  for (const line of markdown.split('\n')) {
    const m = /^\|\s*`([^`]+\.json)`\s*\|(.*)\|\s*$/.exec(line);
    if (!m) continue;
    const cells = m[2]!.split('|').map((c) => c.trim());
    const cls = cells.find((c) => known.has(c));
    if (cls) classes.set(m[1]!, cls);
  }
  return classes;
}

export function loadScopeIndex(dir: string): ScopeIndex {
  const tsvPath = join(dir, 'scope.tsv');
  const indexPath = join(dir, 'INDEX.md');
  const scopes = existsSync(tsvPath) ? parseScopeTsv(readFileSync(tsvPath, 'utf8')) : new Map<string, ScopeEntry>();
  const classes = existsSync(indexPath) ? parseIndexClasses(readFileSync(indexPath, 'utf8')) : new Map<string, string>();
  return {
    scopeOf: (file, testIndex, format, config) =>
      scopes.get(scopeKey(file, testIndex, format, config)) ?? { status: 'unknown', reasons: '' },
    classOf: (file) => classes.get(file) ?? 'Unclassified',
  };
}
