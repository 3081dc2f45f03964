/**
 * Parses the column lists of post-condition `schema` strings (`` `ID` INT KEY, NAME STRING ``)
 * into columns, so they compare by meaning rather than by spelling, as ksqlDB's SchemaParser
 * does: unquoted identifiers are upper-cased, INT/VARCHAR are aliases.
 */
import { SqlTypes, type Column, type ColumnNamespace, type SqlType, type StructField } from '../types.js';

type Token = { kind: 'ident'; text: string; quoted: boolean } | { kind: 'punct'; text: string } | { kind: 'string'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '`' || c === '"') {
      let j = i + 1;
      let name = '';
      while (j < text.length) {
        if (text[j] === c && text[j + 1] === c) {
          name += c;
          j += 2;
        } else if (text[j] === c) {
          break;
        } else {
          name += text[j];
          j++;
        }
      }
      tokens.push({ kind: 'ident', text: name, quoted: true });
      i = j + 1;
    } else if (c === "'") {
      const j = text.indexOf("'", i + 1);
      tokens.push({ kind: 'string', text: text.slice(i + 1, j < 0 ? text.length : j) });
      i = j < 0 ? text.length : j + 1;
    } else if ('<>(),'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else {
      const m = /^[A-Za-z0-9_@$:.]+/.exec(text.slice(i));
      if (!m) throw new Error(`Unexpected character '${c}' in schema: ${text}`);
      tokens.push({ kind: 'ident', text: m[0], quoted: false });
      i += m[0].length;
    }
  }
  return tokens;
}

class SchemaTextParser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly source: string) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new Error(`Unexpected end of schema: ${this.source}`);
    return t;
  }

  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text) throw new Error(`Expected '${text}' but found '${t.text}' in schema: ${this.source}`);
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }

  private name(): string {
    const t = this.next();
    if (t.kind !== 'ident') throw new Error(`Expected a name but found '${t.text}' in schema: ${this.source}`);
    return t.quoted ? t.text : t.text.toUpperCase();
  }

  private number(): number {
    const t = this.next();
    const n = Number(t.text);
    if (!Number.isInteger(n)) throw new Error(`Expected a number but found '${t.text}' in schema: ${this.source}`);
    return n;
  }

  type(): SqlType {
    const t = this.next();
    if (t.kind !== 'ident') throw new Error(`Expected a type but found '${t.text}' in schema: ${this.source}`);
    const word = t.text.toUpperCase();
    switch (word) {
      case 'BOOLEAN':
        return SqlTypes.BOOLEAN;
      case 'INT':
      case 'INTEGER':
        return SqlTypes.INTEGER;
      case 'BIGINT':
        return SqlTypes.BIGINT;
      case 'DOUBLE':
        return SqlTypes.DOUBLE;
      case 'STRING':
      case 'VARCHAR':
        return SqlTypes.STRING;
      case 'BYTES':
        return SqlTypes.BYTES;
      case 'TIMESTAMP':
        return SqlTypes.TIMESTAMP;
      case 'DATE':
        return SqlTypes.DATE;
      case 'TIME':
        return SqlTypes.TIME;
      case 'DECIMAL': {
        this.expect('(');
        const precision = this.number();
        this.expect(',');
        const scale = this.number();
        this.expect(')');
        return SqlTypes.decimal(precision, scale);
      }
      case 'ARRAY': {
        this.expect('<');
        const item = this.type();
        this.expect('>');
        return SqlTypes.array(item);
      }
      case 'MAP': {
        this.expect('<');
        const key = this.type();
        this.expect(',');
        const value = this.type();
        this.expect('>');
        return SqlTypes.map(key, value);
      }
      case 'STRUCT': {
        this.expect('<');
        const fields: StructField[] = [];
        while (!this.isPunct('>')) {
          fields.push({ name: this.name(), type: this.type() });
          if (this.isPunct(',')) this.next();
        }
        this.expect('>');
        return SqlTypes.struct(fields);
      }
      default:
        throw new Error(`Unknown type '${t.text}' in schema: ${this.source}`);
    }
  }

  columns(): Column[] {
    const columns: Column[] = [];
    while (this.peek()) {
      const name = this.name();
      const type = this.type();
      let namespace: ColumnNamespace = 'VALUE';
      let headerKey: string | undefined;
      const marker = this.peek();
      if (marker && marker.kind === 'ident' && !marker.quoted) {
        const word = marker.text.toUpperCase();
        if (word === 'KEY' || word === 'PRIMARY') {
          this.next();
          if (word === 'PRIMARY') this.next();
          namespace = 'KEY';
        } else if (word === 'HEADERS') {
          this.next();
          namespace = 'HEADER';
        } else if (word === 'HEADER') {
          this.next();
          this.expect('(');
          const key = this.next();
          headerKey = key.text;
          this.expect(')');
          namespace = 'HEADER';
        }
      }
      columns.push(headerKey === undefined ? { name, type, namespace } : { name, type, namespace, headerKey });
      if (this.peek()) this.expect(',');
    }
    return columns;
  }
}

export function parseSchemaText(text: string): Column[] {
  return new SchemaTextParser(tokenize(text), text).columns();
}
