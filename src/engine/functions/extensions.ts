/**
 * User-defined functions: our counterpart of ksqlDB's UDF jars. A UDF is a TypeScript/JavaScript
 * function plus SQL type strings for its parameters and result. Definitions are validated with
 * zod; a directory of `.js`/`.mjs` modules exporting `udfs` (or a default array) can be loaded at
 * startup. UDF implementations receive runtime values (see src/engine/types.ts: BIGINT arrives
 * as bigint, DECIMAL as Decimal, ...) and return one.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { KsqlError } from '../errors.js';
import { SqlTypes, type SqlType } from '../types.js';
import type { Value } from '../values/value.js';
import type { LibraryFunctionDefinition, NamedSignature } from './define.js';
import { isConcrete, parseParamType } from './sql-type-parser.js';
import type { FunctionCategory, FunctionRegistry, ParamType } from './types.js';

const CATEGORIES = [
  'MATHEMATICAL',
  'STRING',
  'NULL',
  'DATE / TIME',
  'REGULAR EXPRESSION',
  'CONVERSIONS',
  'ARRAY',
  'MAP',
  'JSON',
  'URL',
  'OTHER',
] as const satisfies readonly FunctionCategory[];

const typeString = z.string().min(1, 'type must not be empty');

const paramSchema = z.union([typeString, z.object({ name: z.string().min(1), type: typeString, description: z.string().optional() })]);

const implSchema = z.custom<(...args: Value[]) => Value>((v) => typeof v === 'function', { message: 'fn must be a function' });

const signatureSchema = z.object({
  params: z.array(paramSchema),
  returns: typeString,
  fn: implSchema,
  variadic: z.boolean().optional(),
  acceptsNulls: z.boolean().optional(),
  description: z.string().optional(),
});

const udfSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'name must be a SQL identifier (letters, digits, underscores)'),
    description: z.string().default(''),
    author: z.string().default(''),
    version: z.string().default(''),
    category: z.enum(CATEGORIES).default('OTHER'),
    params: z.array(paramSchema).optional(),
    returns: typeString.optional(),
    fn: implSchema.optional(),
    variadic: z.boolean().optional(),
    acceptsNulls: z.boolean().optional(),
    signatures: z.array(signatureSchema).min(1).optional(),
  })
  .refine((d) => d.signatures !== undefined || (d.params !== undefined && d.returns !== undefined && d.fn !== undefined), {
    message: 'give either `signatures` or `params`, `returns` and `fn`',
  });

/** What a UDF module declares. `fn` receives the argument values and returns the result. */
export type UdfDefinition = z.input<typeof udfSchema>;
type UdfSignatureInput = z.infer<typeof signatureSchema>;

function substitute(type: ParamType, bindings: Map<string, SqlType>): SqlType {
  switch (type.kind) {
    case 'GENERIC':
      return bindings.get(type.name) ?? SqlTypes.NULL;
    case 'ARRAY':
      return SqlTypes.array(substitute(type.item as ParamType, bindings));
    case 'MAP':
      return SqlTypes.map(substitute(type.key as ParamType, bindings), substitute(type.value as ParamType, bindings));
    default:
      return type as SqlType;
  }
}

function bind(param: ParamType, actual: SqlType, bindings: Map<string, SqlType>): void {
  if (param.kind === 'GENERIC') {
    if (!bindings.has(param.name) && actual.kind !== 'NULL') bindings.set(param.name, actual);
  } else if (param.kind === 'ARRAY' && actual.kind === 'ARRAY') {
    bind(param.item as ParamType, actual.item, bindings);
  } else if (param.kind === 'MAP' && actual.kind === 'MAP') {
    bind(param.key as ParamType, actual.key, bindings);
    bind(param.value as ParamType, actual.value, bindings);
  }
}

function toSignature(input: UdfSignatureInput, problem: (msg: string) => Error): NamedSignature {
  const params: ParamType[] = [];
  const names: string[] = [];
  input.params.forEach((p, i) => {
    const text = typeof p === 'string' ? p : p.type;
    try {
      params.push(parseParamType(text));
    } catch (e) {
      throw problem(`parameter ${i + 1}: ${(e as Error).message}`);
    }
    names.push(typeof p === 'string' ? `arg${i}` : p.name);
  });
  if (input.variadic && params.length === 0) throw problem('a variadic function needs at least one parameter');
  let declaredReturn: ParamType;
  try {
    declaredReturn = parseParamType(input.returns);
  } catch (e) {
    throw problem(`return type: ${(e as Error).message}`);
  }
  if (declaredReturn.kind === 'ANY_DECIMAL' || declaredReturn.kind === 'ANY_STRUCT') {
    throw problem(`return type '${input.returns}' needs its precision/fields`);
  }
  const fn = input.fn;
  const returns = isConcrete(declaredReturn)
    ? declaredReturn
    : (paramTypes: readonly SqlType[]): SqlType => {
        const bindings = new Map<string, SqlType>();
        paramTypes.forEach((t, i) => bind(params[Math.min(i, params.length - 1)]!, t, bindings));
        return substitute(declaredReturn, bindings);
      };
  return {
    params,
    returns,
    impl: (args) => fn(...args),
    paramNames: names,
    ...(input.variadic ? { variadic: true } : {}),
    ...(input.acceptsNulls ? { acceptsNulls: true } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
}

/**
 * Validates and registers one UDF. `source` names where it came from (shown as DESCRIBE
 * FUNCTION's path and in errors). Throws KsqlError naming the problem.
 */
export function registerUdf(registry: FunctionRegistry, def: unknown, source = 'extension'): LibraryFunctionDefinition {
  const parsed = udfSchema.safeParse(def);
  const label = typeof (def as { name?: unknown })?.name === 'string' ? `UDF '${(def as { name: string }).name}'` : 'UDF';
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new KsqlError(`Invalid ${label} from ${source}: ${issues}`);
  }
  const d = parsed.data;
  const problem = (msg: string): Error => new KsqlError(`Invalid ${label} from ${source}: ${msg}`);
  const inputs: UdfSignatureInput[] = d.signatures ?? [
    {
      params: d.params!,
      returns: d.returns!,
      fn: d.fn!,
      ...(d.variadic !== undefined ? { variadic: d.variadic } : {}),
      ...(d.acceptsNulls !== undefined ? { acceptsNulls: d.acceptsNulls } : {}),
    },
  ];
  const definition: LibraryFunctionDefinition = {
    name: d.name.toUpperCase(),
    description: d.description,
    category: d.category,
    author: d.author,
    version: d.version,
    path: source,
    signatures: inputs.map((s) => toSignature(s, problem)),
  };
  try {
    registry.register(definition);
  } catch (e) {
    throw problem((e as Error).message);
  }
  return definition;
}

/**
 * Imports every `.js` / `.mjs` module of `dir` (in name order) and registers the UDFs it exports
 * as `udfs` or as its default export (an array, or a single definition). Returns the names
 * registered. Errors name the file and the problem.
 */
export async function loadExtensionDirectory(registry: FunctionRegistry, dir: string): Promise<string[]> {
  const root = resolve(dir);
  let entries: string[];
  try {
    entries = (await readdir(root, { withFileTypes: true }))
      .filter((e) => e.isFile() && /\.(m?js)$/.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (e) {
    throw new KsqlError(`Cannot read UDF extension directory ${root}: ${(e as Error).message}`);
  }
  const registered: string[] = [];
  for (const file of entries) {
    const path = join(root, file);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (e) {
      throw new KsqlError(`Failed to load UDF extension ${path}: ${(e as Error).message}`);
    }
    const exported = mod['udfs'] ?? mod['default'];
    if (exported === undefined) {
      throw new KsqlError(`UDF extension ${path} exports neither 'udfs' nor a default export`);
    }
    const defs = Array.isArray(exported) ? exported : [exported];
    for (const def of defs) registered.push(registerUdf(registry, def, path).name);
  }
  return registered;
}
