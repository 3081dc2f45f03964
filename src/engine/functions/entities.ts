/**
 * REST entities for SHOW FUNCTIONS and DESCRIBE FUNCTION, shaped like ksqlDB's FunctionNameList,
 * FunctionDescriptionList, FunctionInfo and ArgumentInfo (ksqldb-rest-model).
 */
import { KsqlStatementError } from '../errors.js';
import type { SqlType } from '../types.js';
import type { LibraryFunctionDefinition, NamedSignature } from './define.js';
import { lookupDescribedAggregate } from './aggregates/index.js';
import { AGGREGATE_FUNCTIONS, TABLE_FUNCTIONS, type NamedFunctionInfo } from './function-kinds.js';
import { formatParamType } from './param-matching.js';
import type { FunctionRegistry, FunctionSignature, ParamType, ScalarFunctionDefinition } from './types.js';

export type FunctionType = 'SCALAR' | 'AGGREGATE' | 'TABLE';

export interface SimpleFunctionInfo {
  name: string;
  type: FunctionType;
  category: string;
}

export interface FunctionNameListEntity {
  '@type': 'function_names';
  statementText: string;
  functions: SimpleFunctionInfo[];
  warnings: [];
}

export interface ArgumentInfo {
  name: string;
  type: string;
  description: string;
  isVariadic: boolean;
}

export interface FunctionInfo {
  arguments: ArgumentInfo[];
  returnType: string;
  description: string;
  /** Deprecated in ksqlDB but still serialized: the argument types alone. */
  argumentTypes: string[];
}

export interface FunctionDescriptionListEntity {
  '@type': 'describe_function';
  statementText: string;
  name: string;
  description: string;
  author: string;
  version: string;
  path: string;
  functions: FunctionInfo[];
  type: FunctionType;
  warnings: [];
}

export function showFunctionsEntity(registry: FunctionRegistry, statementText: string): FunctionNameListEntity {
  const functions: SimpleFunctionInfo[] = [
    ...registry.list().map((def) => ({ name: def.name, type: 'SCALAR' as const, category: def.category })),
    ...TABLE_FUNCTIONS.map((f) => ({ name: f.name, type: 'TABLE' as const, category: f.category })),
    ...AGGREGATE_FUNCTIONS.map((f) => ({ name: f.name, type: 'AGGREGATE' as const, category: f.category })),
  ];
  functions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { '@type': 'function_names', statementText, functions, warnings: [] };
}

/**
 * The declared return type as DESCRIBE FUNCTION shows it. Computed return types are evaluated on
 * the declared parameter types, so `sameAs(0)` on a `T` parameter reads `T`.
 */
function returnTypeName(signature: FunctionSignature): string {
  if (typeof signature.returns !== 'function') return formatParamType(signature.returns);
  try {
    const declared = signature.returns(signature.params as unknown as SqlType[]) as unknown as ParamType;
    return formatParamType(declared);
  } catch {
    return 'ANY';
  }
}

function functionInfo(def: ScalarFunctionDefinition, signature: FunctionSignature): FunctionInfo {
  const names = (signature as NamedSignature).paramNames ?? [];
  const args = signature.params.map((p, i) => ({
    name: names[i] ?? '',
    type: formatParamType(p),
    description: '',
    isVariadic: signature.variadic === true && i === signature.params.length - 1,
  }));
  return {
    arguments: args,
    returnType: returnTypeName(signature),
    description: signature.description ?? def.description,
    argumentTypes: args.map((a) => a.type),
  };
}

function namedFunctionEntity(info: NamedFunctionInfo, type: FunctionType, statementText: string): FunctionDescriptionListEntity {
  return {
    '@type': 'describe_function',
    statementText,
    name: info.name,
    description: info.description,
    author: 'Confluent',
    version: '',
    path: 'internal',
    functions: [],
    type,
    warnings: [],
  };
}

export function describeFunctionEntity(registry: FunctionRegistry, name: string, statementText: string): FunctionDescriptionListEntity {
  const upper = name.toUpperCase();
  const factory = lookupDescribedAggregate(upper);
  if (factory) {
    return {
      '@type': 'describe_function',
      statementText,
      name: factory.name,
      description: factory.description,
      author: factory.author,
      version: '',
      path: 'internal',
      functions: factory.variants.map((v) => ({
        arguments: v.arguments.map((a) => ({ ...a })),
        returnType: v.returnType,
        description: v.description,
        argumentTypes: v.arguments.map((a) => a.type),
      })),
      type: 'AGGREGATE',
      warnings: [],
    };
  }
  const aggregate = AGGREGATE_FUNCTIONS.find((f) => f.name === upper);
  if (aggregate) return namedFunctionEntity(aggregate, 'AGGREGATE', statementText);
  const table = TABLE_FUNCTIONS.find((f) => f.name === upper);
  if (table) return namedFunctionEntity(table, 'TABLE', statementText);
  const def = registry.get(upper);
  if (!def) throw new KsqlStatementError(`Can't find any functions with the name '${upper}'`, { statementText });
  return {
    '@type': 'describe_function',
    statementText,
    name: def.name.toUpperCase(),
    description: def.description,
    author: def.author ?? '',
    version: def.version ?? '',
    path: (def as LibraryFunctionDefinition).path ?? 'internal',
    functions: def.signatures.map((s) => functionInfo(def, s)),
    type: 'SCALAR',
    warnings: [],
  };
}
