/** Null-handling functions: COALESCE, IFNULL, NULLIF. They see null arguments. */
import { T, defineFunction, firstKnown, sig, type LibraryFunctionDefinition } from '../define.js';
import { javaEquals } from '../value-equality.js';

export const NULL_FUNCTIONS: readonly LibraryFunctionDefinition[] = [
  defineFunction('COALESCE', 'NULL', 'Returns the first parameter that is not NULL.', [
    sig([T, T], firstKnown, (args) => args.find((a) => a !== null && a !== undefined) ?? null, {
      variadic: true,
      acceptsNulls: true,
      names: ['first', 'others'],
    }),
  ]),
  defineFunction('IFNULL', 'NULL', 'Returns expression if not NULL, otherwise the second parameter.', [
    sig([T, T], firstKnown, ([expression, alt]) => (expression === null ? alt! : expression!), {
      acceptsNulls: true,
      names: ['expression', 'altValue'],
    }),
  ]),
  defineFunction('NULLIF', 'NULL', 'Returns NULL if two expressions are equal, otherwise returns the first expression.', [
    sig([T, T], firstKnown, ([a, b]) => (a === null || javaEquals(a!, b!) ? null : a!), {
      acceptsNulls: true,
      names: ['expression1', 'expression2'],
    }),
  ]),
];
