/**
 * Java `Objects.equals` over runtime values, as collection and null functions see them:
 * deep for arrays, maps and structs; BigDecimal.equals is scale-sensitive; Double.equals treats
 * NaN as equal to itself.
 */
import { Decimal } from '../values/decimal.js';
import type { Value } from '../values/value.js';

export function javaEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Decimal || b instanceof Decimal) {
    return a instanceof Decimal && b instanceof Decimal && a.scale === b.scale && a.unscaled === b.unscaled;
  }
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => javaEquals(x, b[i]!));
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) {
      const other = findKey(b, k);
      if (other === undefined || !javaEquals(v, other[1])) return false;
    }
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && javaEquals((a as Record<string, Value>)[k]!, (b as Record<string, Value>)[k]!));
  }
  return false;
}

function findKey(map: Map<Value, Value>, key: Value): [Value, Value] | undefined {
  if (map.has(key)) return [key, map.get(key)!];
  for (const entry of map) if (javaEquals(entry[0], key)) return entry;
  return undefined;
}

/** Distinct values in first-seen order (LinkedHashSet semantics). */
export function distinctValues(values: readonly Value[]): Value[] {
  const out: Value[] = [];
  for (const v of values) if (!out.some((o) => javaEquals(o, v))) out.push(v);
  return out;
}

export function containsValue(values: readonly Value[], v: Value): boolean {
  return values.some((o) => javaEquals(o, v));
}
