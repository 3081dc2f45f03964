/**
 * The scorer's Prometheus metrics (prom-client), on a registry of its own so that several
 * scorers in one process (tests, notebooks) do not collide. Names follow Prometheus'
 * conventions: `_total` counters, `_seconds` histograms, base units.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { tf } from '../model/backend.js';
import type { RejectionReason } from './payment-decoder.js';

export class ScorerMetrics {
  readonly registry = new Registry();
  readonly recordsIn: Counter;
  readonly recordsOut: Counter;
  readonly alerts: Counter;
  readonly deadLetters: Counter<'reason'>;
  readonly transactions: Counter<'outcome'>;
  readonly batchSize: Histogram;
  readonly scoringSeconds: Histogram;
  readonly endToEndSeconds: Histogram;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly assignedPartitions: Gauge;
  readonly modelInfo: Gauge<'name' | 'version'>;
  readonly modelSwaps: Counter<'source'>;
  readonly modelLoadFailures: Counter<'source'>;
  readonly inferRequests: Counter<'outcome'>;
  readonly tensors: Gauge;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'ksml_scorer_process_' });
    this.recordsIn = new Counter({ name: 'ksml_scorer_records_in_total', help: 'Records consumed from the input topic.', registers });
    this.recordsOut = new Counter({ name: 'ksml_scorer_records_out_total', help: 'Scores written to the scores topic.', registers });
    this.alerts = new Counter({ name: 'ksml_scorer_alerts_total', help: 'Scores above the threshold.', registers });
    this.deadLetters = new Counter({
      name: 'ksml_scorer_dead_letters_total',
      help: 'Records sent to the dead-letter topic, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.transactions = new Counter({
      name: 'ksml_scorer_transactions_total',
      help: 'Output transactions, by outcome (committed, failed).',
      labelNames: ['outcome'],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'ksml_scorer_batch_size',
      help: 'Records per micro-batch.',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    });
    this.scoringSeconds = new Histogram({
      name: 'ksml_scorer_scoring_seconds',
      help: 'Time to decode and score one micro-batch.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.endToEndSeconds = new Histogram({
      name: 'ksml_scorer_end_to_end_seconds',
      help: 'From the input record timestamp to its score being committed.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'ksml_scorer_consumer_lag',
      help: 'Records of the input topic not yet scored, per assigned partition.',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.assignedPartitions = new Gauge({ name: 'ksml_scorer_assigned_partitions', help: 'Input partitions assigned to this scorer.', registers });
    this.modelInfo = new Gauge({
      name: 'ksml_scorer_model_info',
      help: 'The model bundle in use (value 1).',
      labelNames: ['name', 'version'],
      registers,
    });
    this.modelSwaps = new Counter({
      name: 'ksml_scorer_model_swaps_total',
      help: 'Model bundles that took over, by source (directory, control-topic).',
      labelNames: ['source'],
      registers,
    });
    this.modelLoadFailures = new Counter({
      name: 'ksml_scorer_model_load_failures_total',
      help: 'Model bundles refused (unreadable, invalid, incompatible), by source.',
      labelNames: ['source'],
      registers,
    });
    this.inferRequests = new Counter({
      name: 'ksml_scorer_infer_requests_total',
      help: 'KServe V2 inference requests, by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    // A count that grows with the records scored would be a tensor leak.
    this.tensors = new Gauge({
      name: 'ksml_scorer_tfjs_tensors',
      help: 'TensorFlow.js tensors alive (constant unless tensors leak).',
      registers,
      collect() {
        this.set(tf.memory().numTensors);
      },
    });
    for (const reason of REJECTION_REASONS) this.deadLetters.inc({ reason }, 0);
  }
}

const REJECTION_REASONS: readonly RejectionReason[] = [
  'null-value',
  'undecodable',
  'wrong-type',
  'missing-feature',
  'not-finite',
  'out-of-range',
];
