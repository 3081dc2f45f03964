/**
 * Text forms of TIMESTAMP, DATE and TIME as ksqlDB's SqlTimeTypes and
 * PartialStringToTimestampParser read and write them (UTC, ISO-8601). Values are the engine's
 * runtime numbers: epoch millis, epoch days, millis of day.
 */
import { KsqlError } from '../errors.js';
import { formatDateRest, formatTimeRest, formatTimestampRest } from '../values/java-format.js';

const MILLIS_PER_DAY = 86_400_000;

const TIMESTAMP_TEXT =
  /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:T(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Partial ISO timestamps ('2018', '2018-01', '2018-01-01T10', ... '2018-01-01T10:00:00.001',
 * optionally followed by Z or an offset such as +0445): missing parts default to their start,
 * the zone to UTC. Throws with ksqlDB's wording on anything else.
 */
export function parseTimestampText(text: string): number {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m || (m[8] !== undefined && m[4] === undefined)) {
    throw new KsqlError(
      `Failed to parse timestamp '${text}': Text '${text}' could not be parsed. ` +
        `Timestamp format must be yyyy-mm-ddThh:mm:ss[.S]. Partials are also supported, for example '2020-05-26'`,
    );
  }
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number((m[7] + '00').slice(0, 3));
  checkFields(text, 'timestamp', year, month, day, hour, minute, second);
  return utcMillis(year, month, day, hour, minute, second, millis) - zoneOffsetMillis(m[8]);
}

/** Date.UTC without its mapping of years 0-99 to 1900-1999. */
function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millis);
  return d.getTime();
}

function zoneOffsetMillis(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

function checkFields(text: string, what: string, year: number, month: number, day: number, hour: number, minute: number, second: number): void {
  const maxDay = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const leapOk = month !== 2 || day <= 28 || isLeap(year);
  if (month < 1 || month > 12 || day < 1 || day > maxDay || !leapOk || hour > 23 || minute > 59 || second > 59) {
    throw new KsqlError(`Failed to parse ${what} '${text}': Text '${text}' could not be parsed`);
  }
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** yyyy-MM-dd'T'HH:mm:ss.SSS in UTC (KsqlConstants.DATE_TIME_PATTERN). */
export function formatTimestampText(millis: number): string {
  return formatTimestampRest(millis);
}

const DATE_TEXT = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/;

/** yyyy-MM-dd, with partials ('2020', '2020-05') completed to the first day. Returns epoch days. */
export function parseDateText(text: string): number {
  const m = DATE_TEXT.exec(text);
  if (!m) {
    throw new KsqlError(
      `Failed to parse date '${text}': Text '${text}' could not be parsed at index 0. ` +
        `Required format is: "yyyy-MM-dd", for example '2020-05-26'. Partials are also supported, for example '2020-05'`,
    );
  }
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  checkFields(text, 'date', year, month, day, 0, 0, 0);
  return Math.floor(utcMillis(year, month, day, 0, 0, 0, 0) / MILLIS_PER_DAY);
}

/** LocalDate.toString: yyyy-MM-dd. */
export function formatDateText(days: number): string {
  return formatDateRest(days);
}

const TIME_TEXT = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/** LocalTime.parse (HH:mm[:ss[.fraction]]). Returns millis of day. */
export function parseTimeText(text: string): number {
  const m = TIME_TEXT.exec(text);
  const hour = m ? Number(m[1]) : NaN;
  const minute = m ? Number(m[2]) : NaN;
  const second = m && m[3] !== undefined ? Number(m[3]) : 0;
  if (!m || !(hour <= 23) || !(minute <= 59) || !(second <= 59)) {
    throw new KsqlError(
      `Failed to parse time '${text}': Text '${text}' could not be parsed at index 0. ` +
        `Required format is: "HH:mm:ss.SSS", for example '00:00:00.001'. Partials are also supported, for example '00:00'`,
    );
  }
  const millis = m[4] === undefined ? 0 : Number((m[4] + '00').slice(0, 3));
  return ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

/** LocalTime.ofSecondOfDay(millis / 1000).toString(): HH:mm, or HH:mm:ss when seconds are set. */
export function formatTimeText(millisOfDay: number): string {
  return formatTimeRest(millisOfDay);
}

/** TIMESTAMP → DATE: the UTC calendar day. */
export function timestampToDate(millis: number): number {
  return Math.floor(millis / MILLIS_PER_DAY);
}

/** TIMESTAMP → TIME: millis since UTC midnight. */
export function timestampToTime(millis: number): number {
  return ((millis % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY;
}

export function dateToTimestamp(days: number): number {
  return days * MILLIS_PER_DAY;
}
