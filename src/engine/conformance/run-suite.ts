/**
 * Runs every variant of a folder of QTT files and gathers the report: one result per variant
 * plus counts overall, per feature class, per file and per scope status.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EngineBindings } from './engine-bindings.js';
import { expandFile, loadQttFile } from './qtt-loader.js';
import type { TestVariant } from './qtt-model.js';
import { runVariant, type VariantStatus } from './run-variant.js';
import { FEATURE_CLASSES, loadScopeIndex, type ScopeStatus } from './scope.js';

export interface VariantResult {
  readonly file: string;
  readonly testIndex: number;
  readonly name: string;
  readonly format: string;
  readonly config: string;
  readonly status: VariantStatus;
  readonly reason: string;
  readonly scope: ScopeStatus;
}

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface SuiteSummary extends Counts {
  readonly byClass: Record<string, Counts>;
  readonly byFile: Record<string, Counts>;
  readonly byScope: Record<string, Counts>;
}

export interface SuiteReport {
  readonly summary: SuiteSummary;
  readonly results: VariantResult[];
}

export interface SuiteOptions {
  readonly dir: string;
  /** Only this file (base name, with or without `.json`). */
  readonly file?: string;
  /** Only variants whose full name (`<file stem> - <test name>[ - <format>]...`) matches. */
  readonly filter?: RegExp;
  readonly timeoutMs?: number;
  /** Called after each variant (progress output). */
  readonly onResult?: (result: VariantResult, variant: TestVariant) => void;
}

function emptyCounts(): Counts {
  return { passed: 0, failed: 0, skipped: 0 };
}

function bump(map: Record<string, Counts>, key: string, status: VariantStatus): void {
  (map[key] ??= emptyCounts())[status]++;
}

export async function listQttFiles(dir: string, file?: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  if (file === undefined) return names.map((n) => join(dir, n));
  const wanted = file.endsWith('.json') ? basename(file) : `${basename(file)}.json`;
  if (!names.includes(wanted)) throw new Error(`No file ${wanted} in ${dir}`);
  return [join(dir, wanted)];
}

export function summarize(results: readonly VariantResult[], classOf: (file: string) => string): SuiteSummary {
  const summary: SuiteSummary = { ...emptyCounts(), byClass: {}, byFile: {}, byScope: {} };
  for (const cls of FEATURE_CLASSES) summary.byClass[cls] = emptyCounts();
  for (const r of results) {
    summary[r.status]++;
    bump(summary.byClass, classOf(r.file), r.status);
    bump(summary.byFile, r.file, r.status);
    bump(summary.byScope, r.scope, r.status);
  }
  return summary;
}

export async function runSuite(bindings: EngineBindings, opts: SuiteOptions): Promise<SuiteReport> {
  const scope = loadScopeIndex(opts.dir);
  const results: VariantResult[] = [];
  for (const path of await listQttFiles(opts.dir, opts.file)) {
    const file = basename(path);
    const variants = expandFile(file, await loadQttFile(path));
    for (const variant of variants) {
      if (opts.filter && !opts.filter.test(variant.fullName)) continue;
      const outcome = await runVariant(bindings, variant, opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs });
      const result: VariantResult = {
        file,
        testIndex: variant.testIndex,
        name: variant.name,
        format: variant.format,
        config: variant.config,
        status: outcome.status,
        reason: outcome.reason,
        scope: scope.scopeOf(file, variant.testIndex, variant.format, variant.config).status,
      };
      results.push(result);
      opts.onResult?.(result, variant);
    }
  }
  return { summary: summarize(results, scope.classOf), results };
}
