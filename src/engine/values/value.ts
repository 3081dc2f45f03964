/**
 * Runtime values of SQL types. The mapping from SqlType to JS representation is documented in
 * ../types.ts; the static type always travels separately (schemas, analysed expressions), so
 * values carry no type tags.
 */
import type { Decimal } from './decimal.js';

export type Struct = { [field: string]: Value };

export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Decimal
  | Buffer
  | Value[]
  | Map<Value, Value>
  | Struct;

/** A row as the runtime sees it: one value per column, in schema order. */
export type Row = Value[];
