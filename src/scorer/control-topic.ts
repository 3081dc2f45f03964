/**
 * Models as data: the models control topic carries whole model bundles and threshold updates,
 * so every scorer replica, wherever it runs, swaps models without a restart or a shared volume.
 * Each scorer reads the topic from the beginning (not as a group member: every replica needs
 * every message) and keeps tailing it. Messages are JSON; their keys let a compacted topic keep
 * the latest bundle per model name and the latest threshold per model version:
 *
 *   key bundle/<name>:                 { "type": "bundle", "manifest": {...}, "modelJson": {...}, "weights": "<base64>" }
 *   key threshold/<name>/<version>:    { "type": "threshold", "value": 0.42, "modelVersion": "<version>" }
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { TopicLog, TopicReader } from '../log/topic-log.js';
import { parseBundleManifest, type BundleArtifacts } from '../model/bundle.js';
import type { ModelSlot } from './model-slot.js';

/** Kafka's default message.max.bytes is about 1 MB; a bundle must fit in one record. */
const MAX_MESSAGE_BYTES = 1_000_000;

const bundleMessageSchema = z.object({
  type: z.literal('bundle'),
  manifest: z.unknown(),
  modelJson: z.object({ modelTopology: z.unknown(), weightsManifest: z.array(z.object({ weights: z.array(z.any()) })).min(1) }),
  weights: z.string(),
});

const thresholdMessageSchema = z.object({
  type: z.literal('threshold'),
  value: z.number().refine(Number.isFinite, 'must be a finite number'),
  modelVersion: z.string().min(1),
});

const controlMessageSchema = z.discriminatedUnion('type', [bundleMessageSchema, thresholdMessageSchema]);

export type ControlMessage =
  | { readonly type: 'bundle'; readonly artifacts: BundleArtifacts }
  | { readonly type: 'threshold'; readonly value: number; readonly modelVersion: string };

export function encodeBundleMessage(artifacts: BundleArtifacts): Buffer {
  const value = Buffer.from(
    JSON.stringify({ type: 'bundle', manifest: artifacts.manifest, modelJson: artifacts.modelJson, weights: artifacts.weights.toString('base64') }),
  );
  if (value.length > MAX_MESSAGE_BYTES) {
    throw new RangeError(
      `The bundle ${artifacts.manifest.version} takes ${value.length} bytes as a control message, more than the ${MAX_MESSAGE_BYTES} a Kafka record may hold by default; mount the bundle directory instead.`,
    );
  }
  return value;
}

export function decodeControlMessage(value: Buffer | null): ControlMessage {
  if (value === null) throw new Error('empty control message');
  const parsed = controlMessageSchema.parse(JSON.parse(value.toString('utf8')));
  if (parsed.type === 'threshold') return parsed;
  return {
    type: 'bundle',
    artifacts: {
      manifest: parseBundleManifest(parsed.manifest),
      modelJson: parsed.modelJson as BundleArtifacts['modelJson'],
      weights: Buffer.from(parsed.weights, 'base64'),
    },
  };
}

/** The control topic: one partition (messages stay ordered), compacted (old bundles go). */
export async function ensureControlTopic(log: TopicLog, topic: string): Promise<void> {
  await log.ensureTopic(topic, { partitions: 1, replicas: -1, config: { 'cleanup.policy': 'compact' } });
}

export async function publishBundle(log: TopicLog, topic: string, artifacts: BundleArtifacts): Promise<void> {
  await ensureControlTopic(log, topic);
  await log.append(topic, [{ key: Buffer.from(`bundle/${artifacts.manifest.name}`), value: encodeBundleMessage(artifacts) }]);
}

export async function publishThreshold(log: TopicLog, topic: string, update: { name: string; modelVersion: string; value: number }): Promise<void> {
  thresholdMessageSchema.parse({ type: 'threshold', value: update.value, modelVersion: update.modelVersion });
  await ensureControlTopic(log, topic);
  const value = Buffer.from(JSON.stringify({ type: 'threshold', value: update.value, modelVersion: update.modelVersion }));
  await log.append(topic, [{ key: Buffer.from(`threshold/${update.name}/${update.modelVersion}`), value }]);
}

/** Applies the control topic to the model slot: everything there now, then what comes later. */
export class ControlTopicFollower {
  private reader: TopicReader | undefined;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly log: TopicLog,
    private readonly topic: string,
    private readonly slot: ModelSlot,
    private readonly logger: Logger,
  ) {}

  /** Replays the topic to its current end, then follows it in the background. */
  async start(): Promise<void> {
    await ensureControlTopic(this.log, this.topic);
    const ends = await this.log.endOffsets(this.topic);
    this.reader = await this.log.openReader({ topics: [this.topic], start: 'earliest' });
    while (!this.reader.positions().every((p) => p.offset >= (ends[p.partition] ?? 0))) {
      const records = await this.reader.poll({ maxRecords: 100, maxWaitMs: 1000 });
      if (records.length === 0) break;
      for (const r of records) await this.apply(r.value, r.offset);
    }
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop?.catch(() => undefined);
    await this.reader?.close();
  }

  private async follow(): Promise<void> {
    while (!this.abort.signal.aborted) {
      let records;
      try {
        records = await this.reader!.poll({ maxRecords: 100, maxWaitMs: 1000, signal: this.abort.signal });
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.logger.error({ err, topic: this.topic }, 'reading the control topic failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      for (const r of records) await this.apply(r.value, r.offset);
    }
  }

  /** A bad message is logged and skipped: it must not stop the scorer or later messages. */
  private async apply(value: Buffer | null, offset: number): Promise<void> {
    let message: ControlMessage;
    try {
      message = decodeControlMessage(value);
    } catch (err) {
      this.logger.error({ err: err instanceof Error ? err.message : String(err), topic: this.topic, offset }, 'skipping an invalid control message');
      return;
    }
    if (message.type === 'bundle') {
      await this.slot.offer(message.artifacts, 'control-topic', `${this.topic}@${offset}`);
    } else {
      this.slot.setThreshold(message.value, message.modelVersion);
    }
  }
}
