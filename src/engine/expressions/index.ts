/** Public surface of expression typing and compilation (see compiler.ts for the semantics). */
export {
  arithmeticResultType,
  compileExpression,
  evalContext,
  isValidComparison,
  typeOf,
  ArithmeticError,
  NullValueError,
  type CompiledExpression,
  type CompileOptions,
  type EvalContext,
  type Evaluator,
} from './compiler.js';
export { Scope, type ScopeEntry, type ResolvedColumn } from './scope.js';
export { castFunction, castSupported, castValue, unsupportedCastMessage, type Caster } from './cast.js';
export {
  canCoerce,
  coerceLiteral,
  coerceUserList,
  coerceValue,
  implicitCastAllowed,
  literalOf,
  type CoercionMode,
  type CoercionResult,
} from './coercion.js';
export { parseDateText, parseTimeText, parseTimestampText, formatDateText, formatTimeText, formatTimestampText } from './time-text.js';
