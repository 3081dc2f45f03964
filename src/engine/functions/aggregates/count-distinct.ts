/**
 * COUNT_DISTINCT (ksqlDB's count/CountDistinct UDAF): a HyperLogLog estimate of the number of
 * distinct non-null values, reproducing stream-lib's HyperLogLog(log2m = 14) exactly: MurmurHash2
 * of the value as stream-lib hashes it (Integer/Long/Double as longs, String as its UTF-8 bytes,
 * anything else as its Java toString()), 16384 5-bit registers packed 6 per int (the intermediate
 * ARRAY<INT> of 2731 ints), linear counting below 2.5 * m. Not a table aggregation.
 */
import { SqlTypes, type SqlType } from '../../types.js';
import { Decimal } from '../../values/decimal.js';
import { javaCollectionToString, type CollectionType } from '../../values/java-collection-text.js';
import { javaDoubleToString } from '../../values/java-format.js';
import type { Value } from '../../values/value.js';
import { T } from '../define.js';
import { defineAggregate, udafVariant, type BuildContext } from './framework.js';
import { badState } from './json-codec.js';
import type { AggregateFunction } from './types.js';

const LOG2M = 14;
const M = 1 << LOG2M;
const REGISTERS_PER_WORD = 6; // RegisterSet.LOG2_BITS_PER_WORD
const REGISTER_SIZE = 5;
/** RegisterSet.getSizeForCount(M) */
export const HLL_WORDS = (() => {
  const bits = Math.floor(M / REGISTERS_PER_WORD);
  return bits === 0 ? 1 : bits % 32 === 0 ? bits : bits + 1;
})();
const ALPHA_MM = (0.7213 / (1 + 1.079 / M)) * M * M;
const MURMUR_M = 0x5bd1e995;

/** stream-lib MurmurHash.hash(byte[], length, seed = -1). */
export function murmurHashBytes(data: Uint8Array): number {
  const length = data.length;
  let h = -1 ^ length;
  const len4 = length >> 2;
  const signed = (i: number) => (data[i]! << 24) >> 24;
  for (let i = 0; i < len4; i++) {
    const i4 = i << 2;
    let k = signed(i4 + 3);
    k = k << 8;
    k = k | (data[i4 + 2]! & 0xff);
    k = k << 8;
    k = k | (data[i4 + 1]! & 0xff);
    k = k << 8;
    k = k | (data[i4]! & 0xff);
    k = Math.imul(k, MURMUR_M);
    k ^= k >>> 24;
    k = Math.imul(k, MURMUR_M);
    h = Math.imul(h, MURMUR_M);
    h ^= k;
  }
  const left = length - (len4 << 2);
  if (left !== 0) {
    if (left >= 3) h ^= signed(length - 3) << 16;
    if (left >= 2) h ^= signed(length - 2) << 8;
    if (left >= 1) h ^= signed(length - 1);
    h = Math.imul(h, MURMUR_M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, MURMUR_M);
  h ^= h >>> 15;
  return h | 0;
}

/** stream-lib MurmurHash.hashLong(long). */
export function murmurHashLong(data: bigint): number {
  const lo = Number(BigInt.asIntN(32, data));
  const hi = Number(BigInt.asIntN(32, data >> 32n));
  let h = 0;
  let k = Math.imul(lo, MURMUR_M);
  k ^= k >>> 24;
  h ^= Math.imul(k, MURMUR_M);
  k = Math.imul(hi, MURMUR_M);
  k ^= k >>> 24;
  h = Math.imul(h, MURMUR_M);
  h ^= Math.imul(k, MURMUR_M);
  h ^= h >>> 13;
  h = Math.imul(h, MURMUR_M);
  h ^= h >>> 15;
  return h | 0;
}

function doubleRawBits(d: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  return view.getBigInt64(0);
}

/** BigDecimal.toString(): plain unless the exponent is positive or the adjusted exponent is below -6. */
export function bigDecimalToString(d: Decimal): string {
  const digits = (d.unscaled < 0n ? -d.unscaled : d.unscaled).toString();
  const adjusted = -d.scale + (digits.length - 1);
  if (d.scale >= 0 && adjusted >= -6) return d.toString();
  const sign = d.unscaled < 0n ? '-' : '';
  const mantissa = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Object.toString() of the Java value ksqlDB holds for a runtime value (JVM in UTC). */
export function javaToString(v: Value, type: SqlType): string {
  if (v === null) return 'null';
  switch (type.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'STRING':
      return String(v);
    case 'BIGINT':
      return (v as bigint).toString();
    case 'DOUBLE':
      return javaDoubleToString(v as number);
    case 'DECIMAL':
      return bigDecimalToString(v as Decimal);
    case 'BYTES': {
      const n = (v as Buffer).length;
      return `java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]`;
    }
    case 'TIMESTAMP': {
      const ms = v as number;
      const d = new Date(ms);
      const millis = ((ms % 1000) + 1000) % 1000;
      const fraction = millis === 0 ? '0' : pad(millis, 3).replace(/0+$/, '');
      return (
        `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
        `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${fraction}`
      );
    }
    case 'DATE': {
      const d = new Date((v as number) * 86400000);
      return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
    }
    case 'TIME': {
      const s = Math.floor((v as number) / 1000);
      return `${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor(s / 60) % 60, 2)}:${pad(s % 60, 2)}`;
    }
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return javaCollectionToString(v, type as CollectionType, javaToString);
    case 'NULL':
      return 'null';
  }
}

/** MurmurHash.hash(Object) for the Java object behind a runtime value of `type`. */
export function javaObjectHash(v: Value, type: SqlType): number {
  if (v === null) return 0;
  switch (type.kind) {
    case 'INTEGER':
      return murmurHashLong(BigInt(v as number));
    case 'BIGINT':
      return murmurHashLong(v as bigint);
    case 'DOUBLE':
      return murmurHashLong(doubleRawBits(v as number));
    case 'STRING':
      return murmurHashBytes(Buffer.from(v as string, 'utf8'));
    default:
      return murmurHashBytes(Buffer.from(javaToString(v, type), 'utf8'));
  }
}

function registerAt(words: Int32Array, position: number): number {
  const bucket = Math.floor(position / REGISTERS_PER_WORD);
  const shift = REGISTER_SIZE * (position - bucket * REGISTERS_PER_WORD);
  return (words[bucket]! & (0x1f << shift)) >>> shift;
}

/** HyperLogLog.offerHashed + RegisterSet.updateIfGreater; returns the (possibly same) words. */
function offerHashed(words: Int32Array, hashed: number): Int32Array {
  const j = hashed >>> (32 - LOG2M);
  const r = Math.clz32((hashed << LOG2M) | ((1 << (LOG2M - 1)) + 1)) + 1;
  const bucket = Math.floor(j / REGISTERS_PER_WORD);
  const shift = REGISTER_SIZE * (j - bucket * REGISTERS_PER_WORD);
  const mask = 0x1f << shift;
  const current = (words[bucket]! & mask) >>> 0;
  const next = (r << shift) >>> 0;
  if (current >= next) return words;
  const out = new Int32Array(words);
  out[bucket] = (out[bucket]! & ~mask) | (r << shift);
  return out;
}

/** RegisterSet.merge: register-wise maximum. */
function mergeRegisters(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length);
  for (let w = 0; w < a.length; w++) {
    let word = 0;
    for (let j = 0; j < REGISTERS_PER_WORD; j++) {
      const mask = 0x1f << (REGISTER_SIZE * j);
      const x = a[w]! & mask;
      const y = b[w]! & mask;
      word |= x < y ? y : x;
    }
    out[w] = word;
  }
  return out;
}

/** HyperLogLog.cardinality() */
export function hllCardinality(words: Int32Array): bigint {
  let registerSum = 0;
  let zeros = 0;
  for (let j = 0; j < M; j++) {
    const val = registerAt(words, j);
    registerSum += 1 / 2 ** val;
    if (val === 0) zeros++;
  }
  const estimate = ALPHA_MM * (1 / registerSum);
  const javaRound = (x: number): bigint => {
    if (Number.isNaN(x)) return 0n;
    if (x >= 9.223372036854776e18) return 2n ** 63n - 1n;
    return BigInt(Math.floor(x + 0.5));
  };
  if (estimate <= (5 / 2) * M) return javaRound(M * Math.log(M / zeros));
  return javaRound(estimate);
}

function countDistinct(ctx: BuildContext): AggregateFunction<Int32Array> {
  const type = ctx.columnTypes[0]!;
  const empty = new Int32Array(HLL_WORDS);
  return {
    name: ctx.name,
    returnType: SqlTypes.BIGINT,
    aggregateType: SqlTypes.array(SqlTypes.INTEGER),
    initialize: () => empty,
    aggregate: (acc, args) => {
      const v = args[0] ?? null;
      if (v === null) return acc;
      return offerHashed(acc, javaObjectHash(v, type));
    },
    merge: mergeRegisters,
    result: (acc) => hllCardinality(acc),
    toJson: (acc) => {
      const bytes = Buffer.alloc(acc.length * 4);
      acc.forEach((w, i) => bytes.writeInt32LE(w, i * 4));
      return bytes.toString('base64');
    },
    fromJson: (json) => {
      if (typeof json !== 'string') throw badState(json, 'COUNT_DISTINCT register set');
      const bytes = Buffer.from(json, 'base64');
      if (bytes.length !== HLL_WORDS * 4) throw badState(json, 'COUNT_DISTINCT register set');
      const out = new Int32Array(HLL_WORDS);
      for (let i = 0; i < HLL_WORDS; i++) out[i] = bytes.readInt32LE(i * 4);
      return out;
    },
  };
}

export const COUNT_DISTINCT = defineAggregate({
  style: 'udaf',
  name: 'COUNT_DISTINCT',
  declaredName: 'COUNT_DISTINCT',
  description:
    'This function returns the number of items found in a group. ' +
    'The implementation is probabilistic with a typical accuracy (standard error) of less than 1%.',
  variants: [
    udafVariant(T, [], {
      description: 'Count distinct',
      returnDisplay: 'BIGINT',
      table: false,
      build: countDistinct,
    }),
  ],
});
