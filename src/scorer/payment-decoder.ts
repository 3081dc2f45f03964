/**
 * Turns a record of the preprocessed stream into the model's input, or says precisely why it
 * cannot be scored. Decoding uses the engine's serde for the stream's value format (what
 * ksqlDB itself would read), then checks what a model needs: every feature present, a finite
 * number, inside the domain the bundle declares.
 */
import { SerdeError } from '../engine/errors.js';
import { serdeFactory } from '../engine/serde/index.js';
import type { FormatInfo, ValueSerde } from '../engine/serde/types.js';
import type { Column } from '../engine/types.js';
import type { Value } from '../engine/values/value.js';
import type { LogRecord } from '../log/topic-log.js';
import type { BundleManifest, FeatureDomain } from '../model/bundle.js';
import { featureColumns, PASSTHROUGH_COLUMNS } from './scores-schema.js';

/** Why a record went to the dead-letter topic. */
export type RejectionReason =
  | 'null-value'
  | 'undecodable'
  | 'wrong-type'
  | 'missing-feature'
  | 'not-finite'
  | 'out-of-range';

export type DecodedPayment =
  | { readonly ok: true; readonly features: number[]; readonly passthrough: Value[] }
  | { readonly ok: false; readonly reason: RejectionReason; readonly message: string };

export class PaymentDecoder {
  private readonly serde: ValueSerde;
  private readonly features: readonly Column[];
  private readonly domains: readonly (FeatureDomain | undefined)[];
  /** Where each PASSTHROUGH_COLUMNS entry sits in a decoded row. */
  private readonly passthroughIndexes: readonly number[];

  constructor(manifest: BundleManifest, format: FormatInfo) {
    this.features = featureColumns(
      manifest.features.map((name) => manifest.schema.columns.find((c) => c.name.toUpperCase() === name.toUpperCase()) ?? { name, type: 'DOUBLE' }),
    );
    // Passthrough columns the model also reads are read once, as features.
    const names = new Set(this.features.map((c) => c.name));
    const passthrough = PASSTHROUGH_COLUMNS.filter((c) => !names.has(c.name));
    this.passthroughIndexes = PASSTHROUGH_COLUMNS.map((c) =>
      names.has(c.name) ? this.features.findIndex((f) => f.name === c.name) : this.features.length + passthrough.indexOf(c),
    );
    this.serde = serdeFactory.valueSerde(format, [...this.features, ...passthrough]);
    this.domains = manifest.features.map((f) => manifest.domains?.[f] ?? manifest.domains?.[f.toUpperCase()]);
  }

  decode(record: LogRecord): DecodedPayment {
    let row: Value[] | null;
    try {
      row = this.serde.deserialize(record.value);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const malformed = !(err instanceof SerdeError) || message.startsWith('Failed to deserialize JSON') || message.includes('Unexpected');
      return { ok: false, reason: malformed ? 'undecodable' : 'wrong-type', message };
    }
    if (row === null) return { ok: false, reason: 'null-value', message: 'The record has no value (a tombstone or JSON null).' };
    const decoded = row;
    const checked = this.checkFeatures(decoded);
    if (!checked.ok) return checked;
    return { ok: true, features: checked.features, passthrough: this.passthroughIndexes.map((i) => decoded[i] ?? null) };
  }

  /** The feature names, in the model's order. */
  get featureNames(): string[] {
    return this.features.map((c) => c.name);
  }

  /**
   * Checks feature values given in the model's order (a decoded row starts with them): present,
   * numbers, finite, inside their domains. Shared by the stream and request/response scoring.
   */
  checkFeatures(values: readonly unknown[]): { ok: true; features: number[] } | { ok: false; reason: RejectionReason; message: string } {
    const features = new Array<number>(this.features.length);
    for (let i = 0; i < this.features.length; i++) {
      const name = this.features[i]!.name;
      const v = values[i];
      if (v === null || v === undefined) return { ok: false, reason: 'missing-feature', message: `Feature ${name} is missing or null.` };
      if (typeof v !== 'number' && typeof v !== 'bigint') {
        return { ok: false, reason: 'wrong-type', message: `Feature ${name} is not a number.` };
      }
      const n = Number(v);
      if (!Number.isFinite(n)) return { ok: false, reason: 'not-finite', message: `Feature ${name} is ${n}, not a finite number.` };
      const domain = this.domains[i];
      if (domain !== undefined) {
        const outside =
          (domain.min !== undefined && n < domain.min) ||
          (domain.max !== undefined && n > domain.max) ||
          (domain.integer === true && !Number.isInteger(n));
        if (outside) {
          return { ok: false, reason: 'out-of-range', message: `Feature ${name} is ${n}, outside its domain ${describeDomain(domain)}.` };
        }
      }
      features[i] = n;
    }
    return { ok: true, features };
  }
}

function describeDomain(domain: FeatureDomain): string {
  const range = `[${domain.min ?? '-∞'}, ${domain.max ?? '∞'}]`;
  return domain.integer ? `${range} (integers)` : range;
}
