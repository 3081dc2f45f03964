/**
 * Parses the column lists of post-condition `schema` strings (`` `ID` INT KEY, NAME STRING ``)
 * into columns, so they compare by meaning rather than by spelling, as ksqlDB's SchemaParser
 * does. The list has the grammar of a CREATE statement's table elements, so the engine's own
 * parser reads it: unquoted identifiers upper-cased, INT/VARCHAR as aliases, nested types.
 */
import { parseStatement } from '../parser/parser.js';
import type { Column } from '../types.js';

export function parseSchemaText(text: string): Column[] {
  if (text.trim() === '') return [];
  // Tables mark keys PRIMARY KEY and streams KEY; each is only valid in its own CREATE.
  const kind = /\bPRIMARY\s+KEY\b/i.test(text) ? 'TABLE' : 'STREAM';
  const statement = parseStatement(`CREATE ${kind} SCHEMA_TEXT (${text}) WITH (KAFKA_TOPIC='schema_text');`);
  if (statement.kind !== 'CreateSource') throw new Error(`Not a column list: ${text}`);
  return statement.elements.map((e): Column => {
    const c = e.constraint;
    if (c === 'KEY' || c === 'PRIMARY KEY') return { name: e.name, type: e.type, namespace: 'KEY' };
    if (c === 'HEADERS') return { name: e.name, type: e.type, namespace: 'HEADER' };
    if (c !== undefined) return { name: e.name, type: e.type, namespace: 'HEADER', headerKey: c.header };
    return { name: e.name, type: e.type, namespace: 'VALUE' };
  });
}
