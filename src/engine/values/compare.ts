/**
 * Equality, ordering and stable grouping keys for runtime values (see ../types.ts for the
 * representation). Both operands of `valuesEqual` / `compareValues` are expected to have the
 * same SQL type; callers widen mixed numeric operands first (the expression compiler does).
 */
import { Decimal } from './decimal.js';
import type { Struct, Value } from './value.js';

/**
 * Deep equality with Java's `equals` semantics for same-typed values: NaN equals NaN, DECIMAL
 * compares numerically, collections element-wise, a null nested inside a collection equals
 * another null there. Top-level SQL null handling is the caller's business.
 */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  switch (typeof a) {
    case 'number':
      if (typeof b === 'number') return a === b || (a !== a && b !== b);
      if (typeof b === 'bigint') return Number.isInteger(a) && BigInt(a) === b;
      return false;
    case 'bigint':
      if (typeof b === 'bigint') return a === b;
      if (typeof b === 'number') return Number.isInteger(b) && BigInt(b) === a;
      return false;
    case 'string':
    case 'boolean':
      return false; // === already failed
    default:
      break;
  }
  if (a instanceof Decimal) return b instanceof Decimal && a.compareTo(b) === 0;
  if (Buffer.isBuffer(a)) return Buffer.isBuffer(b) && a.equals(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i]!, b[i]!)) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) {
      const other = mapLookup(b, k);
      if (other === undefined || !valuesEqual(v, other)) return false;
    }
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object' && !(b instanceof Map) && !Array.isArray(b) && !Buffer.isBuffer(b) && !(b instanceof Decimal)) {
    return structsEqual(a as Struct, b as Struct);
  }
  return false;
}

function structsEqual(a: Struct, b: Struct): boolean {
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (const k of keysA) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!valuesEqual(a[k] ?? null, b[k] ?? null)) return false;
  }
  return true;
}

/**
 * Looks a key up in a MAP value: by identity first (strings, numbers, bigints), then by value
 * for keys that are objects (DECIMAL, BYTES, ...). Undefined when absent.
 */
export function mapLookup(map: Map<Value, Value>, key: Value): Value | undefined {
  const direct = map.get(key);
  if (direct !== undefined || map.has(key)) return direct;
  if (key === null || typeof key !== 'object') return undefined;
  for (const [k, v] of map) if (valuesEqual(k, key)) return v;
  return undefined;
}

/**
 * Total order for same-typed values, like Java's `compareTo`: numbers numerically (NaN above
 * +Infinity, as Double.compare), strings by UTF-16 code units, booleans false < true, BYTES
 * lexicographically by signed bytes (ByteBuffer.compareTo), collections element-wise then by
 * size. Null sorts before everything.
 */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return compareDoubles(a, b);
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
      if (typeof a === 'number' && !Number.isInteger(a)) return compareDoubles(a, Number(b));
      if (typeof b === 'number' && !Number.isInteger(b)) return compareDoubles(Number(a), b);
      const x = BigInt(a);
      const y = BigInt(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Decimal && b instanceof Decimal) return a.compareTo(b);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return compareSignedBytes(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = compareValues(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  // Maps and structs have no SQL ordering; fall back to their stable keys so sorting is deterministic.
  const ka = keyString([a]);
  const kb = keyString([b]);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function compareDoubles(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const aNaN = a !== a;
  const bNaN = b !== b;
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  return 0;
}

/** BYTES order of java.nio.ByteBuffer.compareTo: lexicographic over signed bytes, then length. */
export function compareSignedBytes(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = (a[i]! << 24) >> 24;
    const y = (b[i]! << 24) >> 24;
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}

/**
 * A stable string for a tuple of values, equal for values that `valuesEqual` considers equal
 * (DECIMAL by numeric value, so 1.0 and 1.00 group together; INTEGER 1 and BIGINT 1 too).
 * Used for GROUP BY, DISTINCT and table keys.
 */
export function keyString(values: readonly Value[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += '\u0001';
    out += keyOf(values[i]!);
  }
  return out;
}

function keyOf(v: Value): string {
  if (v === null) return 'n';
  switch (typeof v) {
    case 'boolean':
      return v ? 'T' : 'F';
    case 'number':
      if (Number.isInteger(v) && !Object.is(v, -0)) return 'i' + v.toString();
      return 'd' + (v !== v ? 'NaN' : String(v));
    case 'bigint':
      return 'i' + v.toString();
    case 'string':
      return 's' + JSON.stringify(v);
    default:
      break;
  }
  if (v instanceof Decimal) return 'm' + normalizedDecimal(v);
  if (Buffer.isBuffer(v)) return 'b' + v.toString('base64');
  if (Array.isArray(v)) return '[' + v.map(keyOf).join(',') + ']';
  if (v instanceof Map) {
    const entries = [...v].map(([k, val]) => keyOf(k) + ':' + keyOf(val)).sort();
    return '{' + entries.join(',') + '}';
  }
  const s = v as Struct;
  return '<' + Object.keys(s).map((k) => JSON.stringify(k) + ':' + keyOf(s[k] ?? null)).join(',') + '>';
}

function normalizedDecimal(d: Decimal): string {
  let unscaled = d.unscaled;
  let scale = d.scale;
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  return unscaled.toString() + 'e-' + scale;
}
