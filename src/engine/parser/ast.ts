/**
 * The abstract syntax tree produced by the parser (./parser.ts) for ksqlDB's SQL dialect,
 * modelled on ksqlDB's `io.confluent.ksql.parser.tree` classes.
 *
 * Conventions:
 * - Identifiers are already normalised: unquoted ones upper-cased, back-quoted ones verbatim
 *   (`quoted: true` where it matters for formatting).
 * - Every node may carry `loc` (1-based line, 0-based column as ksqlDB reports "line 1:8").
 * - Literal numbers keep their source text so DECIMAL and BIGINT stay exact.
 */
import type { SqlType } from '../types.js';

export interface Location {
  readonly line: number;
  readonly column: number;
}

interface Node {
  readonly loc?: Location;
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

export type Expression =
  | NullLiteral
  | BooleanLiteral
  | IntegerLiteral
  | BigintLiteral
  | DecimalLiteral
  | DoubleLiteral
  | StringLiteral
  | ColumnRef
  | Dereference
  | Subscript
  | FunctionCall
  | IntervalUnitExpr
  | TypeExpr
  | Arithmetic
  | Negation
  | Comparison
  | LogicalBinary
  | Not
  | IsNull
  | Between
  | InList
  | Like
  | SearchedCase
  | SimpleCase
  | Cast
  | CreateArray
  | CreateMap
  | CreateStruct
  | Lambda
  | LambdaVariable;

export interface NullLiteral extends Node {
  readonly kind: 'NullLiteral';
}
export interface BooleanLiteral extends Node {
  readonly kind: 'BooleanLiteral';
  readonly value: boolean;
}
/** An integer literal that fits a Java int. */
export interface IntegerLiteral extends Node {
  readonly kind: 'IntegerLiteral';
  readonly value: number;
}
/** An integer literal outside the int range (ksqlDB LongLiteral). */
export interface BigintLiteral extends Node {
  readonly kind: 'BigintLiteral';
  readonly value: bigint;
}
/** A literal with a decimal point and no exponent, e.g. `1.50` (ksqlDB DecimalLiteral). */
export interface DecimalLiteral extends Node {
  readonly kind: 'DecimalLiteral';
  /** Source text, e.g. "1.50" or ".5". */
  readonly text: string;
}
/** A literal with an exponent, e.g. `1.5E3` (ksqlDB DoubleLiteral). */
export interface DoubleLiteral extends Node {
  readonly kind: 'DoubleLiteral';
  readonly value: number;
}
export interface StringLiteral extends Node {
  readonly kind: 'StringLiteral';
  /** Unescaped value ('' already turned into '). */
  readonly value: string;
}

/** `col` or `src.col`. Names normalised (see file comment). */
export interface ColumnRef extends Node {
  readonly kind: 'ColumnRef';
  readonly source?: string;
  readonly name: string;
  readonly quoted?: boolean;
}

/** Struct field access `base->field`. */
export interface Dereference extends Node {
  readonly kind: 'Dereference';
  readonly base: Expression;
  readonly field: string;
}

/** `base[index]` on arrays (1-based, negative from the end) and maps. */
export interface Subscript extends Node {
  readonly kind: 'Subscript';
  readonly base: Expression;
  readonly index: Expression;
}

export interface FunctionCall extends Node {
  readonly kind: 'FunctionCall';
  /** Upper-cased function name. */
  readonly name: string;
  readonly args: readonly Expression[];
  /** `COUNT(*)`: args is empty and star is true. */
  readonly star?: boolean;
  readonly distinct?: boolean;
}

/** A time unit passed to functions such as TIMESTAMPADD(SECONDS, 5, ts). */
export interface IntervalUnitExpr extends Node {
  readonly kind: 'IntervalUnit';
  readonly unit: TimeUnit;
}

/** A type passed as a function argument (rare, e.g. in some UDFs); kept for completeness. */
export interface TypeExpr extends Node {
  readonly kind: 'Type';
  readonly type: SqlType;
}

export type TimeUnit = 'MILLISECONDS' | 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS' | 'NANOSECONDS' | 'MICROSECONDS';

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

export interface Arithmetic extends Node {
  readonly kind: 'Arithmetic';
  readonly op: ArithmeticOperator;
  readonly left: Expression;
  readonly right: Expression;
}

/** Unary minus (`-x`). Unary plus is dropped by the parser. */
export interface Negation extends Node {
  readonly kind: 'Negation';
  readonly operand: Expression;
}

export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM';

export interface Comparison extends Node {
  readonly kind: 'Comparison';
  readonly op: ComparisonOperator;
  readonly left: Expression;
  readonly right: Expression;
}

export interface LogicalBinary extends Node {
  readonly kind: 'LogicalBinary';
  readonly op: 'AND' | 'OR';
  readonly left: Expression;
  readonly right: Expression;
}

export interface Not extends Node {
  readonly kind: 'Not';
  readonly operand: Expression;
}

export interface IsNull extends Node {
  readonly kind: 'IsNull';
  readonly operand: Expression;
  readonly negated: boolean;
}

export interface Between extends Node {
  readonly kind: 'Between';
  readonly value: Expression;
  readonly min: Expression;
  readonly max: Expression;
  readonly negated: boolean;
}

export interface InList extends Node {
  readonly kind: 'InList';
  readonly value: Expression;
  readonly list: readonly Expression[];
  readonly negated: boolean;
}

export interface Like extends Node {
  readonly kind: 'Like';
  readonly value: Expression;
  readonly pattern: Expression;
  /** ESCAPE character, if given. */
  readonly escape?: string;
  readonly negated: boolean;
}

export interface WhenClause {
  readonly condition: Expression;
  readonly result: Expression;
}

export interface SearchedCase extends Node {
  readonly kind: 'SearchedCase';
  readonly whens: readonly WhenClause[];
  readonly else?: Expression;
}

/** `CASE operand WHEN value THEN result ... END`; `condition` of each clause holds the value. */
export interface SimpleCase extends Node {
  readonly kind: 'SimpleCase';
  readonly operand: Expression;
  readonly whens: readonly WhenClause[];
  readonly else?: Expression;
}

export interface Cast extends Node {
  readonly kind: 'Cast';
  readonly expression: Expression;
  readonly type: SqlType;
}

/** `ARRAY[a, b]` */
export interface CreateArray extends Node {
  readonly kind: 'CreateArray';
  readonly items: readonly Expression[];
}

/** `MAP(k := v, ...)` */
export interface CreateMap extends Node {
  readonly kind: 'CreateMap';
  readonly entries: readonly { readonly key: Expression; readonly value: Expression }[];
}

/** `STRUCT(name := expr, ...)` */
export interface CreateStruct extends Node {
  readonly kind: 'CreateStruct';
  readonly fields: readonly { readonly name: string; readonly value: Expression }[];
}

/** `(x, y) => expr`; parsed so the engine can answer "Unsupported: lambda functions". */
export interface Lambda extends Node {
  readonly kind: 'Lambda';
  readonly params: readonly string[];
  readonly body: Expression;
}
export interface LambdaVariable extends Node {
  readonly kind: 'LambdaVariable';
  readonly name: string;
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

export type SelectItem = AllColumns | SingleColumn;

/** `*` or `src.*` */
export interface AllColumns extends Node {
  readonly kind: 'AllColumns';
  readonly source?: string;
}

export interface SingleColumn extends Node {
  readonly kind: 'SingleColumn';
  readonly expression: Expression;
  readonly alias?: string;
}

export type Relation = AliasedRelation | JoinRelation;

export interface AliasedRelation extends Node {
  readonly kind: 'AliasedRelation';
  /** Source name (normalised). */
  readonly name: string;
  /** Alias if given, else undefined (the source name serves as alias). */
  readonly alias?: string;
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

export interface JoinedSource {
  readonly type: JoinType;
  readonly relation: AliasedRelation;
  readonly criteria: Expression;
  /** WITHIN clause of stream-stream joins (ms before/after). */
  readonly within?: { readonly beforeMs: number; readonly afterMs: number; readonly graceMs?: number };
}

/** `left JOIN r1 ON ... JOIN r2 ON ...` */
export interface JoinRelation extends Node {
  readonly kind: 'Join';
  readonly left: AliasedRelation;
  readonly joins: readonly JoinedSource[];
}

export type WindowExpression = (
  | { readonly kind: 'TUMBLING'; readonly sizeMs: number; readonly retentionMs?: number; readonly graceMs?: number }
  | {
      readonly kind: 'HOPPING';
      readonly sizeMs: number;
      readonly advanceMs: number;
      readonly retentionMs?: number;
      readonly graceMs?: number;
    }
  | { readonly kind: 'SESSION'; readonly gapMs: number; readonly retentionMs?: number; readonly graceMs?: number }
) &
  Node;

export interface Query extends Node {
  readonly kind: 'Query';
  readonly select: readonly SelectItem[];
  readonly from: Relation;
  readonly window?: WindowExpression;
  readonly where?: Expression;
  readonly groupBy?: readonly Expression[];
  readonly partitionBy?: readonly Expression[];
  readonly having?: Expression;
  /** EMIT CHANGES / EMIT FINAL; absent for pull queries. */
  readonly emit?: 'CHANGES' | 'FINAL';
  readonly limit?: number;
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

/** Literal values of WITH (...) properties; keys are upper-cased property names. */
export type PropertyValue = string | number | boolean | bigint;
export type Properties = Readonly<Record<string, PropertyValue>>;

export type ColumnConstraint = 'KEY' | 'PRIMARY KEY' | 'HEADERS' | { readonly header: string };

export interface TableElement {
  readonly name: string;
  readonly type: SqlType;
  readonly constraint?: ColumnConstraint;
}

export type SourceType = 'STREAM' | 'TABLE';

export type Statement =
  | CreateSource
  | CreateAsSelect
  | InsertInto
  | InsertValues
  | DropSource
  | AlterSource
  | Terminate
  | Show
  | Describe
  | DescribeFunction
  | Explain
  | DefineVariable
  | UndefineVariable
  | SetProperty
  | UnsetProperty
  | Print
  | QueryStatement
  | UnsupportedStatement;

interface StatementBase extends Node {
  /** The statement's source text including the terminating ';' (after variable substitution). */
  readonly text: string;
}

export interface CreateSource extends StatementBase {
  readonly kind: 'CreateSource';
  readonly sourceType: SourceType;
  readonly name: string;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  /** CREATE SOURCE STREAM/TABLE: read-only, materialised. */
  readonly isSource: boolean;
  readonly elements: readonly TableElement[];
  readonly properties: Properties;
}

export interface CreateAsSelect extends StatementBase {
  readonly kind: 'CreateAsSelect';
  readonly sourceType: SourceType;
  readonly name: string;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  readonly properties: Properties;
  readonly query: Query;
}

/** INSERT INTO target [WITH (...)] SELECT ... */
export interface InsertInto extends StatementBase {
  readonly kind: 'InsertInto';
  readonly target: string;
  readonly properties: Properties;
  readonly query: Query;
}

/** INSERT INTO target [(col, ...)] VALUES (expr, ...) */
export interface InsertValues extends StatementBase {
  readonly kind: 'InsertValues';
  readonly target: string;
  readonly columns?: readonly string[];
  readonly values: readonly Expression[];
}

export interface DropSource extends StatementBase {
  readonly kind: 'DropSource';
  readonly sourceType: SourceType;
  readonly name: string;
  readonly ifExists: boolean;
  readonly deleteTopic: boolean;
}

/** ALTER STREAM|TABLE name ADD [COLUMN] col type [, ADD [COLUMN] col type ...]. */
export interface AlterSource extends StatementBase {
  readonly kind: 'AlterSource';
  readonly sourceType: SourceType;
  readonly name: string;
  /** The value columns to append, in statement order. */
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[];
}

export interface Terminate extends StatementBase {
  readonly kind: 'Terminate';
  /** Query id as written (ids are case-insensitive in ksqlDB; upper-cased), or 'ALL'. */
  readonly queryId: string;
  readonly all: boolean;
}

export type ShowWhat = 'STREAMS' | 'TABLES' | 'TOPICS' | 'ALL TOPICS' | 'QUERIES' | 'PROPERTIES' | 'FUNCTIONS' | 'VARIABLES' | 'TYPES' | 'CONNECTORS';

/** SHOW/LIST ...; `DESCRIBE STREAMS` is SHOW STREAMS EXTENDED. */
export interface Show extends StatementBase {
  readonly kind: 'Show';
  readonly what: ShowWhat;
  readonly extended: boolean;
}

export interface Describe extends StatementBase {
  readonly kind: 'Describe';
  readonly name: string;
  readonly extended: boolean;
}

export interface DescribeFunction extends StatementBase {
  readonly kind: 'DescribeFunction';
  readonly name: string;
}

export interface Explain extends StatementBase {
  readonly kind: 'Explain';
  /** EXPLAIN <query id> */
  readonly queryId?: string;
  /** EXPLAIN <statement> */
  readonly statement?: Statement;
}

export interface DefineVariable extends StatementBase {
  readonly kind: 'DefineVariable';
  readonly name: string;
  readonly value: string;
}

export interface UndefineVariable extends StatementBase {
  readonly kind: 'UndefineVariable';
  readonly name: string;
}

/** SET 'name'='value'; */
export interface SetProperty extends StatementBase {
  readonly kind: 'SetProperty';
  readonly name: string;
  readonly value: string;
}

export interface UnsetProperty extends StatementBase {
  readonly kind: 'UnsetProperty';
  readonly name: string;
}

/** PRINT topic [FROM BEGINNING] [INTERVAL n] [LIMIT n] */
export interface Print extends StatementBase {
  readonly kind: 'Print';
  /** Topic name as written (quoted names keep case; unquoted ones are matched case-insensitively). */
  readonly topic: string;
  readonly quoted: boolean;
  readonly fromBeginning: boolean;
  readonly interval?: number;
  readonly limit?: number;
}

export interface QueryStatement extends StatementBase {
  readonly kind: 'QueryStatement';
  readonly query: Query;
}

/**
 * Valid ksqlDB syntax the engine does not implement (CREATE TYPE, ASSERT, connectors, ALTER SYSTEM,
 * PAUSE/RESUME, ...). Executing it raises UnsupportedError naming `what`.
 */
export interface UnsupportedStatement extends StatementBase {
  readonly kind: 'UnsupportedStatement';
  readonly what: string;
}
