/**
 * Executes every notebook headless, as a data scientist's Jupyter would (nbconvert with the
 * tslab kernel), against the local engine on a small synthetic set. Any cell error fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NOTEBOOKS = path.join(ROOT, 'notebooks');
const env = { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}` };

function whyUnavailable(): string | undefined {
  const jupyter = spawnSync('jupyter', ['kernelspec', 'list', '--json'], { env, encoding: 'utf8' });
  if (jupyter.error || jupyter.status !== 0) return 'jupyter is not installed (.ci/run installs it: jupyter-nbconvert, python3-nbclient, python3-ipykernel)';
  const specs = JSON.parse(jupyter.stdout) as { kernelspecs: Record<string, unknown> };
  if (!specs.kernelspecs.tslab) return "the tslab kernel is not installed (run 'npx tslab install --python=/usr/bin/python3')";
  return undefined;
}

interface Output {
  output_type: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}
interface Notebook {
  cells: { cell_type: string; source: string | string[]; outputs?: Output[] }[];
  metadata: { kernelspec?: { name: string } };
}

const unavailable = whyUnavailable();
if (unavailable) console.log(`skipping notebook execution: ${unavailable}`);

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'notebooks-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

async function committedNotebooks(): Promise<string[]> {
  return (await readdir(NOTEBOOKS)).filter((f) => f.endsWith('.ipynb')).sort();
}

describe('notebooks as committed', () => {
  it('use the tslab kernel and carry no outputs', async () => {
    const files = await committedNotebooks();
    expect(files).toEqual(['01-explore-and-preprocess.ipynb', '02-train-and-evaluate.ipynb', '03-score-and-monitor.ipynb']);
    for (const file of files) {
      const nb = JSON.parse(await readFile(path.join(NOTEBOOKS, file), 'utf8')) as Notebook;
      expect(nb.metadata.kernelspec?.name).toBe('tslab');
      for (const cell of nb.cells) expect(cell.outputs ?? []).toEqual([]);
      // Notebooks import the project by its package name, never by relative source paths.
      const code = nb.cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n');
      expect(code).not.toMatch(/from '\.\.?\//);
    }
  });
});

describe.skipIf(unavailable !== undefined)('notebooks executed headless', () => {
  async function execute(file: string): Promise<Notebook> {
    const output = path.join(outDir, file);
    execFileSync('jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=600', file, '--output', output], {
      cwd: NOTEBOOKS,
      env: { ...env, NOTEBOOK_PAYMENTS: '20000', NOTEBOOK_EPOCHS: '2', NOTEBOOK_MODEL_DIR: path.join(outDir, 'model'), LOG_LEVEL: 'warn' },
      stdio: 'pipe',
    });
    return JSON.parse(await readFile(output, 'utf8')) as Notebook;
  }
  const outputsOf = (nb: Notebook) => nb.cells.flatMap((c) => c.outputs ?? []);
  const textOf = (nb: Notebook) => outputsOf(nb).map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? ''))).join('');

  it('01 deploys, ingests and queries the streams', async () => {
    const nb = await execute('01-explore-and-preprocess.ipynb');
    expect(outputsOf(nb).filter((o) => o.output_type === 'error')).toEqual([]);
    const text = textOf(nb);
    expect(text).toMatch(/applied: \[\s*'V000001__payments_raw\.sql',\s*'V000002__payments_features\.sql',\s*'V000003__scores_and_alerts\.sql',\s*'V000004__reference_data_and_enrichment\.sql',\s*'V000005__model_monitoring\.sql'\s*\]/);
    expect(text).toMatch(/records: 20000/);
    expect(text).toContain('PAYMENTS_FEATURES');
    expect(text).not.toMatch(/"level":30/); // engine info logs stay out of the cells
  }, 300_000);

  it('02 trains, plots and exports a bundle', async () => {
    const nb = await execute('02-train-and-evaluate.ipynb');
    expect(outputsOf(nb).filter((o) => o.output_type === 'error')).toEqual([]);
    const text = textOf(nb);
    expect(text).toMatch(/shape \[ 20000, 31 \]/);
    expect(text).toMatch(/ROC AUC 0\.\d{4}/);
    expect(text).toMatch(/bundle .* version [0-9a-f]{16}/);
    const svgs = outputsOf(nb).filter((o) => String(o.data?.['text/html'] ?? '').startsWith('<svg'));
    // two histograms, the loss curve, ROC, PR, error by class, confusion matrix
    expect(svgs.length).toBe(7);
  }, 300_000);

  it('03 publishes the bundle, scores the stream in process and shows the alerts', async () => {
    const nb = await execute('03-score-and-monitor.ipynb');
    expect(outputsOf(nb).filter((o) => o.output_type === 'error')).toEqual([]);
    const text = textOf(nb);
    expect(text).toMatch(/published fraud-autoencoder version [0-9a-f]{16}/);
    expect(text).toMatch(/scored: 20000/);
    expect(text).toMatch(/explanation/);
    expect(text).toMatch(/alerts \d+: \d+ of \d+ frauds; precision \d+\.\d%, recall \d+\.\d%/);
    expect(text).toMatch(/^ksml_scorer_records_out_total 23000$/m);
    // The drift table points at the shifted feature, and the enrichment join masks users.
    expect(text).toMatch(/drift in 2018-12-2\dT\d\dh/);
    expect(text).toMatch(/│\s+0\s+│\s+'V14'\s+│\s+'[23]\.\d\d'/);
    expect(text).toMatch(/xxx\.\w+@example\.com/);
    const svgs = outputsOf(nb).filter((o) => String(o.data?.['text/html'] ?? '').startsWith('<svg'));
    expect(svgs.length).toBe(1);
  }, 300_000);
});
