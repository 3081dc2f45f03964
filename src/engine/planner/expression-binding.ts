/**
 * Binds expressions of a query to its source scope and compiles them with the expression
 * compiler. The only place the planner touches the compiler's API.
 */
import type { SourceScope } from '../analyzer/source-scope.js';
import { compileExpression, typeOf } from '../expressions/compiler.js';
import { Scope } from '../expressions/scope.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { Expression } from '../parser/ast.js';
import type { SqlType } from '../types.js';
import type { CompiledExpression } from './plans.js';

const scopes = new WeakMap<SourceScope, Scope>();

export function compilerScope(scope: SourceScope): Scope {
  let s = scopes.get(scope);
  if (!s) {
    s = new Scope(scope.columns.map((c) => ({ name: c.name, source: scope.alias, type: c.type, index: c.index })));
    scopes.set(scope, s);
  }
  return s;
}

export type Clause = 'SELECT' | 'WHERE' | 'PARTITION BY';

/**
 * Type-checks first, as ksqlDB's analyzer does (ExpressionTypeManager, "Error in WHERE
 * expression: ..."), then compiles, as its code generation does ("Invalid Predicate: ...").
 */
const TYPE_ERROR_PREFIX: Partial<Record<Clause, string>> = { WHERE: 'Error in WHERE expression' };
const CODEGEN_ERROR_PREFIX: Record<Clause, string> = {
  SELECT: 'Invalid Select',
  WHERE: 'Invalid Predicate',
  'PARTITION BY': 'Invalid Select',
};

export function bindExpression(expr: Expression, scope: SourceScope, functions: FunctionRegistry, clause: Clause): CompiledExpression {
  const compilerScopeOfQuery = compilerScope(scope);
  const typePrefix = TYPE_ERROR_PREFIX[clause];
  typeOf(expr, compilerScopeOfQuery, functions, { clause, ...(typePrefix ? { errorPrefix: typePrefix } : {}) });
  return compileExpression(expr, compilerScopeOfQuery, functions, { clause, errorPrefix: CODEGEN_ERROR_PREFIX[clause] });
}

/** The analyzer's type check: ksqlDB's ExpressionTypeManager pass, without compiling. */
export function checkExpression(expr: Expression, scope: SourceScope, functions: FunctionRegistry, clause: Clause): void {
  const typePrefix = TYPE_ERROR_PREFIX[clause];
  typeOf(expr, compilerScope(scope), functions, { clause, ...(typePrefix ? { errorPrefix: typePrefix } : {}) });
}

/**
 * Compiles an expression over a scope whose rows carry precomputed slots (the post-aggregation
 * row: source columns, aggregate results, window bounds). Types were checked by the analyzer.
 */
export function bindOverScope(
  expr: Expression,
  scope: Scope,
  functions: FunctionRegistry,
  clause: 'SELECT' | 'HAVING',
  slotFor: (e: Expression) => { readonly type: SqlType; readonly index: number } | undefined,
): CompiledExpression {
  return compileExpression(expr, scope, functions, {
    clause,
    errorPrefix: clause === 'HAVING' ? 'Invalid Predicate' : 'Invalid Select',
    slotFor,
  });
}
