#!/usr/bin/env python3
"""Writes the project's notebooks (notebooks/*.ipynb) from the cell sources below, without
outputs. Edit here and rerun (python3 scripts/write-notebooks.py), or edit the notebooks in
Jupyter and clear their outputs before committing."""
import nbformat as nbf
from pathlib import Path

KERNEL = {"kernelspec": {"name": "tslab", "display_name": "TypeScript", "language": "typescript"},
          "language_info": {"name": "typescript", "file_extension": ".ts"}}

def notebook(cells):
    nb = nbf.v4.new_notebook()
    nb.metadata = KERNEL
    nb.cells = [nbf.v4.new_markdown_cell(c[3:]) if c.startswith("md:") else nbf.v4.new_code_cell(c.strip("\n")) for c in cells]
    # Ids from the cell's position, so that rewriting the notebooks changes only what changed.
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"
    return nb

SETUP = """
// Connect to ksqlDB: a real server when KSQLDB_URL is set, else the embedded local engine.
import * as tslab from 'tslab';
import { startLocalKsqlDb, KsqlDbClient, deploy, createLogger, DEFAULT_PIPELINE_VARIABLES } from 'kafka-streaming-ml';

const SIZE = Number(process.env.NOTEBOOK_PAYMENTS ?? 50_000);
// The engine logs warnings only, so that cell outputs stay readable.
const local = process.env.KSQLDB_URL ? undefined : await startLocalKsqlDb({ logger: createLogger('ksqldb', { level: 'warn' }) });
const url = process.env.KSQLDB_URL ?? local!.url;
const client = new KsqlDbClient({ url });
console.log(`ksqlDB at ${url}${local ? ' (local engine, in memory)' : ''}`);
"""

explore = notebook([
"""md:# 01 · Explore and preprocess payments

This notebook drives ksqlDB over its REST API, as a data scientist would: it deploys the SQL
pipeline in `sql/`, ingests payments, and looks at the raw and preprocessed streams. It runs
against the embedded local engine by default; set `KSQLDB_URL` to use a real ksqlDB server.""",
SETUP,
"""md:## Deploy the SQL pipeline

`sql/` holds ksql-migrations files. Deploying records them in ksql-migrations' metadata, so
running this cell twice changes nothing.""",
"""
const deployed = await deploy(client, '../sql', { variables: DEFAULT_PIPELINE_VARIABLES });
console.log('applied:', deployed.applied.map((m) => m.file), 'already applied:', deployed.skipped.map((m) => m.file));
""",
"""md:## Ingest payments

Synthetic payments with the Kaggle data set's schema (seeded, so every run sees the same
rows). Point `PAYMENTS_CSV` at the real `creditcard.csv` to use it instead.""",
"""
import { generatePayments, readPaymentsCsv, ingestPayments, InsertsStreamSink, TopicLogSink, RAW_STREAM } from 'kafka-streaming-ml';

const source = process.env.PAYMENTS_CSV ? readPaymentsCsv(process.env.PAYMENTS_CSV) : generatePayments({ count: SIZE, seed: 42 });
// In process, write straight into the topic log; against a remote server, use /inserts-stream.
const sink = local
  ? new TopicLogSink(local.engine.log, local.engine.metastore.getSource(RAW_STREAM)!)
  : new InsertsStreamSink(client, RAW_STREAM);
const ingested = await ingestPayments(source, sink);
console.log(ingested);
""",
"""md:## What is there""",
"""
const streams = await client.listStreams();
console.table(streams.map(({ name, topic, keyFormat, valueFormat }) => ({ name, topic, keyFormat, valueFormat })));
const description = await client.describe('PAYMENTS_FEATURES');
console.table(description.fields.slice(0, 8).map((f: any) => ({ name: f.name, type: f.schema.type, key: f.type ?? '' })));
console.log(`... ${description.fields.length} columns in all`);
""",
"""md:## A push query with LIMIT

Push queries stream rows as they arrive; `auto.offset.reset = earliest` starts from the
beginning of the stream.""",
"""
const push = await client.query(
  'SELECT ID, USER_MASKED, HOUR_OF_DAY, AMOUNT, LOG_AMOUNT, LABEL FROM PAYMENTS_FEATURES EMIT CHANGES LIMIT 5;',
  { properties: { 'auto.offset.reset': 'earliest' } },
);
console.table(push.rows.map((r) => Object.fromEntries(push.columnNames.map((c, i) => [c, r[i]]))));
""",
"""md:## A pull query

A `SELECT` without `EMIT CHANGES` on a stream reads it up to now and completes.""",
"""
const frauds = await client.query('SELECT ID, USER_MASKED, AMOUNT, V14, V17 FROM PAYMENTS_FEATURES WHERE LABEL = 1 LIMIT 5;');
console.table(frauds.rows.map((r) => Object.fromEntries(frauds.columnNames.map((c, i) => [c, r[i]]))));
""",
"""md:## Masking and null handling in SQL

The preprocessing masks user names; `IFNULL` and `COALESCE` fill gaps, here for payments
without a label.""",
"""
const masked = await client.query(
  "SELECT ID, USER_MASKED, MASK(USER_MASKED) AS FULLY_MASKED, IFNULL(LABEL, -1) AS LABEL_OR_UNKNOWN FROM PAYMENTS_FEATURES LIMIT 3;",
);
console.table(masked.rows.map((r) => Object.fromEntries(masked.columnNames.map((c, i) => [c, r[i]]))));
""",
"""
await client.close();
await local?.stop();
""",
])

train = notebook([
"""md:# 02 · Train and evaluate the autoencoder

Pulls the labelled rows of the preprocessed stream into a DataFrame, trains an autoencoder on
normal payments with TensorFlow.js, evaluates it (reconstruction error, ROC and PR curves,
confusion matrix at a chosen threshold) and exports a model bundle that the scorer applies to
the very same stream.""",
SETUP,
"""
import { generatePayments, ingestPayments, TopicLogSink, InsertsStreamSink, RAW_STREAM } from 'kafka-streaming-ml';
// The same pipeline as notebook 01 (deploying again is a no-op on a server that has it).
await deploy(client, '../sql', { variables: DEFAULT_PIPELINE_VARIABLES });
if (local) {
  await ingestPayments(generatePayments({ count: SIZE, seed: 42 }), new TopicLogSink(local.engine.log, local.engine.metastore.getSource(RAW_STREAM)!));
  await local.engine.processUntilIdle();
}
""",
"""md:## Pull the preprocessed rows into a DataFrame""",
"""
import { pullTrainingRows, toDataFrame, MODEL_FEATURES } from 'kafka-streaming-ml';

const data = await pullTrainingRows(client);
const df = await toDataFrame({
  columnNames: [...data.features, 'LABEL'],
  columnTypes: [...data.columns.map((c) => c.type), 'INTEGER'],
  rows: data.rows.map((r, i) => [...r, data.labels[i]]),
});
console.log('shape', df.shape, 'from', data.source, JSON.stringify(data.offsets));
df.loc({ columns: ['V1', 'V14', 'V17', 'LOG_AMOUNT', 'HOUR_OF_DAY'] }).describe().print();
""",
"""
const counts = df['LABEL'].valueCounts();
counts.print();
""",
"""
import { histogramSvg } from 'kafka-streaming-ml';
tslab.display.html(await histogramSvg(df['LOG_AMOUNT'].values as number[], { title: 'log(amount + 1)', field: 'log_amount', groups: df['LABEL'].values as number[] }));
tslab.display.html(await histogramSvg(df['HOUR_OF_DAY'].values as number[], { title: 'Hour of day', field: 'hour', bins: 24 }));
""",
"""md:## Train on normal payments

A seeded 80/20 split into training and test rows; within training, a validation share for
early stopping and for choosing the threshold. The scaler is fitted on the training normals
only and travels in the bundle.""",
"""
import { initBackend, trainFraudAutoencoder, lossCurveSvg } from 'kafka-streaming-ml';

const backend = await initBackend();
console.log('TensorFlow.js backend:', backend.name);
const EPOCHS = Number(process.env.NOTEBOOK_EPOCHS ?? 10);
const result = await trainFraudAutoencoder(data, {
  architecture: 'improved', epochs: EPOCHS, batchSize: 512, seed: 42, thresholdRule: { kind: 'best-f1' },
}, (epoch, l) => console.log(`epoch ${epoch}: loss ${l.loss.toFixed(5)} val_loss ${l.valLoss.toFixed(5)}`));
tslab.display.html(await lossCurveSvg(result.history));
""",
"""md:## Evaluate on the test rows""",
"""
import { rocCurveSvg, prCurveSvg, confusionMatrixSvg } from 'kafka-streaming-ml';
const t = result.test;
console.log(`ROC AUC ${t.rocAuc.toFixed(4)}  PR AUC ${t.prAuc.toFixed(4)}  threshold ${result.threshold.threshold.toPrecision(4)} (best F1 on validation)`);
console.log(`precision ${(t.atThreshold.precision * 100).toFixed(1)}%  recall ${(t.atThreshold.recall * 100).toFixed(1)}%  F1 ${t.atThreshold.f1.toFixed(3)}`);
tslab.display.html(await rocCurveSvg(t.roc, t.rocAuc));
tslab.display.html(await prCurveSvg(t.pr, t.prAuc));
tslab.display.html(await histogramSvg(t.errors, { title: 'Reconstruction error by class (test rows)', field: 'error', groups: t.labels, logX: true }));
tslab.display.html(await confusionMatrixSvg(t.atThreshold));
""",
"""md:## Export the model bundle

The bundle carries the model and everything scoring needs: feature order, scaler, threshold
and its rule, metrics, the training data range and the preprocessed stream's schema
fingerprint.""",
"""
import { saveBundle, loadBundle, schemaFingerprint, tf, FEATURE_DOMAINS } from 'kafka-streaming-ml';
const bundleDir = process.env.NOTEBOOK_MODEL_DIR ?? '../models/notebook-autoencoder';
const manifest = await saveBundle(bundleDir, result.model, {
  name: 'fraud-autoencoder', architecture: 'improved', features: data.features, scaler: result.scaler.state,
  threshold: { value: result.threshold.threshold, rule: { kind: 'best-f1' } },
  metrics: { test: { rocAuc: t.rocAuc, prAuc: t.prAuc, precision: t.atThreshold.precision, recall: t.atThreshold.recall } },
  training: { source: { stream: data.source, offsets: data.offsets }, counts: result.counts, epochs: result.history.epochs },
  schema: { source: data.source, columns: data.columns, fingerprint: schemaFingerprint(data.columns) },
  domains: FEATURE_DOMAINS,
  libraries: { '@tensorflow/tfjs': tf.version.tfjs, backend: backend.name },
});
console.log('bundle', bundleDir, 'version', manifest.version);
// The bundle scores exactly as the trained model did.
const bundle = await loadBundle(bundleDir);
const sample = data.rows.slice(0, 3).map((r) => Object.fromEntries(data.features.map((f, j) => [f, r[j]])));
console.table(bundle.score(sample).map((s) => ({ score: s.score, alert: s.alert, explanation: s.topFeatures.map((f) => f.feature).join(', ') })));
bundle.dispose();
""",
"""
await client.close();
await local?.stop();
""",
])

score = notebook([
"""md:# 03 · Score the stream and monitor the model

The inference half: the model bundle is published to the scorers' control topic (models as
data), the scorer consumes the very same preprocessed stream training read, writes a score
per payment to `PAYMENT_SCORES` in Kafka transactions, and the alerts CSAS in `sql/` picks
out `PAYMENT_ALERTS`. Here the scorer runs in this process; in production it is the
`ksml score` container, scaled by consumer groups, and nothing else changes.""",
SETUP,
"""
import { generatePayments, ingestPayments, TopicLogSink, RAW_STREAM, openTopicLog, MONITORING_MIGRATION } from 'kafka-streaming-ml';
// The model-monitoring statements come once the model's baseline is there (below).
await deploy(client, '../sql', { variables: DEFAULT_PIPELINE_VARIABLES, until: MONITORING_MIGRATION - 1 });
if (local) {
  await ingestPayments(generatePayments({ count: SIZE, seed: 42 }), new TopicLogSink(local.engine.log, local.engine.metastore.getSource(RAW_STREAM)!));
  await local.engine.processUntilIdle();
}
// The scorer reads and writes topics: the local engine's log, or Kafka beside a real ksqlDB.
const topicLog = local ? local.engine.log : await openTopicLog({ kind: 'kafka', brokers: process.env.KAFKA_BOOTSTRAP_SERVERS!.split(',') });
""",
"""md:## A model bundle

Notebook 02 exports one; if it has not run, a short training here makes one the same way.""",
"""
import { existsSync } from 'node:fs';
import { pullTrainingRows, trainFraudAutoencoder, saveBundle, schemaFingerprint, initBackend, tf, FEATURE_DOMAINS } from 'kafka-streaming-ml';
const bundleDir = process.env.NOTEBOOK_MODEL_DIR ?? '../models/notebook-autoencoder';
if (!existsSync(`${bundleDir}/bundle.json`)) {
  const backend = await initBackend();
  const data = await pullTrainingRows(client);
  const result = await trainFraudAutoencoder(data, { architecture: 'improved', epochs: Number(process.env.NOTEBOOK_EPOCHS ?? 5), batchSize: 512, seed: 42, thresholdRule: { kind: 'best-f1' } });
  await saveBundle(bundleDir, result.model, {
    name: 'fraud-autoencoder', architecture: 'improved', features: data.features, scaler: result.scaler.state,
    threshold: { value: result.threshold.threshold, rule: { kind: 'best-f1' } },
    metrics: { test: { rocAuc: result.test.rocAuc, prAuc: result.test.prAuc } },
    training: { source: { stream: data.source, offsets: data.offsets }, counts: result.counts },
    schema: { source: data.source, columns: data.columns, fingerprint: schemaFingerprint(data.columns) },
    domains: FEATURE_DOMAINS,
    libraries: { '@tensorflow/tfjs': tf.version.tfjs, backend: backend.name },
  });
  result.model.dispose();
}
""",
"""md:## Publish the bundle and start the scorer

Publishing writes the whole bundle to the control topic; every scorer follows that topic and
switches to a new version between two micro-batches, without a restart. The bundle's training
baseline (the scaler's mean and standard deviation per feature) goes to `FEATURE_BASELINE`,
which the drift monitor compares every payment with.""",
"""
import { readBundleArtifacts, publishBundle, startScorer, publishFeatureBaseline } from 'kafka-streaming-ml';
const artifacts = await readBundleArtifacts(bundleDir);
await publishBundle(topicLog, 'scorer_control', artifacts);
await publishFeatureBaseline(client, artifacts.manifest);
await deploy(client, '../sql', { variables: DEFAULT_PIPELINE_VARIABLES });
console.log('published', artifacts.manifest.name, 'version', artifacts.manifest.version, 'threshold', artifacts.manifest.threshold.value.toPrecision(4));

// Locally the scorer runs in this process. Beside a real stack (KSQLDB_URL), the stack's own
// scorers take the published bundle over, and this notebook only watches.
const scorer = local ? await startScorer({ log: topicLog, useEnvironment: false, config: { controlTopic: 'scorer_control', httpPort: 0 } }) : undefined;
if (scorer) {
  await scorer.started;
  while (!(await scorer.scorer.caughtUp())) await new Promise((r) => setTimeout(r, 200));
  await local!.engine.processUntilIdle();
  console.log('scorer', scorer.url, 'backend', scorer.backend.name, scorer.scorer.stats);
} else {
  const byNewModel = `SELECT ID FROM PAYMENT_SCORES WHERE MODEL_VERSION = '${artifacts.manifest.version}' LIMIT 1;`;
  while ((await client.query(byNewModel)).rows.length === 0) await new Promise((r) => setTimeout(r, 1000));
  console.log('the stack scores with version', artifacts.manifest.version);
}
""",
"""md:## Alerts, with their explanations

A push query on the alerts stream from the beginning; each alert names the features the model
reconstructed worst.""",
"""
const alertCount = (await client.query('SELECT ID FROM PAYMENT_ALERTS;')).rows.length;
const alerts = await client.query(
  `SELECT ID, USER_MASKED, AMOUNT, SCORE, THRESHOLD, LABEL, TOP_FEATURES FROM PAYMENT_ALERTS EMIT CHANGES LIMIT ${Math.min(alertCount, 10)};`,
  { properties: { 'auto.offset.reset': 'earliest' } },
);
console.table(alerts.rows.map(([id, user, amount, score, threshold, label, top]) => ({
  id, user, amount, score: Number(score).toFixed(3), threshold: Number(threshold).toFixed(3), label,
  explanation: (top as { FEATURE: string; ERROR: number }[]).map((f) => `${f.FEATURE} (${f.ERROR.toFixed(1)})`).join(', '),
})));
""",
"""md:## Score distribution by class""",
"""
import { histogramSvg, alertReport } from 'kafka-streaming-ml';
const scored = await client.query('SELECT SCORE, LABEL FROM PAYMENT_SCORES WHERE LABEL IS NOT NULL;');
tslab.display.html(await histogramSvg(scored.rows.map((r) => Number(r[0])), {
  title: 'Score (reconstruction error) by class', field: 'score', groups: scored.rows.map((r) => Number(r[1])), logX: true,
}));
const report = await alertReport(client);
console.log(`alerts ${report.alerts}: ${report.truePositives} of ${report.frauds} frauds; precision ${(report.precision * 100).toFixed(1)}%, recall ${(report.recall * 100).toFixed(1)}%`);
""",
"""md:## Monitoring the model in SQL

`sql/V000005` keeps, per hour of event time, the model's score statistics and alert rate, the
alerts per (masked) user, and each feature's drift from the training baseline: the mean of
the standardised feature (the shift, in baseline standard deviations) and its standard
deviation (the spread). Next, a day of live payments in which an upstream change shifts V14
by three standard deviations: the drift table shows it within the hour.""",
"""
const rows = (r: { columnNames: string[]; rows: unknown[][] }) => r.rows.map((row) => Object.fromEntries(r.columnNames.map((c, i) => [c, row[i]])));
const hour = (ms: unknown) => new Date(Number(ms)).toISOString().slice(0, 13) + 'h';
if (local) {
  const live = [...generatePayments({ count: 3000, seed: 'live', startMs: Date.UTC(2018, 11, 21, 12), firstId: 10_000_000 })];
  // An upstream change: V14 arrives shifted by three of its standard deviations.
  const std14 = artifacts.manifest.scaler.std[artifacts.manifest.features.indexOf('V14')]!;
  await ingestPayments(live.map((p) => ({ ...p, V14: p.V14 + 3 * std14 })), new TopicLogSink(local.engine.log, local.engine.metastore.getSource(RAW_STREAM)!));
  await local.engine.processUntilIdle();
  while (!(await scorer!.scorer.caughtUp())) await new Promise((r) => setTimeout(r, 200));
  await local.engine.processUntilIdle();
}
const stats = rows(await client.query('SELECT WINDOWSTART, MODEL_VERSION, PAYMENTS, MEAN_SCORE, ALERTS, ALERT_RATE FROM SCORE_STATS_HOURLY;'));
console.table(stats.slice(-6).map((s) => ({ hour: hour(s.WINDOWSTART), payments: s.PAYMENTS, meanScore: Number(s.MEAN_SCORE).toFixed(3), alerts: s.ALERTS, alertRate: Number(s.ALERT_RATE).toFixed(4) })));
""",
"""
const drift = rows(await client.query('SELECT * FROM FEATURE_DRIFT_HOURLY;'));
const latest = drift[drift.length - 1]!;
const shifts = Object.keys(latest).filter((c) => c.endsWith('_SHIFT')).map((c) => ({ feature: c.slice(0, -6), shift: Number(latest[c]), spread: Number(latest[c.replace('_SHIFT', '_SPREAD')]) }));
shifts.sort((a, b) => Math.abs(b.shift) - Math.abs(a.shift));
console.log(`drift in ${hour(latest.WINDOWSTART)} (${latest.PAYMENTS} payments, baseline ${latest.BASELINE_VERSION}):`);
console.table(shifts.slice(0, 5).map((d) => ({ feature: d.feature, shift: d.shift.toFixed(2), spread: d.spread.toFixed(2) })));
const perUser = rows(await client.query('SELECT USER_MASKED, WINDOWSTART, ALERTS, MAX_SCORE FROM ALERTS_PER_USER_HOURLY;'));
perUser.sort((a, b) => Number(b.ALERTS) - Number(a.ALERTS));
console.table(perUser.slice(0, 5).map((u) => ({ user: u.USER_MASKED, hour: hour(u.WINDOWSTART), alerts: u.ALERTS, maxScore: Number(u.MAX_SCORE).toFixed(2) })));
""",
"""md:The original's enrichment example: payments joined with their users, personal data masked.""",
"""
const enriched = await client.query('SELECT ID, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY, AMOUNT FROM PAYMENTS_ENRICHED LIMIT 5;');
console.table(rows(enriched));
""",
"""md:## What the scorer reports

The same numbers a pager would watch, from its Prometheus endpoint.""",
"""
const metricsUrl = scorer ? `${scorer.url}/metrics` : process.env.SCORER_METRICS_URL;
if (metricsUrl) {
  const response = await fetch(metricsUrl);
  const metrics = await response.text();
  const watched = /^ksml_scorer_(records|alerts|dead_letters|consumer_lag|model_info)/;
  console.log(metrics.split('\\n').filter((line) => watched.test(line)).join('\\n'));
}
""",
"""
await scorer?.stop();
if (!local) await topicLog.close();
await client.close();
await local?.stop();
""",
])

out = Path(__file__).resolve().parent.parent / "notebooks"
nbf.write(explore, out / "01-explore-and-preprocess.ipynb")
nbf.write(train, out / "02-train-and-evaluate.ipynb")
nbf.write(score, out / "03-score-and-monitor.ipynb")
print("wrote", out)
