/**
 * What compiled expressions run with: the evaluation context, the closure shape, and Java's
 * runtime failures (NullPointerException, ArithmeticException) that ksqlDB turns into null
 * plus a processing-log entry.
 */
import type { FunctionContext } from '../functions/types.js';
import type { Value } from '../values/value.js';

/** What compiled expressions need at evaluation time. */
export interface EvalContext extends FunctionContext {
  /** Receives errors ksqlDB would send to the processing log; the failing value becomes null. */
  onError(err: Error): void;
}

export type Evaluator = (row: readonly Value[], ctx: EvalContext) => Value;

/** An EvalContext from a FunctionContext; errors go to `onError` (ignored by default). */
export function evalContext(fnCtx: FunctionContext, onError: (err: Error) => void = () => undefined): EvalContext {
  return { now: () => fnCtx.now(), properties: fnCtx.properties, onError };
}

/** Java's NullPointerException when an operator unboxes a null. */
export class NullValueError extends Error {
  constructor(what: string) {
    super(`NullPointerException: ${what}`);
    this.name = 'NullPointerException';
  }
}

/** Java's ArithmeticException (integer division by zero, inexact DECIMAL results). */
export class ArithmeticError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArithmeticException';
  }
}

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** Throws Java's NullPointerException for an operator that unboxed a null. */
export function npe(what: string): never {
  throw new NullValueError(what);
}

/** Wraps an evaluator so its errors become null plus a report (ksqlDB's evaluateOrReturnNull). */
export function orNull(fn: Evaluator): Evaluator {
  return (row, ctx) => {
    try {
      return fn(row, ctx);
    } catch (e) {
      ctx.onError(asError(e));
      return null;
    }
  };
}

export function constant(value: Value): Evaluator {
  return () => value;
}
