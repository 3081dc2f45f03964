/**
 * Parses SQL type strings ('DOUBLE', 'ARRAY<STRING>', 'DECIMAL(10, 2)', 'STRUCT<A INT>') for UDF
 * declarations. The primitive names are the SQL parser's; the grammar is kept here because it is
 * stricter than SQL's (no `INT ARRAY` postfix form, no quoted type names, no type parameters
 * such as VARCHAR(10)) and reports problems in the words UDF authors see. In parameter
 * position, `DECIMAL` without precision, `STRUCT` without fields and single-letter names
 * (T, K, V, ...) become the generic forms of the function contract.
 */
import { SqlTypes, type SqlType, type StructField } from '../types.js';
import { PRIMITIVE_TYPES } from '../parser/primitive-types.js';
import type { ParamType } from './types.js';

class TypeStringError extends Error {}

type Token = { text: string; quoted: boolean };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if ('<>(),'.includes(c)) {
      tokens.push({ text: c, quoted: false });
      i++;
    } else if (c === '`') {
      let name = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new TypeStringError(`unterminated quoted name in '${text}'`);
        if (text[i] === '`') {
          if (text[i + 1] === '`') {
            name += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        name += text[i];
        i++;
      }
      tokens.push({ text: name, quoted: true });
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(text.slice(i));
      if (!m) throw new TypeStringError(`unexpected character '${c}' in '${text}'`);
      tokens.push({ text: m[0], quoted: false });
      i += m[0].length;
    }
  }
  return tokens;
}

class TypeReader {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
    private readonly allowGenerics: boolean,
  ) {}

  readAll(): ParamType {
    const t = this.readType();
    if (this.pos !== this.tokens.length) this.fail(`unexpected '${this.tokens[this.pos]!.text}'`);
    return t;
  }

  private fail(problem: string): never {
    throw new TypeStringError(`${problem} in type '${this.source}'`);
  }

  private peek(): string | undefined {
    return this.tokens[this.pos]?.text;
  }

  private next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) this.fail('unexpected end');
    return t;
  }

  private expect(text: string): void {
    const t = this.next();
    if (t.quoted || t.text !== text) this.fail(`expected '${text}' but found '${t.text}'`);
  }

  private readInt(): number {
    const t = this.next();
    if (!/^\d+$/.test(t.text)) this.fail(`expected a number but found '${t.text}'`);
    return Number(t.text);
  }

  private readType(): ParamType {
    const tok = this.next();
    if (tok.quoted) this.fail(`unexpected quoted name '${tok.text}'`);
    const word = tok.text.toUpperCase();
    const primitive = PRIMITIVE_TYPES[word];
    if (primitive) return primitive;
    switch (word) {
      case 'DECIMAL': {
        if (this.peek() !== '(') {
          if (this.allowGenerics) return { kind: 'ANY_DECIMAL' };
          this.fail('DECIMAL needs a precision and scale');
        }
        this.expect('(');
        const precision = this.readInt();
        this.expect(',');
        const scale = this.readInt();
        this.expect(')');
        if (precision < 1) this.fail('DECIMAL precision must be >= 1');
        if (scale > precision) this.fail('DECIMAL scale must not exceed precision');
        return SqlTypes.decimal(precision, scale);
      }
      case 'ARRAY': {
        this.expect('<');
        const item = this.readType();
        this.expect('>');
        return { kind: 'ARRAY', item };
      }
      case 'MAP': {
        this.expect('<');
        const key = this.readType();
        this.expect(',');
        const value = this.readType();
        this.expect('>');
        return { kind: 'MAP', key, value };
      }
      case 'STRUCT': {
        if (this.peek() !== '<') {
          if (this.allowGenerics) return { kind: 'ANY_STRUCT' };
          this.fail('STRUCT needs a field list');
        }
        this.expect('<');
        const fields: StructField[] = [];
        if (this.peek() !== '>') {
          for (;;) {
            const nameTok = this.next();
            const name = nameTok.quoted ? nameTok.text : nameTok.text.toUpperCase();
            const type = this.readType();
            if (!isConcrete(type)) this.fail('STRUCT fields must have concrete types');
            fields.push({ name, type });
            if (this.peek() === ',') {
              this.next();
              continue;
            }
            break;
          }
        }
        this.expect('>');
        return SqlTypes.struct(fields);
      }
      default:
        if (this.allowGenerics && /^[A-Z][0-9]?$/.test(word)) return { kind: 'GENERIC', name: word };
        return this.fail(`unknown type '${tok.text}'`);
    }
  }
}

/** True when the param type has no generic part, i.e. it is a plain SqlType. */
export function isConcrete(type: ParamType): type is SqlType {
  switch (type.kind) {
    case 'GENERIC':
    case 'ANY_DECIMAL':
    case 'ANY_STRUCT':
    case 'INTERVAL_UNIT':
      return false;
    case 'ARRAY':
      return isConcrete(type.item);
    case 'MAP':
      return isConcrete(type.key) && isConcrete(type.value);
    default:
      return true;
  }
}

/** Parses a concrete SQL type string. Throws Error naming the problem. */
export function parseSqlType(text: string): SqlType {
  const t = new TypeReader(tokenize(text), text, false).readAll();
  return t as SqlType;
}

/** Parses a parameter type string, which may use generics (T, ARRAY<T>, DECIMAL, STRUCT). */
export function parseParamType(text: string): ParamType {
  return new TypeReader(tokenize(text), text, true).readAll();
}
