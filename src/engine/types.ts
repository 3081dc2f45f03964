/**
 * SQL types of ksqlDB's type system and how ksqlDB writes them.
 *
 * Runtime representation of values of each type (see `Value` in ./values/value.ts):
 *   BOOLEAN   -> boolean
 *   INTEGER   -> number (always a 32-bit integer; arithmetic wraps like Java `int`)
 *   BIGINT    -> bigint (64-bit; arithmetic wraps like Java `long`)
 *   DOUBLE    -> number
 *   DECIMAL   -> Decimal (exact, ./values/decimal.ts)
 *   STRING    -> string
 *   BYTES     -> Buffer
 *   TIMESTAMP -> number (epoch millis)
 *   DATE      -> number (days since epoch)
 *   TIME      -> number (millis of day)
 *   ARRAY     -> Value[]
 *   MAP       -> Map<Value, Value> (insertion ordered)
 *   STRUCT    -> Struct: a plain object keyed by field name, fields in schema order
 *   any type  -> null for SQL NULL
 */

export type PrimitiveTypeName =
  | 'BOOLEAN'
  | 'INTEGER'
  | 'BIGINT'
  | 'DOUBLE'
  | 'STRING'
  | 'BYTES'
  | 'TIMESTAMP'
  | 'DATE'
  | 'TIME';

export type SqlType =
  | { readonly kind: PrimitiveTypeName }
  | { readonly kind: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'ARRAY'; readonly item: SqlType }
  | { readonly kind: 'MAP'; readonly key: SqlType; readonly value: SqlType }
  | { readonly kind: 'STRUCT'; readonly fields: readonly StructField[] }
  /** The type of the NULL literal before it is coerced; never a column type. */
  | { readonly kind: 'NULL' };

export interface StructField {
  readonly name: string;
  readonly type: SqlType;
}

export type SqlTypeKind = SqlType['kind'];

export const SqlTypes = {
  BOOLEAN: { kind: 'BOOLEAN' } as SqlType,
  INTEGER: { kind: 'INTEGER' } as SqlType,
  BIGINT: { kind: 'BIGINT' } as SqlType,
  DOUBLE: { kind: 'DOUBLE' } as SqlType,
  STRING: { kind: 'STRING' } as SqlType,
  BYTES: { kind: 'BYTES' } as SqlType,
  TIMESTAMP: { kind: 'TIMESTAMP' } as SqlType,
  DATE: { kind: 'DATE' } as SqlType,
  TIME: { kind: 'TIME' } as SqlType,
  NULL: { kind: 'NULL' } as SqlType,
  decimal(precision: number, scale: number): SqlType {
    return { kind: 'DECIMAL', precision, scale };
  },
  array(item: SqlType): SqlType {
    return { kind: 'ARRAY', item };
  },
  map(key: SqlType, value: SqlType): SqlType {
    return { kind: 'MAP', key, value };
  },
  struct(fields: readonly StructField[]): SqlType {
    return { kind: 'STRUCT', fields };
  },
} as const;

/** ksqlDB's `SqlType.toString()` spelling, as used in REST column types and error messages. */
export function formatSqlType(type: SqlType): string {
  switch (type.kind) {
    case 'DECIMAL':
      return `DECIMAL(${type.precision}, ${type.scale})`;
    case 'ARRAY':
      return `ARRAY<${formatSqlType(type.item)}>`;
    case 'MAP':
      return `MAP<${formatSqlType(type.key)}, ${formatSqlType(type.value)}>`;
    case 'STRUCT':
      if (type.fields.length === 0) return 'STRUCT< >';
      return `STRUCT<${type.fields.map((f) => `\`${f.name}\` ${formatSqlType(f.type)}`).join(', ')}>`;
    default:
      return type.kind;
  }
}

export function sqlTypeEquals(a: SqlType, b: SqlType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'DECIMAL': {
      const d = b as typeof a;
      return a.precision === d.precision && a.scale === d.scale;
    }
    case 'ARRAY':
      return sqlTypeEquals(a.item, (b as typeof a).item);
    case 'MAP': {
      const m = b as typeof a;
      return sqlTypeEquals(a.key, m.key) && sqlTypeEquals(a.value, m.value);
    }
    case 'STRUCT': {
      const s = b as typeof a;
      return (
        a.fields.length === s.fields.length &&
        a.fields.every((f, i) => f.name === s.fields[i]!.name && sqlTypeEquals(f.type, s.fields[i]!.type))
      );
    }
    default:
      return true;
  }
}

export function isNumericType(type: SqlType): boolean {
  return type.kind === 'INTEGER' || type.kind === 'BIGINT' || type.kind === 'DOUBLE' || type.kind === 'DECIMAL';
}

export function isPrimitiveType(type: SqlType): boolean {
  return type.kind !== 'ARRAY' && type.kind !== 'MAP' && type.kind !== 'STRUCT' && type.kind !== 'NULL';
}

/** Where a column lives in a record. */
export type ColumnNamespace = 'KEY' | 'VALUE' | 'HEADER';

export interface Column {
  readonly name: string;
  readonly type: SqlType;
  readonly namespace: ColumnNamespace;
  /** For HEADER columns declared `HEADER('k')`: the header key; undefined means all headers. */
  readonly headerKey?: string;
}

/**
 * The schema of a source or of a query's output: key columns, then value columns (and header
 * columns), each in declaration order. Pseudo columns (ROWTIME, ROWPARTITION, ROWOFFSET,
 * WINDOWSTART, WINDOWEND) are not part of it; the analyzer adds them to scopes.
 */
export interface LogicalSchema {
  readonly columns: readonly Column[];
}

export function keyColumns(schema: LogicalSchema): Column[] {
  return schema.columns.filter((c) => c.namespace === 'KEY');
}

export function valueColumns(schema: LogicalSchema): Column[] {
  return schema.columns.filter((c) => c.namespace === 'VALUE');
}

/** Quote an identifier the way ksqlDB's FormatOptions does in schema strings. */
export function quoteIdentifier(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/**
 * ksqlDB's LogicalSchema string: "`ID` STRING KEY, `V` BIGINT". Used in StreamedRow headers
 * and in post-condition checks.
 */
export function formatSchema(columns: readonly Column[], opts: { markKeys: boolean } = { markKeys: true }): string {
  return columns
    .map((c) => {
      let s = `${quoteIdentifier(c.name)} ${formatSqlType(c.type)}`;
      if (opts.markKeys && c.namespace === 'KEY') s += ' KEY';
      if (c.namespace === 'HEADER') s += c.headerKey === undefined ? ' HEADERS' : ` HEADER('${c.headerKey}')`;
      return s;
    })
    .join(', ');
}

export type WindowType = 'TUMBLING' | 'HOPPING' | 'SESSION';

export interface WindowInfo {
  readonly type: WindowType;
  /** Window size in ms; undefined for SESSION. */
  readonly sizeMs?: number;
}
