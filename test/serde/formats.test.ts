import { describe, expect, it } from 'vitest';
import { KsqlError } from '../../src/engine/errors.js';
import { resolveFormats, serdeFeatures, validateValueWrapping } from '../../src/engine/serde/index.js';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KsqlError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('resolveFormats', () => {
  it('defaults the key format to KAFKA', () => {
    expect(resolveFormats({ VALUE_FORMAT: 'json' })).toEqual({ key: { format: 'KAFKA' }, value: { format: 'JSON' } });
  });

  it('lets FORMAT set both', () => {
    expect(resolveFormats({ FORMAT: 'Delimited' })).toEqual({
      key: { format: 'DELIMITED', delimiter: ',' },
      value: { format: 'DELIMITED', delimiter: ',' },
    });
  });

  it('refuses FORMAT together with KEY_FORMAT or VALUE_FORMAT', () => {
    expect(messageOf(() => resolveFormats({ FORMAT: 'KAFKA', KEY_FORMAT: 'KAFKA' }))).toBe(
      "Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. " +
        "Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
    );
    expect(messageOf(() => resolveFormats({ FORMAT: 'KAFKA', VALUE_FORMAT: 'JSON' }))).toContain(
      "Cannot supply both 'VALUE_FORMAT' and 'FORMAT' properties",
    );
  });

  it('names unknown formats and a missing value format', () => {
    expect(messageOf(() => resolveFormats({ VALUE_FORMAT: 'foo' }))).toBe('Unknown format: FOO');
    expect(messageOf(() => resolveFormats({ VALUE_FORMAT: 'JSON', KEY_FORMAT: 'FOO' }))).toBe('Unknown format: FOO');
    expect(messageOf(() => resolveFormats({}))).toBe(
      "Statement is missing the 'VALUE_FORMAT' property from the WITH clause. " +
        "Either provide one or set a default via the 'ksql.persistence.default.format.value' config.",
    );
    expect(resolveFormats({}, { defaultValueFormat: 'JSON' }).value).toEqual({ format: 'JSON' });
  });

  it('resolves delimiters, including TAB and SPACE', () => {
    expect(resolveFormats({ VALUE_FORMAT: 'DELIMITED', VALUE_DELIMITER: '|' }).value.delimiter).toBe('|');
    expect(resolveFormats({ VALUE_FORMAT: 'DELIMITED', VALUE_DELIMITER: 'TAB' }).value.delimiter).toBe('\t');
    expect(resolveFormats({ VALUE_FORMAT: 'DELIMITED', VALUE_DELIMITER: 'space' }).value.delimiter).toBe(' ');
    const both = resolveFormats({ FORMAT: 'DELIMITED', KEY_DELIMITER: ';', VALUE_DELIMITER: '-' });
    expect([both.key.delimiter, both.value.delimiter]).toEqual([';', '-']);
  });

  it('refuses bad delimiters with ksqlDB messages', () => {
    expect(messageOf(() => resolveFormats({ VALUE_FORMAT: 'DELIMITED', VALUE_DELIMITER: '<~>' }))).toBe(
      "Failed to prepare statement: Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: '<~>'. " +
        "Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'",
    );
    for (const blank of ['', ' ', '\t']) {
      expect(messageOf(() => resolveFormats({ VALUE_FORMAT: 'DELIMITED', VALUE_DELIMITER: blank }))).toContain(
        "Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'",
      );
    }
    expect(messageOf(() => resolveFormats({ VALUE_FORMAT: 'JSON', VALUE_DELIMITER: '|' }))).toBe(
      'JSON does not support the following configs: [delimiter]',
    );
  });

  it('validates WRAP_SINGLE_VALUE against the format and the column count', () => {
    expect(resolveFormats({ VALUE_FORMAT: 'JSON', WRAP_SINGLE_VALUE: false })).toEqual({
      key: { format: 'KAFKA' },
      value: { format: 'JSON', wrapSingleValue: false },
      explicitWrapSingleValue: false,
    });
    expect(messageOf(() => resolveFormats({ VALUE_FORMAT: 'KAFKA', WRAP_SINGLE_VALUE: true }))).toBe(
      "Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.",
    );
    expect(messageOf(() => resolveFormats({ VALUE_FORMAT: 'DELIMITED', WRAP_SINGLE_VALUE: 'true' }))).toBe(
      "Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'.",
    );
    expect(resolveFormats({ VALUE_FORMAT: 'DELIMITED', WRAP_SINGLE_VALUE: false }).value.format).toBe('DELIMITED');
    expect(messageOf(() => validateValueWrapping('JSON', true, 2))).toBe(
      "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas",
    );
    expect(() => validateValueWrapping('JSON', true, 1)).not.toThrow();
  });

  it('inherits the source formats in CREATE ... AS SELECT unless overridden', () => {
    const source = resolveFormats({ VALUE_FORMAT: 'DELIMITED', VALUE_DELIMITER: '|' });
    expect(resolveFormats({}, { inherit: source }).value).toEqual({ format: 'DELIMITED', delimiter: '|' });
    expect(resolveFormats({ VALUE_DELIMITER: '$' }, { inherit: source }).value).toEqual({ format: 'DELIMITED', delimiter: '$' });
    expect(resolveFormats({ FORMAT: 'JSON' }, { inherit: source })).toEqual({ key: { format: 'JSON' }, value: { format: 'JSON' } });
    expect(resolveFormats({ KEY_FORMAT: 'JSON' }, { inherit: source }).key).toEqual({ format: 'JSON' });
  });
});

describe('serdeFeatures', () => {
  const k = { name: 'K', type: { kind: 'INTEGER' as const }, namespace: 'KEY' as const };
  const v = { name: 'V', type: { kind: 'INTEGER' as const }, namespace: 'VALUE' as const };
  it('marks single JSON key columns UNWRAP_SINGLES, KAFKA keys nothing', () => {
    expect(serdeFeatures({ format: 'JSON' }, [k], true)).toEqual(['UNWRAP_SINGLES']);
    expect(serdeFeatures({ format: 'KAFKA' }, [k], true)).toEqual([]);
    expect(serdeFeatures({ format: 'JSON' }, [k, { ...k, name: 'K2' }], true)).toEqual([]);
  });
  it('reflects an explicit value wrapping only', () => {
    expect(serdeFeatures({ format: 'JSON' }, [v], false)).toEqual([]);
    expect(serdeFeatures({ format: 'JSON', wrapSingleValue: false }, [v], false)).toEqual(['UNWRAP_SINGLES']);
    expect(serdeFeatures({ format: 'JSON', wrapSingleValue: true }, [v], false)).toEqual(['WRAP_SINGLES']);
  });
});
