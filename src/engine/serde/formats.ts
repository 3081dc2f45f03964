/**
 * Key and value formats from a statement's WITH properties, and the checks of which schemas a
 * format can carry, with ksqlDB 0.29's rules and messages (CreateSourceProperties,
 * SerdeFeaturesFactory, KafkaSerdeFactory, DelimitedFormat, GenericKeySerDe).
 */
import { KsqlError } from '../errors.js';
import { formatSchema, type Column } from '../types.js';
import type { FormatInfo, FormatName } from './types.js';

const FORMAT_NAMES: readonly FormatName[] = ['JSON', 'DELIMITED', 'KAFKA', 'NONE', 'AVRO', 'PROTOBUF', 'PROTOBUF_NOSR', 'JSON_SR'];

/** Formats that need Schema Registry (or protobuf descriptors): accepted by name only. */
export const SCHEMA_REGISTRY_FORMATS: ReadonlySet<FormatName> = new Set(['AVRO', 'PROTOBUF', 'PROTOBUF_NOSR', 'JSON_SR']);

export function parseFormatName(name: string): FormatName {
  const upper = name.trim().toUpperCase();
  if ((FORMAT_NAMES as readonly string[]).includes(upper)) return upper as FormatName;
  throw new KsqlError(`Unknown format: ${upper}`);
}

export interface ResolvedFormats {
  readonly key: FormatInfo;
  readonly value: FormatInfo;
  /** WRAP_SINGLE_VALUE as written in the statement, if it was; see `validateValueWrapping`. */
  readonly explicitWrapSingleValue?: boolean;
}

export interface ResolveFormatsOptions {
  /** `ksql.persistence.default.format.key` (default KAFKA). */
  readonly defaultKeyFormat?: string;
  /** `ksql.persistence.default.format.value` (no default: VALUE_FORMAT is then required). */
  readonly defaultValueFormat?: string;
  /** `ksql.persistence.wrap.single.values`, applied when WRAP_SINGLE_VALUE is absent. */
  readonly defaultWrapSingleValues?: boolean;
  /**
   * Formats to fall back to (CREATE ... AS SELECT inherits the source's formats, delimiters
   * included, unless the statement names other formats).
   */
  readonly inherit?: { readonly key: FormatInfo; readonly value: FormatInfo };
}

function prop(props: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = props[name];
  if (v === undefined || v === null) return undefined;
  return String(v);
}

function bothFormatsError(which: 'KEY_FORMAT' | 'VALUE_FORMAT'): KsqlError {
  return new KsqlError(
    `Cannot supply both '${which}' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. ` +
      `Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.`,
  );
}

/**
 * VALUE_DELIMITER / KEY_DELIMITER: one character, or the names TAB / SPACE
 * (ksqlDB's Delimiter.parse and its ConfigException text).
 */
export function parseDelimiter(text: string, property: 'VALUE_DELIMITER' | 'KEY_DELIMITER'): string {
  const invalid = (reason: string) =>
    new KsqlError(`Failed to prepare statement: Configuration ${property} is invalid: ${reason}\nExample valid value: ';'`);
  if (text.trim() === '') {
    throw invalid(
      `Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'`,
    );
  }
  if (text.length === 1) return text;
  const named = text.toUpperCase();
  if (named === 'TAB') return '\t';
  if (named === 'SPACE') return ' ';
  throw invalid(`Invalid delimiter value: '${text}'. Delimiter must be a single character or TAB,SPACE`);
}

function parseBooleanProp(text: string): boolean {
  return text.trim().toLowerCase() === 'true';
}

/**
 * Resolves FORMAT / KEY_FORMAT / VALUE_FORMAT / KEY_DELIMITER / VALUE_DELIMITER /
 * WRAP_SINGLE_VALUE (keys upper-cased) into key and value FormatInfo.
 * Throws KsqlError with ksqlDB's messages on conflicts and bad values.
 */
export function resolveFormats(props: Readonly<Record<string, unknown>>, options: ResolveFormatsOptions = {}): ResolvedFormats {
  const format = prop(props, 'FORMAT');
  const keyFormatProp = prop(props, 'KEY_FORMAT');
  const valueFormatProp = prop(props, 'VALUE_FORMAT');
  if (format !== undefined && keyFormatProp !== undefined) throw bothFormatsError('KEY_FORMAT');
  if (format !== undefined && valueFormatProp !== undefined) throw bothFormatsError('VALUE_FORMAT');

  const explicitKey = format ?? keyFormatProp;
  const explicitValue = format ?? valueFormatProp;
  const inheritedKey = options.inherit?.key;
  const inheritedValue = options.inherit?.value;

  let keyName: FormatName;
  if (explicitKey !== undefined) keyName = parseFormatName(explicitKey);
  else if (inheritedKey !== undefined) keyName = inheritedKey.format;
  else keyName = parseFormatName(options.defaultKeyFormat ?? 'KAFKA');

  let valueName: FormatName;
  if (explicitValue !== undefined) valueName = parseFormatName(explicitValue);
  else if (inheritedValue !== undefined) valueName = inheritedValue.format;
  else if (options.defaultValueFormat !== undefined) valueName = parseFormatName(options.defaultValueFormat);
  else {
    throw new KsqlError(
      `Statement is missing the 'VALUE_FORMAT' property from the WITH clause. ` +
        `Either provide one or set a default via the 'ksql.persistence.default.format.value' config.`,
    );
  }

  const keyDelimiterProp = prop(props, 'KEY_DELIMITER');
  const valueDelimiterProp = prop(props, 'VALUE_DELIMITER');
  const keyDelimiter =
    keyDelimiterProp !== undefined
      ? parseDelimiter(keyDelimiterProp, 'KEY_DELIMITER')
      : explicitKey === undefined && inheritedKey?.format === keyName
        ? inheritedKey.delimiter
        : undefined;
  const valueDelimiter =
    valueDelimiterProp !== undefined
      ? parseDelimiter(valueDelimiterProp, 'VALUE_DELIMITER')
      : explicitValue === undefined && inheritedValue?.format === valueName
        ? inheritedValue.delimiter
        : undefined;
  if (keyDelimiterProp !== undefined && keyName !== 'DELIMITED') {
    throw new KsqlError(`${keyName} does not support the following configs: [delimiter]`);
  }
  if (valueDelimiterProp !== undefined && valueName !== 'DELIMITED') {
    throw new KsqlError(`${valueName} does not support the following configs: [delimiter]`);
  }

  const wrapProp = prop(props, 'WRAP_SINGLE_VALUE');
  const explicitWrap = wrapProp === undefined ? undefined : parseBooleanProp(wrapProp);
  if (explicitWrap !== undefined) validateWrappingSupported(valueName, explicitWrap);
  let wrapSingleValue: boolean | undefined = explicitWrap;
  if (wrapSingleValue === undefined && options.defaultWrapSingleValues !== undefined && valueName === 'JSON') {
    wrapSingleValue = options.defaultWrapSingleValues;
  }
  if (wrapSingleValue === undefined && explicitValue === undefined && inheritedValue?.format === valueName) {
    wrapSingleValue = inheritedValue.wrapSingleValue;
  }

  const key: FormatInfo = keyName === 'DELIMITED' ? { format: keyName, delimiter: keyDelimiter ?? ',' } : { format: keyName };
  const value: FormatInfo = {
    format: valueName,
    ...(valueName === 'DELIMITED' ? { delimiter: valueDelimiter ?? ',' } : {}),
    ...(wrapSingleValue !== undefined ? { wrapSingleValue } : {}),
  };
  return explicitWrap === undefined ? { key, value } : { key, value, explicitWrapSingleValue: explicitWrap };
}

/**
 * Whether a format supports WRAP_SINGLE_VALUE set to `wrap`: KAFKA and DELIMITED only write
 * single values bare, PROTOBUF only wrapped, JSON / JSON_SR / AVRO either way.
 */
function supportsWrapping(format: FormatName, wrap: boolean): boolean {
  switch (format) {
    case 'JSON':
    case 'JSON_SR':
    case 'AVRO':
      return true;
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR':
      return wrap;
    case 'KAFKA':
    case 'DELIMITED':
      return !wrap;
    case 'NONE':
      return false;
  }
}

function validateWrappingSupported(format: FormatName, wrap: boolean): void {
  if (!supportsWrapping(format, wrap)) {
    throw new KsqlError(`Format '${format}' does not support 'WRAP_SINGLE_VALUE' set to '${wrap}'.`);
  }
}

/** An explicit WRAP_SINGLE_VALUE needs a format that supports it and exactly one value column. */
export function validateValueWrapping(format: FormatName, explicitWrap: boolean | undefined, valueColumnCount: number): void {
  if (explicitWrap === undefined) return;
  validateWrappingSupported(format, explicitWrap);
  if (valueColumnCount !== 1) {
    throw new KsqlError(`'WRAP_SINGLE_VALUE' is only valid for single-field value schemas`);
  }
}

// ---------------------------------------------------------------------------------------------
// Which schemas a format supports
// ---------------------------------------------------------------------------------------------

/** KafkaSerdeFactory's Java types: Integer, Long, Double, String, ByteBuffer (no temporal types). */
const KAFKA_TYPES = new Set(['INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES']);

/** The reason a format cannot carry these columns, or undefined when it can. */
export function unsupportedSchemaReason(format: FormatName, columns: readonly Column[], isKey: boolean): string | undefined {
  switch (format) {
    case 'KAFKA': {
      if (columns.length === 0) return undefined;
      if (columns.length > 1) {
        return `The 'KAFKA' format only supports a single field. Got: [${formatSchema(columns, { markKeys: isKey })}]`;
      }
      const type = columns[0]!.type;
      return KAFKA_TYPES.has(type.kind) ? undefined : `The 'KAFKA' format does not support type '${type.kind}'`;
    }
    case 'DELIMITED': {
      for (const c of columns) {
        if (c.type.kind === 'ARRAY' || c.type.kind === 'MAP' || c.type.kind === 'STRUCT') {
          return `The 'DELIMITED' format does not support type '${c.type.kind}', column: \`${c.name}\``;
        }
      }
      return undefined;
    }
    case 'NONE':
      return columns.length === 0
        ? undefined
        : `The 'NONE' format can only be used when no columns are defined. Got: [${formatSchema(columns, { markKeys: isKey })}]`;
    default:
      return undefined;
  }
}

/**
 * ksqlDB's serde features of a source's key or value (as DESCRIBE and the QTT post-conditions
 * show them): a single JSON key column is UNWRAP_SINGLES; a value has WRAP_SINGLES or
 * UNWRAP_SINGLES only when WRAP_SINGLE_VALUE (or its config default) was given.
 */
export function serdeFeatures(format: FormatInfo, columns: readonly Column[], isKey: boolean): string[] {
  if (columns.length !== 1) return [];
  if (isKey) return format.format === 'JSON' || format.format === 'JSON_SR' || format.format === 'AVRO' ? ['UNWRAP_SINGLES'] : [];
  if (format.wrapSingleValue === false) return ['UNWRAP_SINGLES'];
  if (format.wrapSingleValue === true) return ['WRAP_SINGLES'];
  return [];
}

function featuresText(format: FormatInfo, columns: readonly Column[], isKey: boolean): string {
  return `[${serdeFeatures(format, columns, isKey).join(', ')}]`;
}

/**
 * Throws ksqlDB's "Key/Value format does not support schema" error when `format` cannot carry
 * the columns (e.g. a KAFKA key with two columns, a DELIMITED value with an ARRAY).
 */
export function checkFormatSupportsSchema(format: FormatInfo, columns: readonly Column[], isKey: boolean): void {
  const reason = unsupportedSchemaReason(format.format, columns, isKey);
  if (reason === undefined) return;
  const schema = `Persistence{columns=[${formatSchema(columns, { markKeys: isKey })}], features=${featuresText(format, columns, isKey)}}`;
  throw new KsqlError(`${isKey ? 'Key' : 'Value'} format does not support schema.\nformat: ${format.format}\nschema: ${schema}\nreason: ${reason}`);
}
