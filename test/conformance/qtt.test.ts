/**
 * Runs ksqlDB's shared query-validation tests against the local engine and fails when fewer
 * variants pass than the floor recorded in conformance-floor.json (raise the floor as the
 * engine improves; never lower it to make this pass).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localEngineBindings } from '../../src/engine/conformance/engine-bindings.js';
import { expandFile, loadQttFile } from '../../src/engine/conformance/qtt-loader.js';
import type { TestVariant } from '../../src/engine/conformance/qtt-model.js';
import { listQttFiles, runSuite } from '../../src/engine/conformance/run-suite.js';
import { loadScopeIndex } from '../../src/engine/conformance/scope.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const qttDir = resolve(repoRoot, '..', 'shared', 'ksqldb', 'qtt');
const floor = (JSON.parse(readFileSync(join(repoRoot, 'conformance-floor.json'), 'utf8')) as { passed: number }).passed;

const haveQtt = existsSync(qttDir);
if (!haveQtt) console.log(`conformance: skipping the QTT run, no folder at ${qttDir}`);

describe.skipIf(!haveQtt)('ksqlDB query-validation tests', () => {
  it('expands the shared files into the variants scope.tsv lists, each with a class', async () => {
    const scope = loadScopeIndex(qttDir);
    const variants: TestVariant[] = [];
    for (const path of await listQttFiles(qttDir)) variants.push(...expandFile(basename(path), await loadQttFile(path)));
    const scopeLines = readFileSync(join(qttDir, 'scope.tsv'), 'utf8').trim().split('\n').length - 1;
    expect(variants.length).toBe(scopeLines);
    const unknown = variants.filter((v) => scope.scopeOf(v.file, v.testIndex, v.format, v.config).status === 'unknown');
    expect(unknown.map((v) => v.fullName)).toEqual([]);
    expect(variants.filter((v) => scope.classOf(v.file) === 'Unclassified').map((v) => v.file)).toEqual([]);
  });

  it(`passes at least ${floor} variants`, async () => {
    const report = await runSuite(localEngineBindings(), { dir: qttDir });
    const { passed, failed, skipped } = report.summary;
    console.log(`conformance: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    expect(report.results.length).toBe(passed + failed + skipped);
    expect(passed).toBeGreaterThanOrEqual(floor);
  }, 300_000);
});
