/**
 * JSON string functions. Numbers are kept as written (lossless-json), as Jackson's tree model
 * keeps big integers and decimals exact.
 */
import { isLosslessNumber, parse, stringify } from 'lossless-json';
import { SqlTypes, type SqlType } from '../../types.js';
import type { Decimal } from '../../values/decimal.js';
import type { Value } from '../../values/value.js';
import { BOOLEAN, INTEGER, STRING, T, defineFunction, sig, type LibraryFunctionDefinition } from '../define.js';
import { javaDoubleToString } from '../../values/java-format.js';

type Json = unknown;

function parseJson(text: string): { ok: true; value: Json } | { ok: false } {
  try {
    return { ok: true, value: parse(text) };
  } catch {
    return { ok: false };
  }
}

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !isLosslessNumber(v);

const toJsonText = (v: Json): string => stringify(v) ?? 'null';

/** ksqlDB's JsonPathTokenizer subset: $.a.b, $['a'], $.a[0]. */
function pathTokens(path: string): (string | number)[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const tokens: (string | number)[] = [];
  const re = /\.([^.[\]]+)|\[\s*(\d+)\s*\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return undefined;
    if (m[1] !== undefined) tokens.push(m[1]);
    else if (m[2] !== undefined) tokens.push(Number(m[2]));
    else tokens.push(m[3] ?? m[4]!);
  }
  return tokens;
}

function extractJsonField(text: string, path: string): Value {
  const parsed = parseJson(text);
  const tokens = pathTokens(path);
  if (!parsed.ok || !tokens) return null;
  let node: Json = parsed.value;
  for (const t of tokens) {
    if (typeof t === 'number' && Array.isArray(node)) node = node[t];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, String(t))) node = node[String(t)];
    else return null;
  }
  if (node === null || node === undefined) return null;
  return typeof node === 'string' ? node : toJsonText(node);
}

function jsonConcat(texts: Value[]): Value {
  const nodes: Json[] = [];
  for (const t of texts) {
    if (t === null) return null;
    const parsed = parseJson(t as string);
    if (!parsed.ok) return null;
    nodes.push(parsed.value);
  }
  if (nodes.length === 0) return null;
  if (nodes.every(isObject)) {
    return toJsonText(Object.assign({}, ...(nodes as Record<string, Json>[])));
  }
  const out: Json[] = [];
  for (const n of nodes) {
    if (Array.isArray(n)) out.push(...n);
    else out.push(n);
  }
  return toJsonText(out);
}

/**
 * A value as ksqlDB's JSON serializer writes it: DATE/TIME/TIMESTAMP as numbers, BYTES as
 * base64, DOUBLE in Java's notation, DECIMAL with its scale.
 */
function toJson(v: Value, type: SqlType): string {
  if (v === null || v === undefined) return 'null';
  switch (type.kind) {
    case 'STRING':
      return JSON.stringify(v);
    case 'DOUBLE': {
      const d = v as number;
      return Number.isFinite(d) ? javaDoubleToString(d) : JSON.stringify(javaDoubleToString(d));
    }
    case 'DECIMAL':
      return (v as Decimal).toString();
    case 'BYTES':
      return JSON.stringify((v as Buffer).toString('base64'));
    case 'ARRAY':
      return '[' + (v as Value[]).map((x) => toJson(x, type.item)).join(',') + ']';
    case 'MAP':
      return '{' + [...(v as Map<Value, Value>)].map(([k, x]) => `${JSON.stringify(String(k))}:${toJson(x, type.value)}`).join(',') + '}';
    case 'STRUCT': {
      const struct = v as Record<string, Value>;
      return '{' + type.fields.map((f) => `${JSON.stringify(f.name)}:${toJson(struct[f.name] ?? null, f.type)}`).join(',') + '}';
    }
    default:
      return String(v);
  }
}

export const JSON_FUNCTIONS: readonly LibraryFunctionDefinition[] = [
  defineFunction('EXTRACTJSONFIELD', 'JSON', 'Given a STRING that contains JSON data, extract the value at the specified JSONPath or NULL if the specified path does not exist.', [
    sig([STRING, STRING], STRING, ([json, path]) => extractJsonField(json as string, path as string), { names: ['input', 'path'] }),
  ]),
  defineFunction('IS_JSON_STRING', 'JSON', 'Given a string, returns true if it can be parsed as a valid JSON value, false otherwise.', [
    sig([STRING], BOOLEAN, ([s]) => s !== null && (s as string).trim() !== '' && parseJson(s as string).ok, { acceptsNulls: true, names: ['input'] }),
  ]),
  defineFunction('JSON_ARRAY_LENGTH', 'JSON', 'Given a string with JSON array, returns the array length, or NULL if the string is not a JSON array.', [
    sig([STRING], INTEGER, ([s]) => {
      const parsed = parseJson(s as string);
      return parsed.ok && Array.isArray(parsed.value) ? parsed.value.length : null;
    }, { names: ['input'] }),
  ]),
  defineFunction('JSON_KEYS', 'JSON', 'Given a string with JSON object, returns the object keys, or NULL if the string is not a JSON object.', [
    sig([STRING], SqlTypes.array(SqlTypes.STRING), ([s]) => {
      const parsed = parseJson(s as string);
      return parsed.ok && isObject(parsed.value) ? Object.keys(parsed.value) : null;
    }, { names: ['input'] }),
  ]),
  defineFunction('JSON_RECORDS', 'JSON', 'Given a string with JSON object, returns a map of the object keys to the JSON text of their values, or NULL if the string is not a JSON object.', [
    sig([STRING], SqlTypes.map(SqlTypes.STRING, SqlTypes.STRING), ([s]) => {
      const parsed = parseJson(s as string);
      if (!parsed.ok || !isObject(parsed.value)) return null;
      return new Map<Value, Value>(Object.entries(parsed.value).map(([k, v]) => [k, toJsonText(v)]));
    }, { names: ['input'] }),
  ]),
  defineFunction('TO_JSON_STRING', 'JSON', 'Given any ksqlDB type returns the equivalent JSON string.', [
    sig([T], STRING, ([v]) => toJson(v!, SqlTypes.NULL), {
      acceptsNulls: true,
      names: ['input'],
      specialize: (types) => ([v]) => toJson(v!, types[0] ?? SqlTypes.NULL),
    }),
  ]),
  defineFunction('JSON_CONCAT', 'JSON', 'Given N strings, parse them as JSON values and concatenate them: objects are merged, anything else is concatenated into one array.', [
    sig([STRING], STRING, (args) => jsonConcat(args), { variadic: true, acceptsNulls: true, names: ['inputs'] }),
  ]),
];
