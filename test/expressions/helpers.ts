/** Shared helpers for the expression tests: parse, compile against a scope, evaluate one row. */
import { compileExpression, typeOf, type CompileOptions, type EvalContext } from '../../src/engine/expressions/compiler.js';
import { Scope } from '../../src/engine/expressions/scope.js';
import { createFunctionRegistry } from '../../src/engine/functions/registry.js';
import { parseExpression } from '../../src/engine/parser/parser.js';
import { parseSqlType } from '../../src/engine/parser/parser.js';
import type { SqlType } from '../../src/engine/types.js';
import type { Value } from '../../src/engine/values/value.js';

export const registry = createFunctionRegistry();

export interface TestColumn {
  readonly name: string;
  readonly type: SqlType | string;
  readonly value?: Value;
  readonly source?: string;
}

function toType(t: SqlType | string): SqlType {
  return typeof t === 'string' ? parseSqlType(t) : t;
}

export function scopeOf(columns: readonly TestColumn[]): Scope {
  return new Scope(columns.map((c, index) => ({ name: c.name, type: toType(c.type), index, ...(c.source ? { source: c.source } : {}) })));
}

export function context(): EvalContext & { errors: Error[] } {
  const errors: Error[] = [];
  return { now: () => 0, properties: {}, onError: (e) => errors.push(e), errors };
}

export interface Evaluated {
  readonly type: SqlType;
  readonly value: Value;
  readonly errors: Error[];
}

/** Compiles `text` over `columns` and evaluates it on the row formed by the columns' values. */
export function run(text: string, columns: readonly TestColumn[] = [], options: CompileOptions = {}): Evaluated {
  const compiled = compileExpression(parseExpression(text), scopeOf(columns), registry, options);
  const ctx = context();
  const value = compiled.evaluate(
    columns.map((c) => c.value ?? null),
    ctx,
  );
  return { type: compiled.type, value, errors: ctx.errors };
}

/** Just the value. */
export function value(text: string, columns: readonly TestColumn[] = []): Value {
  return run(text, columns).value;
}

/** The compile error message for `text`, or undefined when it compiles. */
export function compileError(text: string, columns: readonly TestColumn[] = [], options: CompileOptions = {}): string | undefined {
  try {
    compileExpression(parseExpression(text), scopeOf(columns), registry, options);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export function typeOfText(text: string, columns: readonly TestColumn[] = []): SqlType {
  return typeOf(parseExpression(text), scopeOf(columns), registry);
}

export { parseExpression, parseSqlType };
