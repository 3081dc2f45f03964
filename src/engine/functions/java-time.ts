/**
 * java.time for the date/time functions: DateTimeFormatter patterns (compiled once and cached),
 * zone ids including Java's ZoneId.SHORT_IDS aliases (PST, EST, ...), and Java's short zone names
 * for the `z` pattern letter (PDT, BST, CET), which the CLDR data behind js-joda spells
 * differently ("PT", "GMT+1").
 *
 * Parsing follows ksqlDB's parsers: case-insensitive, missing fields default to 1970-01-01
 * 00:00, and the zone argument applies when the text carries no zone or offset.
 */
import {
  ChronoField,
  DateTimeFormatterBuilder,
  DateTimeParseException,
  Instant,
  LocalDate,
  LocalTime,
  ZoneId,
  ZoneOffset,
  ZonedDateTime,
  LocalDateTime,
  TemporalQueries,
  type DateTimeFormatter,
  type TemporalAccessor,
} from '@js-joda/core';
import '@js-joda/timezone';
import '@js-joda/locale_en-us';
import { Locale } from '@js-joda/locale';

export class JavaTimeError extends Error {}

/** java.time.ZoneId.SHORT_IDS. */
const SHORT_IDS: Record<string, string> = {
  ACT: 'Australia/Darwin',
  AET: 'Australia/Sydney',
  AGT: 'America/Argentina/Buenos_Aires',
  ART: 'Africa/Cairo',
  AST: 'America/Anchorage',
  BET: 'America/Sao_Paulo',
  BST: 'Asia/Dhaka',
  CAT: 'Africa/Harare',
  CNT: 'America/St_Johns',
  CST: 'America/Chicago',
  CTT: 'Asia/Shanghai',
  EAT: 'Africa/Addis_Ababa',
  ECT: 'Europe/Paris',
  IET: 'America/Indiana/Indianapolis',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  MIT: 'Pacific/Apia',
  NET: 'Asia/Yerevan',
  NST: 'Pacific/Auckland',
  PLT: 'Asia/Karachi',
  PNT: 'America/Phoenix',
  PRT: 'America/Puerto_Rico',
  PST: 'America/Los_Angeles',
  SST: 'Pacific/Guadalcanal',
  VST: 'Asia/Ho_Chi_Minh',
  EST: '-05:00',
  MST: '-07:00',
  HST: '-10:00',
};

const zoneCache = new Map<string, ZoneId>();

/** ZoneId.of(id, SHORT_IDS). Throws JavaTimeError for unknown ids. */
export function zoneOf(id: string): ZoneId {
  const hit = zoneCache.get(id);
  if (hit) return hit;
  let zone: ZoneId;
  try {
    zone = ZoneId.of(SHORT_IDS[id] ?? id);
  } catch {
    throw new JavaTimeError(`Unknown time-zone ID: ${id}`);
  }
  zoneCache.set(id, zone);
  return zone;
}

export const UTC: ZoneId = ZoneOffset.UTC;

/** Java's (COMPAT provider) short names: [standard, daylight]. */
const JAVA_SHORT_NAMES: Record<string, readonly [string, string]> = {};
function names(std: string, dst: string, zones: string): void {
  for (const z of zones.split(' ')) JAVA_SHORT_NAMES[z] = [std, dst];
}
names('PST', 'PDT', 'America/Los_Angeles US/Pacific PST8PDT America/Vancouver America/Tijuana');
names('MST', 'MDT', 'America/Denver US/Mountain MST7MDT America/Edmonton America/Boise America/Phoenix US/Arizona');
names('CST', 'CDT', 'America/Chicago US/Central CST6CDT America/Winnipeg America/Mexico_City Asia/Shanghai Asia/Taipei PRC');
names('EST', 'EDT', 'America/New_York US/Eastern EST5EDT America/Toronto America/Detroit America/Indiana/Indianapolis');
names('AKST', 'AKDT', 'America/Anchorage US/Alaska');
names('HST', 'HDT', 'Pacific/Honolulu US/Hawaii');
names('AST', 'ADT', 'America/Halifax America/Puerto_Rico');
names('NST', 'NDT', 'America/St_Johns');
names('BRT', 'BRST', 'America/Sao_Paulo');
names('ART', 'ARST', 'America/Argentina/Buenos_Aires');
names('GMT', 'BST', 'Europe/London GB');
names('GMT', 'IST', 'Europe/Dublin');
names('WET', 'WEST', 'Europe/Lisbon Atlantic/Canary');
names(
  'CET',
  'CEST',
  'Europe/Paris Europe/Berlin Europe/Madrid Europe/Rome Europe/Amsterdam Europe/Brussels Europe/Vienna Europe/Zurich Europe/Stockholm Europe/Oslo Europe/Copenhagen Europe/Prague Europe/Warsaw Europe/Budapest Europe/Belgrade Europe/Luxembourg CET',
);
names('EET', 'EEST', 'Europe/Athens Europe/Helsinki Europe/Kiev Europe/Kyiv Europe/Bucharest Europe/Sofia Europe/Riga Europe/Vilnius Europe/Tallinn Africa/Cairo EET');
names('MSK', 'MSK', 'Europe/Moscow');
names('JST', 'JDT', 'Asia/Tokyo Japan');
names('KST', 'KDT', 'Asia/Seoul');
names('HKT', 'HKST', 'Asia/Hong_Kong');
names('IST', 'IDT', 'Asia/Kolkata Asia/Calcutta Asia/Jerusalem');
names('SGT', 'SGT', 'Asia/Singapore');
names('GST', 'GST', 'Asia/Dubai');
names('PKT', 'PKST', 'Asia/Karachi');
names('AEST', 'AEDT', 'Australia/Sydney Australia/Melbourne Australia/Brisbane Australia/Canberra Australia/Hobart');
names('ACST', 'ACDT', 'Australia/Adelaide Australia/Darwin');
names('AWST', 'AWDT', 'Australia/Perth');
names('NZST', 'NZDT', 'Pacific/Auckland NZ');
names('UTC', 'UTC', 'UTC Etc/UTC UCT Etc/UCT Universal Zulu');
names('GMT', 'GMT', 'GMT Etc/GMT Greenwich');

/** Java's long names (zzzz) for the regions of JAVA_SHORT_NAMES: [standard, daylight]. */
const JAVA_LONG_NAMES: Record<string, readonly [string, string]> = {
  PST: ['Pacific Standard Time', 'Pacific Daylight Time'],
  MST: ['Mountain Standard Time', 'Mountain Daylight Time'],
  CST: ['Central Standard Time', 'Central Daylight Time'],
  EST: ['Eastern Standard Time', 'Eastern Daylight Time'],
  AKST: ['Alaska Standard Time', 'Alaska Daylight Time'],
  HST: ['Hawaii-Aleutian Standard Time', 'Hawaii-Aleutian Daylight Time'],
  AST: ['Atlantic Standard Time', 'Atlantic Daylight Time'],
  CET: ['Central European Standard Time', 'Central European Summer Time'],
  EET: ['Eastern European Standard Time', 'Eastern European Summer Time'],
  WET: ['Western European Standard Time', 'Western European Summer Time'],
  JST: ['Japan Standard Time', 'Japan Daylight Time'],
  AEST: ['Australian Eastern Standard Time', 'Australian Eastern Daylight Time'],
  UTC: ['Coordinated Universal Time', 'Coordinated Universal Time'],
};

/** Text Java prints for pattern letters z..zzz (short zone name) or zzzz (long) at an instant. */
function javaZoneName(zdt: ZonedDateTime, long: boolean): string {
  const zone = zdt.zone();
  if (zone instanceof ZoneOffset) return zone.id();
  const known = JAVA_SHORT_NAMES[zone.id()];
  const daylight = known !== undefined && isDaylightTime(zdt);
  if (known && !long) return daylight ? known[1] : known[0];
  const longNames = known && (zone.id() === 'Europe/London' ? (['Greenwich Mean Time', 'British Summer Time'] as const) : JAVA_LONG_NAMES[known[0]]);
  if (longNames) return daylight ? longNames[1] : longNames[0];
  // The parser form of the pattern still holds the real zone-name letters.
  return zdt.format(compile(long ? 'zzzz' : 'zzz').parser);
}

/**
 * Whether daylight time is in force. js-joda's rules lack isDaylightSavings, so compare with the
 * smaller of the year's January and July offsets (daylight time always adds to the offset).
 */
function isDaylightTime(zdt: ZonedDateTime): boolean {
  const rules = zdt.zone().rules();
  const year = zdt.year();
  const jan = rules.offset(LocalDateTime.of(year, 1, 1, 0, 0).toInstant(ZoneOffset.UTC)).totalSeconds();
  const jul = rules.offset(LocalDateTime.of(year, 7, 1, 0, 0).toInstant(ZoneOffset.UTC)).totalSeconds();
  return zdt.offset().totalSeconds() > Math.min(jan, jul);
}

interface CompiledPattern {
  /** Formatter for parsing (case-insensitive, defaults for missing fields). */
  readonly parser: DateTimeFormatter;
  /** Formatter for printing, with `z` runs replaced by placeholders filled in afterwards. */
  readonly formatter: DateTimeFormatter;
  readonly hasZoneName: boolean;
}

const ZONE_PLACEHOLDER = '\u0000';
const LONG_ZONE_PLACEHOLDER = '\u0001';
const patternCache = new Map<string, CompiledPattern>();
const PATTERN_CACHE_LIMIT = 1000;

function withUsLocale(f: DateTimeFormatter): DateTimeFormatter {
  return (f as unknown as { withLocale(l: Locale): DateTimeFormatter }).withLocale(Locale.US);
}

/** Replaces unquoted runs of 1-4 `z` with a quoted placeholder. */
function replaceShortZoneNames(pattern: string): { pattern: string; replaced: boolean } {
  let out = '';
  let inQuote = false;
  let replaced = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "'") {
      inQuote = !inQuote;
      out += c;
      continue;
    }
    if (!inQuote && c === 'z') {
      let j = i;
      while (pattern[j] === 'z') j++;
      const run = j - i;
      if (run <= 4) {
        out += `'${run === 4 ? LONG_ZONE_PLACEHOLDER : ZONE_PLACEHOLDER}'`;
        replaced = true;
      } else {
        out += pattern.slice(i, j);
      }
      i = j - 1;
      continue;
    }
    out += c;
  }
  return { pattern: out, replaced };
}

/** Compiles a Java DateTimeFormatter pattern (cached). Throws JavaTimeError on a bad pattern. */
export function compile(pattern: string): CompiledPattern {
  const hit = patternCache.get(pattern);
  if (hit) return hit;
  let compiled: CompiledPattern;
  try {
    const parser = withUsLocale(
      new DateTimeFormatterBuilder()
        .parseCaseInsensitive()
        .appendPattern(pattern)
        .toFormatter(),
    );
    const printing = replaceShortZoneNames(pattern);
    const formatter = withUsLocale(new DateTimeFormatterBuilder().appendPattern(printing.pattern).toFormatter());
    compiled = { parser, formatter, hasZoneName: printing.replaced };
  } catch (e) {
    throw new JavaTimeError(`Unknown pattern letter or invalid pattern: ${pattern} (${(e as Error).message})`);
  }
  if (patternCache.size >= PATTERN_CACHE_LIMIT) patternCache.delete(patternCache.keys().next().value!);
  patternCache.set(pattern, compiled);
  return compiled;
}

function wrap<R>(what: () => R): R {
  try {
    return what();
  } catch (e) {
    if (e instanceof JavaTimeError) throw e;
    throw new JavaTimeError((e as Error).message);
  }
}

function formatZoned(zdt: ZonedDateTime, pattern: string): string {
  const compiled = compile(pattern);
  const text = zdt.format(compiled.formatter);
  if (!compiled.hasZoneName) return text;
  return text
    .split(ZONE_PLACEHOLDER)
    .join(javaZoneName(zdt, false))
    .split(LONG_ZONE_PLACEHOLDER)
    .join(javaZoneName(zdt, true));
}

/** FORMAT_TIMESTAMP / TIMESTAMPTOSTRING: epoch millis in a zone. */
export function formatTimestamp(epochMillis: number, pattern: string, zone: ZoneId = UTC): string {
  return wrap(() => formatZoned(ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone), pattern));
}

/** FORMAT_DATE: epoch days. */
export function formatDate(epochDays: number, pattern: string): string {
  return wrap(() => LocalDate.ofEpochDay(epochDays).format(compile(pattern).formatter));
}

/** FORMAT_TIME: millis of day. */
export function formatTime(millisOfDay: number, pattern: string): string {
  return wrap(() => LocalTime.ofNanoOfDay(millisOfDay * 1_000_000).format(compile(pattern).formatter));
}

function field(parsed: TemporalAccessor, f: ChronoField, dflt: number): number {
  return parsed.isSupported(f) ? parsed.get(f) : dflt;
}

/** Date and time fields of a parse result, with ksqlDB's defaults for missing ones. */
function localDateTimeOf(parsed: TemporalAccessor): LocalDateTime {
  const date = parsed.query(TemporalQueries.localDate());
  const time = parsed.query(TemporalQueries.localTime());
  const d =
    date ??
    LocalDate.of(
      parsed.isSupported(ChronoField.YEAR) ? parsed.get(ChronoField.YEAR) : field(parsed, ChronoField.YEAR_OF_ERA, 1970),
      field(parsed, ChronoField.MONTH_OF_YEAR, 1),
      field(parsed, ChronoField.DAY_OF_MONTH, 1),
    );
  const t =
    time ??
    LocalTime.of(
      parsed.isSupported(ChronoField.HOUR_OF_DAY)
        ? parsed.get(ChronoField.HOUR_OF_DAY)
        : parsed.isSupported(ChronoField.HOUR_OF_AMPM)
          ? parsed.get(ChronoField.HOUR_OF_AMPM) + 12 * field(parsed, ChronoField.AMPM_OF_DAY, 0)
          : 0,
      field(parsed, ChronoField.MINUTE_OF_HOUR, 0),
      field(parsed, ChronoField.SECOND_OF_MINUTE, 0),
      field(parsed, ChronoField.NANO_OF_SECOND, 0),
    );
  return LocalDateTime.of(d, t);
}

/** PARSE_TIMESTAMP / STRINGTOTIMESTAMP: epoch millis; the text's own zone or offset wins over `zone`. */
export function parseTimestamp(text: string, pattern: string, zone: ZoneId = UTC): number {
  return wrap(() => {
    const parsed = compile(pattern).parser.parse(text);
    const local = localDateTimeOf(parsed);
    const parsedZone = parsed.query(TemporalQueries.zone());
    return ZonedDateTime.of(local, parsedZone ?? zone).toInstant().toEpochMilli();
  });
}

const TIME_FIELDS = [
  ChronoField.HOUR_OF_DAY,
  ChronoField.HOUR_OF_AMPM,
  ChronoField.CLOCK_HOUR_OF_DAY,
  ChronoField.CLOCK_HOUR_OF_AMPM,
  ChronoField.MINUTE_OF_HOUR,
  ChronoField.SECOND_OF_MINUTE,
  ChronoField.NANO_OF_SECOND,
  ChronoField.AMPM_OF_DAY,
];

/**
 * Parses the longest prefix the pattern matches: ksqlDB's PARSE_DATE accepts trailing text
 * (null.json: PARSE_DATE('2003-12-24-01-01', 'yyyy-MM-dd') is 2003-12-24).
 */
function parsePrefix(parser: DateTimeFormatter, text: string): TemporalAccessor {
  try {
    return parser.parse(text);
  } catch (e) {
    if (e instanceof DateTimeParseException && /unparsed text found/i.test(e.message) && e.errorIndex() > 0) {
      return parser.parse(text.slice(0, e.errorIndex()));
    }
    throw e;
  }
}

/** PARSE_DATE / STRINGTODATE: epoch days. Patterns with time fields are rejected, as in ksqlDB. */
export function parseDate(text: string, pattern: string): number {
  return wrap(() => {
    const parsed = parsePrefix(compile(pattern).parser, text);
    if (TIME_FIELDS.some((f) => parsed.isSupported(f))) throw new JavaTimeError('Date format contains time field.');
    return localDateTimeOf(parsed).toLocalDate().toEpochDay();
  });
}

/** PARSE_TIME: millis of day. */
export function parseTime(text: string, pattern: string): number {
  return wrap(() => Math.floor(localDateTimeOf(compile(pattern).parser.parse(text)).toLocalTime().toNanoOfDay() / 1_000_000));
}

/** Offset of `zone` at an instant, in millis (TimeZone.getOffset). */
export function offsetMillis(zone: ZoneId, epochMillis: number): number {
  return zone.rules().offset(Instant.ofEpochMilli(epochMillis)).totalSeconds() * 1000;
}
