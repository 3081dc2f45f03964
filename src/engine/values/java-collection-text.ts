/**
 * Java's `toString()` of the containers ksqlDB hands around: List as `[a, b]`, Map as `{k=v}`,
 * Connect Struct as `Struct{F=v,...}` (null fields omitted). How elements print is up to the
 * caller: CAST(... AS STRING) and the functions' string forms differ there.
 */
import type { SqlType } from '../types.js';
import type { Value } from './value.js';

export type CollectionType = Extract<SqlType, { readonly kind: 'ARRAY' | 'MAP' | 'STRUCT' }>;

/** Renders a non-null value of a container type, its elements with `element`. */
export function javaCollectionToString(
  value: Value,
  type: CollectionType,
  element: (v: Value, type: SqlType) => string,
): string {
  switch (type.kind) {
    case 'ARRAY':
      return '[' + (value as Value[]).map((v) => element(v, type.item)).join(', ') + ']';
    case 'MAP': {
      const parts: string[] = [];
      for (const [k, v] of value as Map<Value, Value>) parts.push(element(k, type.key) + '=' + element(v, type.value));
      return '{' + parts.join(', ') + '}';
    }
    case 'STRUCT': {
      const struct = value as Record<string, Value>;
      const parts: string[] = [];
      for (const f of type.fields) {
        const v = struct[f.name] ?? null;
        if (v !== null) parts.push(f.name + '=' + element(v, f.type));
      }
      return 'Struct{' + parts.join(',') + '}';
    }
  }
}
