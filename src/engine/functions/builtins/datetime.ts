/** Date and time functions: conversions, formatting and parsing with Java patterns, arithmetic. */
import type { Value } from '../../values/value.js';
import { KsqlFunctionError } from '../../errors.js';
import {
  BIGINT,
  DATE,
  INTEGER,
  INTERVAL_UNIT,
  STRING,
  TIME,
  TIMESTAMP,
  defineFunction,
  sig,
  type LibraryFunctionDefinition,
} from '../define.js';
import {
  JavaTimeError,
  formatDate,
  formatTime,
  formatTimestamp,
  offsetMillis,
  parseDate,
  parseTime,
  parseTimestamp,
  zoneOf,
} from '../java-time.js';
import type { FunctionContext } from '../types.js';

const MS_PER_DAY = 86_400_000;

const num = (v: Value | undefined): number => (typeof v === 'bigint' ? Number(v) : (v as number));
const str = (v: Value | undefined): string => v as string;

/** Runs a java-time operation, reporting failures the way the UDF would (KsqlFunctionException). */
function timeOp<R>(fn: string, what: () => R): R {
  try {
    return what();
  } catch (e) {
    if (e instanceof JavaTimeError) throw new KsqlFunctionError(`Failed to ${fn}: ${e.message}`, e);
    throw e;
  }
}

/** java.util.concurrent.TimeUnit#toMillis for the unit keywords ksqlDB accepts. */
function unitMillis(unit: string, amount: number): number {
  switch (unit.toUpperCase()) {
    case 'DAYS':
      return amount * MS_PER_DAY;
    case 'HOURS':
      return amount * 3_600_000;
    case 'MINUTES':
      return amount * 60_000;
    case 'SECONDS':
      return amount * 1000;
    case 'MILLISECONDS':
      return amount;
    case 'MICROSECONDS':
      return Math.trunc(amount / 1000);
    case 'NANOSECONDS':
      return Math.trunc(amount / 1_000_000);
    default:
      throw new KsqlFunctionError(`Unknown time unit: ${unit}`);
  }
}

const floorMod = (a: number, n: number): number => ((a % n) + n) % n;

function dateShift(sign: 1 | -1) {
  return ([unit, interval, date]: Value[]): Value => {
    const ms = num(date) * MS_PER_DAY + sign * unitMillis(str(unit), num(interval));
    return Math.trunc(ms / MS_PER_DAY);
  };
}

function timeShift(sign: 1 | -1) {
  return ([unit, interval, time]: Value[]): Value => floorMod(num(time) + sign * unitMillis(str(unit), num(interval)), MS_PER_DAY);
}

function timestampShift(sign: 1 | -1) {
  return ([unit, interval, ts]: Value[]): Value => num(ts) + sign * unitMillis(str(unit), num(interval));
}

const now = (ctx: FunctionContext): number => ctx.now();

const formatTs = (fn: string) => ([ts, pattern, zone]: Value[]): Value =>
  timeOp(fn, () => formatTimestamp(num(ts), str(pattern), zone === undefined ? undefined : zoneOf(str(zone))));

const parseTs = (fn: string) => ([text, pattern, zone]: Value[]): Value =>
  timeOp(fn, () => parseTimestamp(str(text), str(pattern), zone === undefined ? undefined : zoneOf(str(zone))));

export const DATETIME_FUNCTIONS: readonly LibraryFunctionDefinition[] = [
  defineFunction('UNIX_TIMESTAMP', 'DATE / TIME', 'Gets the Unix timestamp in milliseconds, represented as a BIGINT.', [
    sig([], BIGINT, (_args, ctx) => BigInt(now(ctx))),
    sig([TIMESTAMP], BIGINT, ([ts]) => BigInt(num(ts)), { names: ['timestamp'] }),
  ]),
  defineFunction('UNIX_DATE', 'DATE / TIME', 'Gets an integer representing days since epoch.', [
    sig([], INTEGER, (_args, ctx) => Math.floor(now(ctx) / MS_PER_DAY)),
    sig([DATE], INTEGER, ([d]) => num(d), { names: ['date'] }),
  ]),
  defineFunction('FROM_UNIXTIME', 'DATE / TIME', 'Converts a BIGINT millisecond timestamp value into a TIMESTAMP value.', [
    sig([BIGINT], TIMESTAMP, ([ms]) => num(ms), { names: ['epochMilli'] }),
  ]),
  defineFunction('FROM_DAYS', 'DATE / TIME', 'Converts an INT number of days since epoch to a DATE value.', [
    sig([INTEGER], DATE, ([d]) => num(d), { names: ['days'] }),
  ]),
  defineFunction('TIMESTAMPTOSTRING', 'DATE / TIME', 'Converts a BIGINT millisecond timestamp value into the string representation of the timestamp in the given format. Single quotes in the timestamp format can be escaped with \'\', for example: \'yyyy-MM-dd\'\'T\'\'HH:mm:ssX\'. The system default time zone is used when no time zone is explicitly provided.', [
    sig([BIGINT, STRING], STRING, formatTs('format timestamp'), { names: ['epochMilli', 'formatPattern'] }),
    sig([BIGINT, STRING, STRING], STRING, formatTs('format timestamp'), { names: ['epochMilli', 'formatPattern', 'timeZone'] }),
  ]),
  defineFunction('FORMAT_TIMESTAMP', 'DATE / TIME', 'Converts a TIMESTAMP value into the string representation of the timestamp in the given format. Single quotes in the timestamp format can be escaped with \'\', for example: \'yyyy-MM-dd\'\'T\'\'HH:mm:ssX\'.', [
    sig([TIMESTAMP, STRING], STRING, formatTs('format timestamp'), { names: ['timestamp', 'formatPattern'] }),
    sig([TIMESTAMP, STRING, STRING], STRING, formatTs('format timestamp'), { names: ['timestamp', 'formatPattern', 'timeZone'] }),
  ]),
  defineFunction('STRINGTOTIMESTAMP', 'DATE / TIME', 'Converts a string value in the given format into the BIGINT value that represents the millisecond timestamp. Single quotes in the timestamp format can be escaped with \'\', for example: \'yyyy-MM-dd\'\'T\'\'HH:mm:ssX\'.', [
    sig([STRING, STRING], BIGINT, (args) => BigInt(parseTs('parse timestamp')(args) as number), { names: ['formattedTimestamp', 'formatPattern'] }),
    sig([STRING, STRING, STRING], BIGINT, (args) => BigInt(parseTs('parse timestamp')(args) as number), {
      names: ['formattedTimestamp', 'formatPattern', 'timeZone'],
    }),
  ]),
  defineFunction('PARSE_TIMESTAMP', 'DATE / TIME', 'Converts a string value in the given format into the TIMESTAMP value. Single quotes in the timestamp format can be escaped with \'\', for example: \'yyyy-MM-dd\'\'T\'\'HH:mm:ssX\'.', [
    sig([STRING, STRING], TIMESTAMP, parseTs('parse timestamp'), { names: ['formattedTimestamp', 'formatPattern'] }),
    sig([STRING, STRING, STRING], TIMESTAMP, parseTs('parse timestamp'), { names: ['formattedTimestamp', 'formatPattern', 'timeZone'] }),
  ]),
  defineFunction('FORMAT_DATE', 'DATE / TIME', 'Converts a DATE value to a string using the given format pattern. The format pattern should be in the format expected by java.time.format.DateTimeFormatter.', [
    sig([DATE, STRING], STRING, ([d, p]) => timeOp('format date', () => formatDate(num(d), str(p))), { names: ['date', 'formatPattern'] }),
  ]),
  defineFunction('PARSE_DATE', 'DATE / TIME', 'Converts a string representation of a date in the given format into a DATE value. The format pattern should be in the format expected by java.time.format.DateTimeFormatter', [
    sig([STRING, STRING], DATE, ([s, p]) => timeOp('parse date', () => parseDate(str(s), str(p))), { names: ['formattedDate', 'formatPattern'] }),
  ], { declaredName: 'parse_date' }),
  defineFunction('DATETOSTRING', 'DATE / TIME', 'Converts an integer representation of a date into a string representing the date in the given format. Single quotes in the timestamp format can be escaped with \'\', for example: \'yyyy-MM-dd\'\'T\'\'\'. The integer represents days since epoch matching the encoding used by Kafka Connect dates.', [
    sig([INTEGER, STRING], STRING, ([d, p]) => timeOp('format date', () => formatDate(num(d), str(p))), { names: ['epochDays', 'formatPattern'] }),
  ]),
  defineFunction('STRINGTODATE', 'DATE / TIME', 'Converts a string representation of a date into an integer representing days since epoch using the given format pattern. Note this is the format Kafka Connect uses to represent dates with no time component. The format pattern should be in the format expected by java.time.format.DateTimeFormatter', [
    sig([STRING, STRING], INTEGER, ([s, p]) => timeOp('parse date', () => parseDate(str(s), str(p))), { names: ['formattedDate', 'formatPattern'] }),
  ]),
  defineFunction('FORMAT_TIME', 'DATE / TIME', 'Converts a TIME value into the string representation of the time in the given format. Single quotes in the time format can be escaped with two successive single quotes, \'\', for example: \'\'\'T\'\'HH:mm:ssX\'.', [
    sig([TIME, STRING], STRING, ([t, p]) => timeOp('format time', () => formatTime(num(t), str(p))), { names: ['time', 'formatPattern'] }),
  ]),
  defineFunction('PARSE_TIME', 'DATE / TIME', 'Converts a string value in the given format into a TIME value. Single quotes in the time format can be escaped with two successive single quotes, \'\', for example: \'\'\'T\'\'HH:mm:ssX\'.', [
    sig([STRING, STRING], TIME, ([s, p]) => timeOp('parse time', () => parseTime(str(s), str(p))), { names: ['formattedTime', 'formatPattern'] }),
  ]),
  defineFunction('CONVERT_TZ', 'DATE / TIME', 'Converts a TIMESTAMP value from one timezone to another.', [
    sig([TIMESTAMP, STRING, STRING], TIMESTAMP, ([ts, from, to]) =>
      timeOp('convert timezone', () => {
        const t = num(ts);
        return t + offsetMillis(zoneOf(str(to)), t) - offsetMillis(zoneOf(str(from)), t);
      }), { names: ['timestamp', 'fromTimeZone', 'toTimeZone'] }),
  ]),
  defineFunction('DATEADD', 'DATE / TIME', 'Adds a duration to a date', [
    sig([INTERVAL_UNIT, INTEGER, DATE], DATE, dateShift(1), { names: ['unit', 'interval', 'date'] }),
  ], { declaredName: 'dateadd' }),
  defineFunction('DATESUB', 'DATE / TIME', 'Subtracts a duration from a date', [
    sig([INTERVAL_UNIT, INTEGER, DATE], DATE, dateShift(-1), { names: ['unit', 'interval', 'date'] }),
  ], { declaredName: 'datesub' }),
  defineFunction('TIMEADD', 'DATE / TIME', 'Adds a duration to a time', [
    sig([INTERVAL_UNIT, INTEGER, TIME], TIME, timeShift(1), { names: ['unit', 'interval', 'time'] }),
  ], { declaredName: 'timeadd' }),
  defineFunction('TIMESUB', 'DATE / TIME', 'Subtracts a duration from a time', [
    sig([INTERVAL_UNIT, INTEGER, TIME], TIME, timeShift(-1), { names: ['unit', 'interval', 'time'] }),
  ], { declaredName: 'timesub' }),
  defineFunction('TIMESTAMPADD', 'DATE / TIME', 'Adds a duration to a timestamp', [
    sig([INTERVAL_UNIT, INTEGER, TIMESTAMP], TIMESTAMP, timestampShift(1), { names: ['unit', 'interval', 'timestamp'] }),
  ], { declaredName: 'timestampadd' }),
  defineFunction('TIMESTAMPSUB', 'DATE / TIME', 'Subtracts a duration from a timestamp', [
    sig([INTERVAL_UNIT, INTEGER, TIMESTAMP], TIMESTAMP, timestampShift(-1), { names: ['unit', 'interval', 'timestamp'] }),
  ], { declaredName: 'timestampsub' }),
];
