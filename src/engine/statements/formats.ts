/**
 * The engine's use of the serde module: resolving a statement's formats from its WITH clause
 * and the configured defaults, checking that the formats can carry the schema, and building
 * serdes.
 */
import { checkFormatSupportsSchema, parseFormatName, resolveFormats, validateValueWrapping, type ResolveFormatsOptions } from '../serde/formats.js';
import { serdeFactory } from '../serde/index.js';
import type { Properties } from '../parser/ast.js';
import type { FormatInfo, KeySerde, ValueSerde } from '../serde/types.js';
import { keyColumns, valueColumns, type LogicalSchema, type WindowInfo } from '../types.js';

export interface ResolvedFormats {
  readonly keyFormat: FormatInfo;
  readonly valueFormat: FormatInfo;
}

function formatOptions(config: Readonly<Record<string, string>>): ResolveFormatsOptions {
  const wrap = config['ksql.persistence.wrap.single.values'];
  return {
    ...(config['ksql.persistence.default.format.key'] ? { defaultKeyFormat: config['ksql.persistence.default.format.key'] } : {}),
    ...(config['ksql.persistence.default.format.value'] ? { defaultValueFormat: config['ksql.persistence.default.format.value'] } : {}),
    ...(wrap !== undefined ? { defaultWrapSingleValues: wrap.toLowerCase() === 'true' } : {}),
  };
}

function checked(
  props: Properties,
  options: ResolveFormatsOptions,
  schema: LogicalSchema,
): ResolvedFormats {
  const resolved = resolveFormats(props, options);
  validateValueWrapping(resolved.value.format, resolved.explicitWrapSingleValue, valueColumns(schema).length);
  // A keyless source keeps its key format (KAFKA by default): ksqlDB only uses it once a query
  // gives the data a key, e.g. a CSAS with PARTITION BY inheriting it.
  const formats = { keyFormat: resolved.key, valueFormat: resolved.value };
  checkFormatSupportsSchema(formats.keyFormat, keyColumns(schema), true);
  checkFormatSupportsSchema(formats.valueFormat, valueColumns(schema), false);
  return formats;
}

/**
 * Just the WITH-clause part of format resolution (names, delimiters, wrapping), which ksqlDB
 * validates while preparing the statement, before it looks at the columns.
 */
export function validateFormatProperties(props: Properties, config: Readonly<Record<string, string>>): ResolvedFormats {
  const resolved = resolveFormats(props, formatOptions(config));
  return { keyFormat: resolved.key, valueFormat: resolved.value };
}

export function resolveSourceFormats(props: Properties, config: Readonly<Record<string, string>>, schema: LogicalSchema): ResolvedFormats {
  return checked(props, formatOptions(config), schema);
}

/**
 * Formats of a CSAS sink: the WITH clause wins; otherwise the sink inherits the source's
 * formats (an explicit NONE key format is replaced by the configured default once there is a key).
 */
export function resolveSinkFormats(
  props: Properties,
  config: Readonly<Record<string, string>>,
  source: { readonly keyFormat: FormatInfo; readonly valueFormat: FormatInfo },
  sinkSchema: LogicalSchema,
): ResolvedFormats {
  const options = formatOptions(config);
  const inheritedKey: FormatInfo =
    source.keyFormat.format === 'NONE' && keyColumns(sinkSchema).length > 0 ? { format: parseFormatName(options.defaultKeyFormat ?? 'KAFKA') } : source.keyFormat;
  return checked(props, { ...options, inherit: { key: inheritedKey, value: source.valueFormat } }, sinkSchema);
}

export interface SourceSerdes {
  readonly key: KeySerde;
  readonly value: ValueSerde;
}

export function buildSerdes(schema: LogicalSchema, formats: ResolvedFormats, window?: WindowInfo): SourceSerdes {
  return {
    key: serdeFactory.keySerde(formats.keyFormat, keyColumns(schema), window),
    value: serdeFactory.valueSerde(formats.valueFormat, valueColumns(schema)),
  };
}

/** Builds the serdes once so format/schema mismatches surface at statement time. */
export function validateSerdes(schema: LogicalSchema, formats: ResolvedFormats): void {
  buildSerdes(schema, formats);
}
