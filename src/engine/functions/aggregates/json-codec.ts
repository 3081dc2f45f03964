/**
 * Typed, lossless JSON for accumulators in the durable state store: every runtime value of a
 * SQL type (see ../../types.ts) to JSON-safe data and back. BIGINT and DECIMAL become strings
 * (DECIMAL keeps its scale), BYTES base64, DOUBLE specials ('NaN', 'Infinity', '-Infinity',
 * '-0') strings, MAP a list of [key, value] pairs, STRUCT an object in field order.
 */
import { KsqlError } from '../../errors.js';
import { formatSqlType, type SqlType } from '../../types.js';
import { Decimal } from '../../values/decimal.js';
import type { Struct, Value } from '../../values/value.js';

export function valueToJson(value: Value, type: SqlType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'BOOLEAN':
    case 'STRING':
    case 'INTEGER':
    case 'TIMESTAMP':
    case 'DATE':
    case 'TIME':
      return value;
    case 'DOUBLE':
      return doubleToJson(value as number);
    case 'BIGINT':
      return (value as bigint).toString();
    case 'DECIMAL':
      return (value as Decimal).toString();
    case 'BYTES':
      return (value as Buffer).toString('base64');
    case 'ARRAY':
      return (value as Value[]).map((v) => valueToJson(v, type.item));
    case 'MAP':
      return [...(value as Map<Value, Value>)].map(([k, v]) => [valueToJson(k, type.key), valueToJson(v, type.value)]);
    case 'STRUCT': {
      const s = value as Struct;
      const out: Record<string, unknown> = {};
      for (const f of type.fields) out[f.name] = valueToJson(s[f.name] ?? null, f.type);
      return out;
    }
    case 'NULL':
      return null;
  }
}

export function valueFromJson(json: unknown, type: SqlType): Value {
  if (json === null || json === undefined) return null;
  switch (type.kind) {
    case 'BOOLEAN':
      return expect(json, 'boolean', type) as boolean;
    case 'STRING':
      return expect(json, 'string', type) as string;
    case 'INTEGER':
    case 'TIMESTAMP':
    case 'DATE':
    case 'TIME':
      return expect(json, 'number', type) as number;
    case 'DOUBLE':
      return doubleFromJson(json);
    case 'BIGINT':
      return BigInt(expect(json, 'string', type) as string);
    case 'DECIMAL':
      return Decimal.parse(expect(json, 'string', type) as string);
    case 'BYTES':
      return Buffer.from(expect(json, 'string', type) as string, 'base64');
    case 'ARRAY':
      return expectArray(json, type).map((v) => valueFromJson(v, type.item));
    case 'MAP': {
      const out = new Map<Value, Value>();
      for (const entry of expectArray(json, type)) {
        const [k, v] = expectArray(entry, type);
        out.set(valueFromJson(k, type.key), valueFromJson(v, type.value));
      }
      return out;
    }
    case 'STRUCT': {
      if (typeof json !== 'object' || Array.isArray(json)) throw badState(json, type);
      const src = json as Record<string, unknown>;
      const out: Struct = {};
      for (const f of type.fields) out[f.name] = valueFromJson(src[f.name] ?? null, f.type);
      return out;
    }
    case 'NULL':
      return null;
  }
}

export function doubleToJson(d: number): number | string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (Object.is(d, -0)) return '-0';
  return d;
}

export function doubleFromJson(json: unknown): number {
  if (typeof json === 'number') return json;
  switch (json) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      throw badState(json, { kind: 'DOUBLE' });
  }
}

export function bigintFromJson(json: unknown): bigint {
  if (typeof json === 'string' || typeof json === 'number') return BigInt(json);
  throw badState(json, { kind: 'BIGINT' });
}

function expect(json: unknown, jsType: 'boolean' | 'string' | 'number', type: SqlType): unknown {
  if (typeof json !== jsType) throw badState(json, type);
  return json;
}

function expectArray(json: unknown, type: SqlType): unknown[] {
  if (!Array.isArray(json)) throw badState(json, type);
  return json;
}

export function badState(json: unknown, type: SqlType | string): KsqlError {
  const what = typeof type === 'string' ? type : formatSqlType(type);
  return new KsqlError(`Corrupt aggregate state: ${JSON.stringify(json)} is not a stored ${what}`);
}
