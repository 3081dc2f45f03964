/**
 * How the library declares an aggregate: a factory with variants, resolved like ksqlDB 0.29
 * does. Two styles exist in ksqlDB and are kept apart here:
 *
 * - 'udaf': functions written against ksqlDB's UDAF framework (@UdafFactory methods: AVG,
 *   COLLECT_LIST, LATEST_BY_OFFSET, ...). A call resolves through UdfIndex on the types of
 *   ALL its arguments, literal init arguments included, without implicit casts; when nothing
 *   fits, UdfIndex's "Function 'x' does not accept parameters (...)" error.
 * - 'builtin': ksqlDB's hand-written AggregateFunctionFactory subclasses (COUNT, MIN, MAX,
 *   TOPK, TOPKDISTINCT): the first argument is the column, every further argument is a
 *   literal init argument, and the factory rejects column types itself
 *   ("No MIN aggregate function with BOOLEAN argument type exists!").
 */
import { KsqlError, KsqlStatementError } from '../../errors.js';
import { SqlTypes, type SqlType } from '../../types.js';
import { Decimal } from '../../values/decimal.js';
import type { Value } from '../../values/value.js';
import { acceptsArgument, formatArgumentType, formatParamType, hasGenerics, type GenericBindings } from '../param-matching.js';
import { formatSignature } from '../registry.js';
import type { FunctionSignature, ParamType } from '../types.js';
import type {
  AggregateArgumentInfo,
  AggregateCreateOptions,
  AggregateFunction,
  AggregateFunctionFactory,
  AggregateVariantInfo,
} from './types.js';

/** What a variant's `build` gets once the call is resolved. */
export interface BuildContext {
  /** Upper-case function name. */
  readonly name: string;
  /** Types of the column arguments. */
  readonly columnTypes: readonly SqlType[];
  /** Values of the literal init arguments, in order. */
  readonly literals: readonly Value[];
  readonly properties: Readonly<Record<string, string>>;
}

export interface VariantDef {
  /** Parameter types of the whole call: column parameters, then literal parameters. */
  readonly params: readonly ParamType[];
  readonly paramNames: readonly string[];
  /** How many trailing params are literal init arguments. */
  readonly literalCount: number;
  readonly description: string;
  /** Return type as DESCRIBE FUNCTION shows it. */
  readonly returnDisplay: string;
  /** The variant implements undo (ksqlDB's TableUdaf / TableAggregationFunction). */
  readonly table: boolean;
  build(ctx: BuildContext): AggregateFunction;
}

interface BaseFactoryDef {
  /** Upper-case name. */
  readonly name: string;
  readonly description: string;
  readonly author?: string;
  readonly variants: readonly VariantDef[];
}

export interface UdafFactoryDef extends BaseFactoryDef {
  readonly style: 'udaf';
  /** The name as ksqlDB's @UdafDescription spells it (quoted in resolution errors). */
  readonly declaredName: string;
}

export interface BuiltinFactoryDef extends BaseFactoryDef {
  readonly style: 'builtin';
  /**
   * Builds the function for a column type and the literal init arguments, or throws ksqlDB's
   * error for an unsupported column type. `columnTypes` may be empty (COUNT(*)).
   */
  readonly build: (ctx: BuildContext) => AggregateFunction;
  /** Whether the functions this factory builds implement undo. */
  readonly table: boolean;
}

export type FactoryDef = UdafFactoryDef | BuiltinFactoryDef;

/** A factory with its description metadata, for DESCRIBE FUNCTION. */
export interface DescribedAggregateFactory extends AggregateFunctionFactory {
  readonly author: string;
}

const NL = '\n';

/** The SQL type of a literal value, for callers that pass no literal types. */
export function literalType(v: Value): SqlType {
  if (v === null) return SqlTypes.NULL;
  if (typeof v === 'boolean') return SqlTypes.BOOLEAN;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 2147483647 ? SqlTypes.INTEGER : SqlTypes.DOUBLE;
  if (typeof v === 'bigint') return SqlTypes.BIGINT;
  if (typeof v === 'string') return SqlTypes.STRING;
  if (v instanceof Decimal) return SqlTypes.decimal(Math.max(v.precision, v.scale), v.scale);
  if (Buffer.isBuffer(v)) return SqlTypes.BYTES;
  throw new KsqlError('Only primitive init arguments are supported by UDAFs');
}

function asSignature(v: VariantDef): FunctionSignature & { paramNames: readonly string[] } {
  return { params: v.params, paramNames: v.paramNames, returns: SqlTypes.NULL, impl: () => null };
}

function matches(v: VariantDef, argTypes: readonly SqlType[]): boolean {
  if (v.params.length !== argTypes.length) return false;
  const bindings: GenericBindings = new Map();
  return argTypes.every((t, i) => acceptsArgument(v.params[i]!, t, bindings, false));
}

function noMatchError(def: UdafFactoryDef, argTypes: readonly SqlType[]): KsqlStatementError {
  return new KsqlStatementError(
    `Function '${def.declaredName}' does not accept parameters (${argTypes.map(formatArgumentType).join(', ')}).` +
      NL +
      'Valid alternatives are:' +
      NL +
      def.variants.map((v) => formatSignature(def.declaredName, asSignature(v))).join(NL) +
      NL +
      'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
  );
}

/** UdfIndex: the matching variant with the fewest generic parameters, else the first. */
function resolveUdaf(def: UdafFactoryDef, allArgTypes: readonly SqlType[]): VariantDef {
  let best: VariantDef | undefined;
  let bestGenerics = Infinity;
  for (const v of def.variants) {
    if (!matches(v, allArgTypes)) continue;
    const generics = v.params.filter(hasGenerics).length;
    if (generics < bestGenerics) {
      best = v;
      bestGenerics = generics;
    }
  }
  if (!best) throw noMatchError(def, allArgTypes);
  return best;
}

function variantInfo(v: VariantDef): AggregateVariantInfo {
  const args: AggregateArgumentInfo[] = v.params.map((p, i) => ({
    name: v.paramNames[i] ?? '',
    type: formatParamType(p),
    description: '',
    isVariadic: false,
  }));
  return { arguments: args, returnType: v.returnDisplay, description: v.description };
}

function propertiesOf(options: AggregateCreateOptions | undefined): Readonly<Record<string, string>> {
  return options?.properties ?? {};
}

export function defineAggregate(def: FactoryDef): DescribedAggregateFactory {
  const variants = def.variants.map(variantInfo);
  const author = def.author ?? 'Confluent';
  if (def.style === 'udaf') {
    return {
      name: def.name,
      description: def.description,
      author,
      supportsTables: def.variants.every((v) => v.table),
      variants,
      literalArgCount(allArgTypes) {
        return resolveUdaf(def, allArgTypes).literalCount;
      },
      create(argTypes, literalArgs, options) {
        const literalTypes = options?.literalTypes ?? literalArgs.map(literalType);
        const variant = resolveUdaf(def, [...argTypes, ...literalTypes]);
        if (variant.literalCount !== literalArgs.length) {
          throw new KsqlError(
            `${def.name}(${[...argTypes, ...literalTypes].map(formatArgumentType).join(', ')}) takes ` +
              `${variant.literalCount} literal argument(s), but ${literalArgs.length} were given`,
          );
        }
        return variant.build({ name: def.name, columnTypes: argTypes, literals: literalArgs, properties: propertiesOf(options) });
      },
    };
  }
  return {
    name: def.name,
    description: def.description,
    author,
    supportsTables: def.table,
    variants,
    literalArgCount(allArgTypes) {
      return Math.max(0, allArgTypes.length - 1);
    },
    create(argTypes, literalArgs, options) {
      return def.build({ name: def.name, columnTypes: argTypes, literals: literalArgs, properties: propertiesOf(options) });
    },
  };
}

/** A variant of a 'udaf' factory: one column parameter `val1` plus named literal parameters. */
export function udafVariant(
  column: ParamType | readonly ParamType[],
  literals: readonly (readonly [name: string, type: ParamType])[],
  opts: {
    description: string;
    returnDisplay: string;
    table: boolean;
    build: (ctx: BuildContext) => AggregateFunction;
  },
): VariantDef {
  const columns = Array.isArray(column) ? (column as readonly ParamType[]) : [column as ParamType];
  return {
    params: [...columns, ...literals.map(([, t]) => t)],
    paramNames: [...columns.map((_, i) => `val${i + 1}`), ...literals.map(([n]) => n)],
    literalCount: literals.length,
    description: opts.description,
    returnDisplay: opts.returnDisplay,
    table: opts.table,
    build: opts.build,
  };
}

/** Java's Integer.parseInt for a property value; NumberFormatException text on failure. */
export function parseJavaInt(text: string): number {
  if (!/^[+-]?\d+$/.test(text.trim() === text ? text : '\u0000')) {
    throw new KsqlError(`For input string: "${text}"`);
  }
  const n = Number(text);
  if (n > 2147483647 || n < -2147483648) throw new KsqlError(`For input string: "${text}"`);
  return n;
}
