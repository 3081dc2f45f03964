/**
 * Prints expressions and types the way ksqlDB's ExpressionFormatter does, because ksqlDB puts
 * that text into error messages and generated column names, and we must match it verbatim.
 *
 * Rules (from ExpressionFormatter / FormatOptions):
 * - binary operators, comparisons, AND/OR, LIKE, BETWEEN, IN, IS [NOT] NULL, NOT and CASE are
 *   wrapped in parentheses: `(A + 1)`, `(NOT (A IN (1, 2)))`;
 * - negated BETWEEN / IN / LIKE print as NOT around the positive form (ksqlDB's AstBuilder
 *   builds a NotExpression for them);
 * - names are printed as-is unless the `quote` predicate asks for back quotes (ksqlDB's default
 *   in error messages quotes nothing);
 * - DOUBLE literals use scientific notation (`1.5E3`), DECIMAL literals BigDecimal.toString.
 */
import type { SqlType } from '../types.js';
import type { Expression } from './ast.js';

export interface FormatOptions {
  /** Returns true for names that must be back-quoted. Default: quote nothing. */
  readonly quote?: (name: string) => boolean;
}

const NO_QUOTES: FormatOptions = {};

export function formatExpression(e: Expression, options: FormatOptions = NO_QUOTES): string {
  return new ExpressionFormatter(options).format(e);
}

/** A SQL type as ksqlDB's `SqlType.toString(FormatOptions)` writes it inside SQL text. */
export function formatType(type: SqlType, options: FormatOptions = NO_QUOTES): string {
  const escape = escaper(options);
  const go = (t: SqlType): string => {
    switch (t.kind) {
      case 'DECIMAL':
        return `DECIMAL(${t.precision}, ${t.scale})`;
      case 'ARRAY':
        return `ARRAY<${go(t.item)}>`;
      case 'MAP':
        return `MAP<${go(t.key)}, ${go(t.value)}>`;
      case 'STRUCT':
        if (t.fields.length === 0) return 'STRUCT< >';
        return `STRUCT<${t.fields.map((f) => `${escape(f.name)} ${go(f.type)}`).join(', ')}>`;
      default:
        return t.kind;
    }
  };
  return go(type);
}

/** `'it''s'`: a SQL string literal with embedded quotes doubled. */
export function formatStringLiteral(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

/** Java's `BigDecimal.toString()` of a decimal literal's source text (`.5` → `0.5`, `0.0000001` → `1E-7`). */
export function formatDecimalLiteral(text: string): string {
  let digits = text.trim();
  let sign = '';
  if (digits.startsWith('-') || digits.startsWith('+')) {
    if (digits.startsWith('-')) sign = '-';
    digits = digits.slice(1);
  }
  const dot = digits.indexOf('.');
  const intPart = dot < 0 ? digits : digits.slice(0, dot);
  const fracPart = dot < 0 ? '' : digits.slice(dot + 1);
  const scale = fracPart.length;
  const unscaled = (intPart + fracPart).replace(/^0+(?=\d)/, '') || '0';
  const adjusted = unscaled.length - 1 - scale;
  if (adjusted >= -6) {
    if (scale === 0) return sign + unscaled;
    const padded = unscaled.padStart(scale + 1, '0');
    return sign + padded.slice(0, padded.length - scale) + '.' + padded.slice(padded.length - scale);
  }
  // Scientific notation, as BigDecimal does for small magnitudes.
  const mantissa = unscaled.length > 1 ? unscaled[0] + '.' + unscaled.slice(1) : unscaled;
  return `${sign}${mantissa}E${adjusted}`;
}

/** ICU scientific notation with unlimited precision, as ksqlDB prints DOUBLE literals: `1.5E3`, `1E-7`. */
export function formatDoubleLiteral(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return `${mantissa}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

function escaper(options: FormatOptions): (name: string) => string {
  const quote = options.quote;
  return quote === undefined ? (name) => name : (name) => (quote(name) ? '`' + name + '`' : name);
}

class ExpressionFormatter {
  private readonly escape: (name: string) => string;

  constructor(private readonly options: FormatOptions) {
    this.escape = escaper(options);
  }

  format(e: Expression): string {
    switch (e.kind) {
      case 'NullLiteral':
        return 'null';
      case 'BooleanLiteral':
        return String(e.value);
      case 'IntegerLiteral':
        return String(e.value);
      case 'BigintLiteral':
        return e.value.toString();
      case 'DecimalLiteral':
        return formatDecimalLiteral(e.text);
      case 'DoubleLiteral':
        return formatDoubleLiteral(e.value);
      case 'StringLiteral':
        return formatStringLiteral(e.value);
      case 'ColumnRef':
        return e.source === undefined ? this.escape(e.name) : `${this.escape(e.source)}.${this.escape(e.name)}`;
      case 'Dereference':
        return `${this.format(e.base)}->${this.escape(e.field)}`;
      case 'Subscript':
        return `${this.format(e.base)}[${this.format(e.index)}]`;
      case 'FunctionCall': {
        const args = e.star || (e.args.length === 0 && e.name === 'COUNT') ? '*' : this.join(e.args);
        return `${this.escape(e.name)}(${args})`;
      }
      case 'IntervalUnit':
        return e.unit;
      case 'Type':
        return formatType(e.type, this.options);
      case 'Arithmetic':
        return this.binary(e.op, e.left, e.right);
      case 'Negation': {
        const operand = this.format(e.operand);
        // A space keeps "--" from reading as a comment.
        return '-' + (operand.startsWith('-') ? ' ' : '') + operand;
      }
      case 'Comparison':
        // ksqlDB builds IS NOT DISTINCT FROM as NOT around IS DISTINCT FROM.
        if (e.op === 'IS NOT DISTINCT FROM') return `(NOT ${this.binary('IS DISTINCT FROM', e.left, e.right)})`;
        return this.binary(e.op, e.left, e.right);
      case 'LogicalBinary':
        return this.binary(e.op, e.left, e.right);
      case 'Not':
        return `(NOT ${this.format(e.operand)})`;
      case 'IsNull':
        return `(${this.format(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
      case 'Between':
        return this.negatable(
          e.negated,
          `(${this.format(e.value)} BETWEEN ${this.format(e.min)} AND ${this.format(e.max)})`,
        );
      case 'InList':
        return this.negatable(e.negated, `(${this.format(e.value)} IN (${this.join(e.list)}))`);
      case 'Like': {
        const escape = e.escape === undefined ? '' : ` ESCAPE '${e.escape}'`;
        return this.negatable(e.negated, `(${this.format(e.value)} LIKE ${this.format(e.pattern)}${escape})`);
      }
      case 'SearchedCase':
        return this.caseExpression(['CASE'], e.whens, e.else);
      case 'SimpleCase':
        return this.caseExpression(['CASE', this.format(e.operand)], e.whens, e.else);
      case 'Cast':
        return `CAST(${this.format(e.expression)} AS ${formatType(e.type, this.options)})`;
      case 'CreateArray':
        return `ARRAY[${this.join(e.items)}]`;
      case 'CreateMap':
        return `MAP(${e.entries.map((en) => `${this.format(en.key)}:=${this.format(en.value)}`).join(', ')})`;
      case 'CreateStruct':
        return `STRUCT(${e.fields.map((f) => `${this.escape(f.name)}:=${this.format(f.value)}`).join(', ')})`;
      case 'Lambda':
        return `(${e.params.join(', ')}) => ${this.format(e.body)}`;
      case 'LambdaVariable':
        return e.name;
    }
  }

  private binary(op: string, left: Expression, right: Expression): string {
    return `(${this.format(left)} ${op} ${this.format(right)})`;
  }

  private negatable(negated: boolean, positive: string): string {
    return negated ? `(NOT ${positive})` : positive;
  }

  private join(items: readonly Expression[]): string {
    return items.map((i) => this.format(i)).join(', ');
  }

  private caseExpression(
    head: string[],
    whens: readonly { condition: Expression; result: Expression }[],
    otherwise: Expression | undefined,
  ): string {
    const parts = [...head];
    for (const w of whens) parts.push(`WHEN ${this.format(w.condition)} THEN ${this.format(w.result)}`);
    if (otherwise !== undefined) parts.push('ELSE', this.format(otherwise));
    parts.push('END');
    return `(${parts.join(' ')})`;
  }
}
