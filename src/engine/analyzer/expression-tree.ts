/**
 * Generic walks over expression trees: rewriting column references and collecting them.
 */
import type { ColumnRef, Expression } from '../parser/ast.js';

/** Rebuilds `e` bottom-up, giving `fn` the chance to replace each node (return undefined to keep it). */
export function rewriteExpression(e: Expression, fn: (node: Expression) => Expression | undefined): Expression {
  const replaced = fn(e);
  if (replaced !== undefined) return replaced;
  const r = (x: Expression) => rewriteExpression(x, fn);
  switch (e.kind) {
    case 'Dereference':
      return { ...e, base: r(e.base) };
    case 'Subscript':
      return { ...e, base: r(e.base), index: r(e.index) };
    case 'FunctionCall':
      return { ...e, args: e.args.map(r) };
    case 'Arithmetic':
    case 'Comparison':
    case 'LogicalBinary':
      return { ...e, left: r(e.left), right: r(e.right) };
    case 'Negation':
    case 'Not':
    case 'IsNull':
      return { ...e, operand: r(e.operand) };
    case 'Between':
      return { ...e, value: r(e.value), min: r(e.min), max: r(e.max) };
    case 'InList':
      return { ...e, value: r(e.value), list: e.list.map(r) };
    case 'Like':
      return { ...e, value: r(e.value), pattern: r(e.pattern) };
    case 'SearchedCase':
      return {
        ...e,
        whens: e.whens.map((w) => ({ condition: r(w.condition), result: r(w.result) })),
        ...(e.else ? { else: r(e.else) } : {}),
      };
    case 'SimpleCase':
      return {
        ...e,
        operand: r(e.operand),
        whens: e.whens.map((w) => ({ condition: r(w.condition), result: r(w.result) })),
        ...(e.else ? { else: r(e.else) } : {}),
      };
    case 'Cast':
      return { ...e, expression: r(e.expression) };
    case 'CreateArray':
      return { ...e, items: e.items.map(r) };
    case 'CreateMap':
      return { ...e, entries: e.entries.map((en) => ({ key: r(en.key), value: r(en.value) })) };
    case 'CreateStruct':
      return { ...e, fields: e.fields.map((f) => ({ name: f.name, value: r(f.value) })) };
    case 'Lambda':
      return { ...e, body: r(e.body) };
    default:
      return e;
  }
}

export function collectColumnRefs(e: Expression): ColumnRef[] {
  const refs: ColumnRef[] = [];
  rewriteExpression(e, (node) => {
    if (node.kind === 'ColumnRef') refs.push(node);
    return undefined;
  });
  return refs;
}

/** Drops source qualifiers (`S.ID` → `ID`), so expressions can be compared by their text. */
export function unqualified(e: Expression): Expression {
  return rewriteExpression(e, (node) => {
    if (node.kind === 'ColumnRef' && node.source !== undefined) {
      const { source: _ignored, ...rest } = node;
      void _ignored;
      return rest;
    }
    return undefined;
  });
}

export function containsFunctionCall(e: Expression, predicate: (name: string) => boolean): boolean {
  let found = false;
  rewriteExpression(e, (node) => {
    if (node.kind === 'FunctionCall' && predicate(node.name)) found = true;
    return undefined;
  });
  return found;
}
