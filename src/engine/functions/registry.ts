/**
 * The function registry: built-in scalar functions plus registered extensions, and call
 * resolution after ksqlDB's UdfIndex (exact matches first, then implicit casts; among several
 * matches a non-variadic signature beats a variadic one, then more parameters win, then fewer
 * generic parameters; a tie is an ambiguity error).
 */
import { KsqlError, KsqlFunctionError, KsqlStatementError } from '../errors.js';
import type { SqlType } from '../types.js';
import type { Value } from '../values/value.js';
import type { LibraryFunctionDefinition, NamedSignature } from './define.js';
import { isAggregateName, isTableFunctionName } from './function-kinds.js';
import {
  acceptsArgument,
  formatArgumentType,
  formatParamType,
  hasGenerics,
  targetType,
  type GenericBindings,
} from './param-matching.js';
import type {
  FunctionContext,
  FunctionRegistry,
  FunctionSignature,
  ParamType,
  ResolvedFunction,
  ScalarFunctionDefinition,
} from './types.js';
import { BUILTIN_FUNCTIONS } from './builtins/index.js';

interface Match {
  readonly signature: FunctionSignature;
  readonly bindings: GenericBindings;
}

/** Parameter type expected at argument position i of a signature. */
function paramAt(signature: FunctionSignature, i: number): ParamType {
  const params = signature.params;
  return i < params.length ? params[i]! : params[params.length - 1]!;
}

function arityFits(signature: FunctionSignature, argCount: number): boolean {
  const n = signature.params.length;
  return signature.variadic ? argCount >= n - 1 : argCount === n;
}

function matchSignature(signature: FunctionSignature, argTypes: readonly SqlType[], allowCasts: boolean): Match | undefined {
  if (!arityFits(signature, argTypes.length)) return undefined;
  const bindings: GenericBindings = new Map();
  for (let i = 0; i < argTypes.length; i++) {
    if (!acceptsArgument(paramAt(signature, i), argTypes[i]!, bindings, allowCasts)) return undefined;
  }
  return { signature, bindings };
}

/** Identifies the UdfIndex trie node a call of `argCount` arguments ends at for a signature. */
function trieNodeKey(signature: FunctionSignature, argCount: number): string {
  const params = signature.params;
  if (!signature.variadic) return JSON.stringify(params);
  const fixed = params.slice(0, params.length - 1);
  return JSON.stringify(argCount < params.length ? fixed : [...fixed, { vararg: params[params.length - 1] }]);
}

/** UdfIndex's Node.compare: positive when a is the better candidate. */
function compareCandidates(a: FunctionSignature, b: FunctionSignature): number {
  const variadic = (b.variadic ? 1 : 0) - (a.variadic ? 1 : 0);
  if (variadic !== 0) return variadic;
  const size = a.params.length - b.params.length;
  if (size !== 0) return size;
  return countGenerics(b) - countGenerics(a);
}

function countGenerics(signature: FunctionSignature): number {
  return signature.params.filter(hasGenerics).length;
}

/** ksqlDB's formatAvailableSignatures: `NAME(TYPE name, TYPE... name)`. */
export function formatSignature(name: string, signature: FunctionSignature): string {
  const names = (signature as NamedSignature).paramNames ?? [];
  const parts = signature.params.map((p, i) => {
    const variadic = signature.variadic === true && i === signature.params.length - 1;
    const type = formatParamType(p) + (variadic ? '...' : '');
    const paramName = names[i];
    return paramName ? `${type} ${paramName}` : type;
  });
  return `${name}(${parts.join(', ')})`;
}

function declaredNameOf(def: ScalarFunctionDefinition): string {
  return (def as LibraryFunctionDefinition).declaredName ?? def.name;
}

const NL = '\n';

function alternatives(def: ScalarFunctionDefinition): string {
  return def.signatures.map((s) => formatSignature(def.name, s)).join(NL);
}

function argumentList(argTypes: readonly SqlType[]): string {
  return '(' + argTypes.map(formatArgumentType).join(', ') + ')';
}

function noMatchError(def: ScalarFunctionDefinition, argTypes: readonly SqlType[]): KsqlStatementError {
  return new KsqlStatementError(
    `Function '${declaredNameOf(def)}' does not accept parameters ${argumentList(argTypes)}.` +
      NL +
      'Valid alternatives are:' +
      NL +
      alternatives(def) +
      NL +
      'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
  );
}

function ambiguityError(def: ScalarFunctionDefinition, argTypes: readonly SqlType[]): KsqlStatementError {
  return new KsqlStatementError(
    `Function '${declaredNameOf(def)}' cannot be resolved due to ambiguous method parameters ${argumentList(argTypes)}.` +
      NL +
      'Use CAST() to explicitly cast your parameters to one of the supported function calls.' +
      NL +
      'Valid function calls are:' +
      NL +
      alternatives(def) +
      NL +
      'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
  );
}

function findCandidate(def: ScalarFunctionDefinition, argTypes: readonly SqlType[], allowCasts: boolean): Match | undefined {
  // UdfIndex keeps one function per trie node (the first registered among equals); signatures
  // reaching the same node, e.g. CONCAT(STRING...) and CONCAT(BYTES...) called with no
  // arguments, therefore do not make a call ambiguous.
  const byNode = new Map<string, Match>();
  for (const signature of def.signatures) {
    const m = matchSignature(signature, argTypes, allowCasts);
    if (!m) continue;
    const key = trieNodeKey(signature, argTypes.length);
    const existing = byNode.get(key);
    if (!existing || compareCandidates(signature, existing.signature) > 0) byNode.set(key, m);
  }
  const matches = [...byNode.values()];
  if (matches.length === 0) return undefined;
  matches.sort((a, b) => compareCandidates(b.signature, a.signature));
  if (matches.length === 1 || compareCandidates(matches[0]!.signature, matches[1]!.signature) > 0) return matches[0];
  throw ambiguityError(def, argTypes);
}

function makeResolved(name: string, match: Match, argTypes: readonly SqlType[]): ResolvedFunction {
  const { signature, bindings } = match;
  const paramTypes = argTypes.map((arg, i) => targetType(paramAt(signature, i), arg, bindings));
  const returnType = typeof signature.returns === 'function' ? signature.returns(paramTypes) : signature.returns;
  const acceptsNulls = signature.acceptsNulls === true;
  const specialize = (signature as NamedSignature).specialize;
  const impl = specialize ? specialize(paramTypes) : signature.impl;
  return {
    name,
    returnType,
    paramTypes,
    acceptsNulls,
    invoke(args: Value[], ctx: FunctionContext): Value {
      if (!acceptsNulls) {
        for (const a of args) if (a === null || a === undefined) return null;
      }
      try {
        const result = impl(args, ctx);
        return result === undefined ? null : result;
      } catch (e) {
        if (e instanceof KsqlError) throw e;
        const detail = e instanceof Error ? e.message : String(e);
        throw new KsqlFunctionError(`Failed to invoke function ${name}: ${detail}`, e);
      }
    },
  };
}

class Registry implements FunctionRegistry {
  private readonly functions = new Map<string, ScalarFunctionDefinition>();

  resolve(name: string, argTypes: readonly SqlType[]): ResolvedFunction {
    const def = this.functions.get(name.toUpperCase());
    if (!def) throw new KsqlStatementError(`Can't find any functions with the name '${name}'`);
    const match = findCandidate(def, argTypes, false) ?? findCandidate(def, argTypes, true);
    if (!match) throw noMatchError(def, argTypes);
    return makeResolved(def.name, match, argTypes);
  }

  has(name: string): boolean {
    return this.functions.has(name.toUpperCase());
  }

  isAggregate(name: string): boolean {
    return isAggregateName(name);
  }

  isTableFunction(name: string): boolean {
    return isTableFunctionName(name);
  }

  register(def: ScalarFunctionDefinition): void {
    const name = def.name.toUpperCase();
    if (this.functions.has(name) || isAggregateName(name) || isTableFunctionName(name)) {
      throw new KsqlError(`A function named '${name}' is already registered`);
    }
    if (def.signatures.length === 0) throw new KsqlError(`Function '${name}' has no signatures`);
    this.functions.set(name, name === def.name ? def : { ...def, name });
  }

  list(): readonly ScalarFunctionDefinition[] {
    return [...this.functions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): ScalarFunctionDefinition | undefined {
    return this.functions.get(name.toUpperCase());
  }
}

/** A registry holding every built-in scalar function. Each call returns an independent registry. */
export function createFunctionRegistry(): FunctionRegistry & { isTableFunction(name: string): boolean } {
  const registry = new Registry();
  for (const def of BUILTIN_FUNCTIONS) registry.register(def);
  return registry;
}

/** A FunctionContext for tests and one-off evaluation. */
export function simpleFunctionContext(properties: Record<string, string> = {}, now: () => number = Date.now): FunctionContext {
  return { now, properties };
}

export { INTERVAL_UNIT_ARG_TYPE } from './param-matching.js';
