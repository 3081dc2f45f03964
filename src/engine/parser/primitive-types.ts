/**
 * ksqlDB's primitive type names (upper case) and the types they denote: shared by the SQL parser
 * and the function library's UDF type strings.
 */
import { SqlTypes, type SqlType } from '../types.js';

export const PRIMITIVE_TYPES: Readonly<Record<string, SqlType>> = {
  BOOLEAN: SqlTypes.BOOLEAN,
  INT: SqlTypes.INTEGER,
  INTEGER: SqlTypes.INTEGER,
  BIGINT: SqlTypes.BIGINT,
  DOUBLE: SqlTypes.DOUBLE,
  STRING: SqlTypes.STRING,
  VARCHAR: SqlTypes.STRING,
  BYTES: SqlTypes.BYTES,
  TIMESTAMP: SqlTypes.TIMESTAMP,
  DATE: SqlTypes.DATE,
  TIME: SqlTypes.TIME,
};
