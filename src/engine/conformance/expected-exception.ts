/**
 * Matching an engine error against a test's `expectedException`: the Java class name maps
 * loosely to the error categories of ../errors.ts (a Java subclass relation, e.g.
 * KsqlStatementException extends KsqlException, becomes a set of accepted categories), and
 * `message` must be a substring of the error message.
 */
import { KsqlError, KsqlStatementError, type KsqlErrorCategory } from '../errors.js';
import type { QttExpectedException } from './qtt-model.js';

const ACCEPTED_CATEGORIES: Readonly<Record<string, readonly KsqlErrorCategory[]>> = {
  'io.confluent.ksql.util.KsqlStatementException': ['statement', 'parse', 'ksql'],
  'io.confluent.ksql.util.KsqlException': ['statement', 'parse', 'ksql', 'function'],
  'io.confluent.ksql.parser.exception.ParseFailedException': ['parse', 'statement'],
  'io.confluent.ksql.function.KsqlFunctionException': ['function', 'statement', 'ksql', 'runtime'],
  'org.apache.kafka.streams.errors.StreamsException': ['runtime', 'function', 'ksql'],
};

export function errorCategory(err: unknown): KsqlErrorCategory | 'internal' {
  return err instanceof KsqlError ? err.category : 'internal';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The text Java's getMessage() gives for the error: ksqlDB's KsqlStatementException appends
 * "\nStatement: <text>" to its message (the REST body carries the two apart, as `message` and
 * `statementText`, and so does KsqlStatementError).
 */
export function javaMessage(err: unknown): string {
  const message = errorMessage(err);
  if (err instanceof KsqlStatementError && err.statementText) return `${message}\nStatement: ${err.statementText.trim()}`;
  return message;
}

/** null when the error matches; otherwise why not. */
export function expectedExceptionMismatch(expected: QttExpectedException, err: unknown): string | null {
  const category = errorCategory(err);
  const message = javaMessage(err);
  if (expected.type !== undefined) {
    const accepted = ACCEPTED_CATEGORIES[expected.type];
    if (accepted !== undefined && (category === 'internal' || !accepted.includes(category))) {
      const className = err instanceof Error ? err.name : typeof err;
      return `expected ${expected.type} but the engine raised ${className} (category ${category}): ${message}`;
    }
  }
  if (expected.message !== undefined && !message.includes(expected.message)) {
    return `expected an error containing "${expected.message}" but got: ${message}`;
  }
  return null;
}
