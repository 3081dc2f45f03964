/**
 * WITH (WINDOW_TYPE=..., WINDOW_SIZE='<n> <unit>') of a source over a windowed topic, parsed
 * as ksqlDB's CreateSourceProperties / DurationParser do.
 */
import { KsqlError, KsqlStatementError } from '../errors.js';
import type { Properties } from '../parser/ast.js';
import type { WindowInfo, WindowType } from '../types.js';
import { stringProp } from './with-properties.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  MILLISECOND: 1,
  MILLISECONDS: 1,
  SECOND: 1000,
  SECONDS: 1000,
  MINUTE: 60_000,
  MINUTES: 60_000,
  HOUR: 3_600_000,
  HOURS: 3_600_000,
  DAY: 86_400_000,
  DAYS: 86_400_000,
};

function invalidSize(reason: string): KsqlStatementError {
  return new KsqlStatementError(`Configuration WINDOW_SIZE is invalid: ${reason}`, { category: 'parse' });
}

export function parseDuration(text: string): number {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 2 || !/^\d+$/.test(parts[0]!)) {
    throw invalidSize(`Invalid duration: '${text}'. Expected format: '<number> <unit>', e.g. '10 SECONDS'`);
  }
  const unit = parts[1]!.toUpperCase();
  const ms = UNIT_MS[unit];
  if (ms === undefined) throw invalidSize(`Invalid duration: '${text}'. Unknown time unit: '${unit}'`);
  return Number(parts[0]) * ms;
}

export function windowFromProperties(props: Properties): WindowInfo | undefined {
  const typeText = stringProp(props, 'WINDOW_TYPE');
  if (typeText === undefined) {
    if (props.WINDOW_SIZE !== undefined) throw new KsqlError("'WINDOW_SIZE' should not be set unless 'WINDOW_TYPE' is set.");
    return undefined;
  }
  const type = typeText.trim().toUpperCase();
  if (type !== 'TUMBLING' && type !== 'HOPPING' && type !== 'SESSION') {
    throw new KsqlError(`Invalid value ${typeText} for property WINDOW_TYPE: String must be one of: SESSION, HOPPING, TUMBLING`);
  }
  const sizeText = stringProp(props, 'WINDOW_SIZE');
  if (type === 'SESSION') {
    if (sizeText !== undefined) throw new KsqlError("'WINDOW_SIZE' should not be set for SESSION windows.");
    return { type: 'SESSION' };
  }
  if (sizeText === undefined) throw new KsqlError(`${type} windows require 'WINDOW_SIZE' to be set in the WITH clause.`);
  return { type: type as WindowType, sizeMs: parseDuration(sizeText) };
}
