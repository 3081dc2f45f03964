/**
 * Ingestion: payments from a CSV file or the synthetic generator into the raw payments topic,
 * optionally paced to a rate (records per second) to replay a stream. Two ways in:
 * - straight into a topic log (the embedded log or Kafka), encoded with the raw stream's own
 *   key and value formats, so keys and record timestamps are exactly reproducible;
 * - through a ksqlDB server's /inserts-stream, which works against any server.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from '../engine/metastore/types.js';
import { serdeFactory } from '../engine/serde/index.js';
import type { Column } from '../engine/types.js';
import { compileJsonCoercer } from '../engine/values/json-coerce.js';
import type { Value } from '../engine/values/value.js';
import type { KsqlDbClient } from '../ksql/client.js';
import type { ProduceRecord, TopicLog } from '../log/topic-log.js';
import type { Payment } from './synthetic.js';

export interface PaymentSink {
  write(batch: readonly Payment[]): Promise<void>;
}

/** Looks a payment field up by column name, ignoring case (ID → Id, V1 → V1, CLASS → Class). */
function fieldReader(column: Column): (p: Payment) => unknown {
  const wanted = column.name.toUpperCase();
  let key: string | undefined;
  return (p) => {
    key ??= Object.keys(p).find((k) => k.toUpperCase() === wanted);
    if (key === undefined) throw new Error(`payments have no field for column ${column.name}`);
    return (p as unknown as Record<string, unknown>)[key];
  };
}

/** Writes payments into the raw stream's topic, encoded as the stream declares. */
export class TopicLogSink implements PaymentSink {
  private readonly encode: (p: Payment) => ProduceRecord;
  private readonly topic: string;

  constructor(
    private readonly log: TopicLog,
    source: Pick<DataSource, 'topic' | 'schema' | 'keyFormat' | 'valueFormat'>,
  ) {
    const keyColumns = source.schema.columns.filter((c) => c.namespace === 'KEY');
    const valueColumns = source.schema.columns.filter((c) => c.namespace === 'VALUE');
    const keySerde = serdeFactory.keySerde(source.keyFormat, keyColumns);
    const valueSerde = serdeFactory.valueSerde(source.valueFormat, valueColumns);
    const convert = (columns: Column[]) => {
      const readers = columns.map(fieldReader);
      const coercers = columns.map((c) => compileJsonCoercer(c.type));
      return (p: Payment): Value[] => readers.map((read, i) => coercers[i]!(read(p) ?? null));
    };
    const keyOf = convert(keyColumns);
    const valueOf = convert(valueColumns);
    this.encode = (p) => ({
      key: keySerde.serialize(keyOf(p)),
      value: valueSerde.serialize(valueOf(p)),
      timestamp: Date.parse(p.Timestamp),
    });
    this.topic = source.topic;
  }

  async write(batch: readonly Payment[]): Promise<void> {
    await this.log.append(this.topic, batch.map(this.encode));
  }
}

/** Writes payments through a ksqlDB server's /inserts-stream (any server, any format). */
export class InsertsStreamSink implements PaymentSink {
  constructor(
    private readonly client: KsqlDbClient,
    private readonly stream: string,
  ) {}

  async write(batch: readonly Payment[]): Promise<void> {
    await this.client.insertRows(
      this.stream,
      batch.map((p) => {
        const row: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(p)) row[k.toUpperCase()] = k === 'Class' && v !== null ? String(v) : v;
        return row;
      }),
    );
  }
}

export interface IngestOptions {
  /** Records per second; undefined = as fast as possible. */
  readonly rate?: number;
  readonly batchSize?: number;
  readonly onProgress?: (written: number) => void;
  readonly signal?: AbortSignal;
}

export interface IngestResult {
  readonly records: number;
  readonly frauds: number;
  readonly unlabelled: number;
  readonly seconds: number;
}

export async function ingestPayments(
  payments: Iterable<Payment> | AsyncIterable<Payment>,
  sink: PaymentSink,
  opts: IngestOptions = {},
): Promise<IngestResult> {
  if (opts.rate !== undefined && !(opts.rate > 0)) throw new Error(`--rate must be a positive number of records per second, not ${opts.rate}`);
  // Small batches keep a paced replay smooth; large ones make a bulk load fast.
  const batchSize = opts.batchSize ?? (opts.rate ? Math.max(1, Math.min(500, Math.floor(opts.rate / 10))) : 5000);
  const started = performance.now();
  let written = 0;
  let frauds = 0;
  let unlabelled = 0;
  let batch: Payment[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await sink.write(batch);
    written += batch.length;
    batch = [];
    opts.onProgress?.(written);
    if (opts.rate) {
      const due = (written / opts.rate) * 1000 - (performance.now() - started);
      if (due > 0) await sleep(due, undefined, opts.signal ? { signal: opts.signal } : undefined);
    }
  };
  for await (const p of payments as AsyncIterable<Payment>) {
    opts.signal?.throwIfAborted();
    if (p.Class === 1) frauds++;
    else if (p.Class === null) unlabelled++;
    batch.push(p);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return { records: written, frauds, unlabelled, seconds: (performance.now() - started) / 1000 };
}
