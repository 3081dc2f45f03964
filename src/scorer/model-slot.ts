/**
 * The model the scorer applies, and how a new one takes over without a restart. Sources (the
 * watched bundle directory, the models control topic) offer bundles at any time; a bundle is
 * built and checked as it arrives, but only installed when the scoring loop asks for the model
 * at the start of its next micro-batch. So every batch is scored by one model, each score names
 * that model's version, and a swap neither skips nor repeats a record.
 *
 * Before the scorer starts, offers compete: the newest bundle (by creation time) wins, so a
 * restart picks the same model whichever source it reads first. Once running, every offer of a
 * different version takes over in arrival order (publishing an older bundle is a rollback).
 */
import type { Logger } from 'pino';
import type { FormatInfo } from '../engine/serde/types.js';
import { instantiateBundle, type BundleArtifacts, type LoadedBundle } from '../model/bundle.js';
import type { ScorerMetrics } from './metrics.js';
import { PaymentDecoder } from './payment-decoder.js';

export type ModelSource = 'directory' | 'control-topic' | 'api';

/** A model ready to score: the bundle, its decoder and the threshold in force. */
export interface ActiveModel {
  readonly bundle: LoadedBundle;
  readonly decoder: PaymentDecoder;
  readonly version: string;
  readonly name: string;
  readonly threshold: number;
  readonly source: ModelSource;
}

interface Candidate {
  readonly bundle: LoadedBundle;
  readonly decoder: PaymentDecoder;
  readonly source: ModelSource;
}

export class ModelSlot {
  private active: Candidate | undefined;
  private pending: Candidate | undefined;
  private started = false;
  /** Threshold updates per model version; they apply whenever that version is active. */
  private readonly thresholds = new Map<string, number>();
  private readonly waiters: (() => void)[] = [];
  /** Offers are built one at a time, so that they take effect in arrival order. */
  private offers: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly inputFormat: FormatInfo,
    private readonly metrics: ScorerMetrics,
    private readonly logger: Logger,
  ) {}

  /**
   * Builds and checks a bundle; resolves true if it will take over (false: refused, or the
   * version already in use). Never throws: a bad bundle is logged and the current one stays.
   */
  offer(artifacts: BundleArtifacts, source: ModelSource, origin: string): Promise<boolean> {
    const run = this.offers.then(() => this.build(artifacts, source, origin));
    this.offers = run.catch(() => undefined);
    return run;
  }

  /** A new threshold for a model version (default: the version in use or about to be). */
  setThreshold(value: number, modelVersion?: string): void {
    if (!Number.isFinite(value)) throw new RangeError(`A threshold must be a finite number, not ${value}.`);
    const version = modelVersion ?? (this.pending ?? this.active)?.bundle.manifest.version;
    if (version === undefined) throw new Error('No model is loaded, so the threshold needs a model version.');
    this.thresholds.set(version, value);
    this.logger.info({ modelVersion: version, threshold: value }, 'threshold updated');
    this.publishInfo();
  }

  /** Ends the startup competition: from now on every new version takes over when it arrives. */
  markStarted(): void {
    this.started = true;
  }

  /** Called by the scoring loop between batches: installs a pending bundle and returns the model to use. */
  current(): ActiveModel | undefined {
    if (this.pending !== undefined) {
      const previous = this.active;
      this.active = this.pending;
      this.pending = undefined;
      // Nothing scores asynchronously, so the old model is unused once the loop is here.
      if (previous !== undefined && previous.bundle !== this.active.bundle) previous.bundle.dispose();
      const m = this.active.bundle.manifest;
      this.metrics.modelSwaps.inc({ source: this.active.source });
      this.logger.info({ modelVersion: m.version, previous: previous?.bundle.manifest.version, source: this.active.source }, 'model took over');
      this.publishInfo();
    }
    return this.active === undefined ? undefined : this.describe(this.active);
  }

  /** The newest model loaded, installed or about to be: what request/response callers (KServe V2) get. */
  peek(): ActiveModel | undefined {
    const c = this.pending ?? this.active;
    return c === undefined ? undefined : this.describe(c);
  }

  get loaded(): boolean {
    return this.active !== undefined || this.pending !== undefined;
  }

  /** Resolves once some model is available. */
  async whenLoaded(signal?: AbortSignal): Promise<void> {
    if (this.loaded) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  dispose(): void {
    this.active?.bundle.dispose();
    if (this.pending?.bundle !== this.active?.bundle) this.pending?.bundle.dispose();
    this.active = undefined;
    this.pending = undefined;
  }

  private async build(artifacts: BundleArtifacts, source: ModelSource, origin: string): Promise<boolean> {
    const manifest = artifacts.manifest;
    const newest = this.pending ?? this.active;
    if (newest?.bundle.manifest.version === manifest.version) return false;
    if (!this.started && newest !== undefined && newest.bundle.manifest.createdAt > manifest.createdAt) {
      this.logger.info({ modelVersion: manifest.version, kept: newest.bundle.manifest.version, origin }, 'a newer bundle is already loaded');
      return false;
    }
    let bundle: LoadedBundle;
    let decoder: PaymentDecoder;
    try {
      decoder = new PaymentDecoder(manifest, this.inputFormat);
      bundle = await instantiateBundle(artifacts, origin);
    } catch (err) {
      this.metrics.modelLoadFailures.inc({ source });
      this.logger.error({ err, origin, modelVersion: manifest.version }, 'refused a model bundle; the current model stays');
      return false;
    }
    if (this.pending !== undefined) this.pending.bundle.dispose();
    this.pending = { bundle, decoder, source };
    this.logger.info({ modelVersion: manifest.version, origin, source }, 'model bundle loaded; it takes over at the next batch');
    for (const wake of this.waiters.splice(0)) wake();
    return true;
  }

  private describe(c: Candidate): ActiveModel {
    const m = c.bundle.manifest;
    return {
      bundle: c.bundle,
      decoder: c.decoder,
      version: m.version,
      name: m.name,
      threshold: this.thresholds.get(m.version) ?? m.threshold.value,
      source: c.source,
    };
  }

  private publishInfo(): void {
    this.metrics.modelInfo.reset();
    if (this.active !== undefined) {
      this.metrics.modelInfo.set({ name: this.active.bundle.manifest.name, version: this.active.bundle.manifest.version }, 1);
    }
  }
}
