import { describe, expect, it } from 'vitest';
import { INTERVAL_UNIT_ARG_TYPE } from '../../src/engine/functions/registry.js';
import { formatTimestamp, parseTimestamp, zoneOf } from '../../src/engine/functions/java-time.js';
import { SqlTypes as S } from '../../src/engine/types.js';
import { call } from './helpers.js';

const UNIT = INTERVAL_UNIT_ARG_TYPE;

describe('formatting timestamps (timestamp-to-string.json)', () => {
  it('formats with a zone, using Java short zone names', () => {
    expect(call('TIMESTAMPTOSTRING', [S.BIGINT, S.STRING, S.STRING], [1526075913000n, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles'])).toBe(
      '2018-05-11 14:58:33 PDT',
    );
    expect(call('TIMESTAMPTOSTRING', [S.BIGINT, S.STRING, S.STRING], [1526075913000n, 'yyyy-MM-dd HH:mm:ss zzz', 'Europe/London'])).toBe(
      '2018-05-11 22:58:33 BST',
    );
    expect(call('FORMAT_TIMESTAMP', [S.TIMESTAMP, S.STRING, S.STRING], [1526075913000, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles'])).toBe(
      '2018-05-11 14:58:33 PDT',
    );
    expect(formatTimestamp(0, 'z', zoneOf('America/Los_Angeles'))).toBe('PST');
    expect(formatTimestamp(1526075913000, 'zzzz', zoneOf('America/New_York'))).toBe('Eastern Daylight Time');
    expect(formatTimestamp(0, "zzzz 'z'", zoneOf('Europe/Paris'))).toBe('Central European Standard Time z');
    expect(formatTimestamp(0, 'z', zoneOf('+05:30'))).toBe('+05:30');
  });

  it('defaults to UTC', () => {
    expect(call('FORMAT_TIMESTAMP', [S.TIMESTAMP, S.STRING], [1526075913000, 'yyyy-MM-dd HH:mm:ss'])).toBe('2018-05-11 21:58:33');
    expect(call('FORMAT_TIMESTAMP', [S.TIMESTAMP, S.STRING], [null, 'yyyy-MM-dd HH:mm:ss'])).toBeNull();
  });

  it('supports text fields, quotes and fractions', () => {
    expect(formatTimestamp(1526075913123, "EEE, d MMM yyyy 'at' hh:mm:ss.SSS a")).toBe('Fri, 11 May 2018 at 09:58:33.123 PM');
    expect(formatTimestamp(1526075913000, "yyyy-MM-dd'T'HH:mm:ssXXX", zoneOf('+0530'))).toBe('2018-05-12T03:28:33+05:30');
  });

  it('fails on unknown zones and bad patterns', () => {
    expect(() => call('TIMESTAMPTOSTRING', [S.BIGINT, S.STRING, S.STRING], [0n, 'yyyy', 'Nowhere/City'])).toThrow('Unknown time-zone ID');
    expect(() => call('FORMAT_TIMESTAMP', [S.TIMESTAMP, S.STRING], [0, 'yyyy-MM-dd bbb'])).toThrow();
  });
});

describe('parsing timestamps (stringtimestamp.json)', () => {
  it('parses offsets in the text', () => {
    const p = "yyyy-MM-dd'T'HH:mm:ssX";
    expect(call('STRINGTOTIMESTAMP', [S.STRING, S.STRING], ['2018-05-11T21:58:33Z', p])).toBe(1526075913000n);
    expect(call('STRINGTOTIMESTAMP', [S.STRING, S.STRING], ['2020-05-11T21:58:33z', p])).toBe(1589234313000n);
  });

  it('uses UTC or the given zone when the text has none', () => {
    expect(call('PARSE_TIMESTAMP', [S.STRING, S.STRING], ['2019-05-11T21:58:33', "yyyy-MM-dd'T'HH:mm:ss"])).toBe(1557611913000);
    expect(call('PARSE_TIMESTAMP', [S.STRING, S.STRING, S.STRING], ['2019-05-11T21:58:33', "yyyy-MM-dd'T'HH:mm:ss", 'America/Los_Angeles'])).toBe(
      1557611913000 + 7 * 3600_000,
    );
  });

  it('parses zone names such as PST with the zone rules of the region', () => {
    const p = "yyyy-MM-dd'T'HH:mm:ss zzz";
    expect(call('PARSE_TIMESTAMP', [S.STRING, S.STRING], ['2018-05-11T21:58:33 PST', p])).toBe(1526101113000);
    expect(call('PARSE_TIMESTAMP', [S.STRING, S.STRING], ['2020-05-11T21:58:33 PST', p])).toBe(1589259513000);
  });

  it('defaults missing fields to the start of 1970-01-01', () => {
    expect(parseTimestamp('2021', 'yyyy')).toBe(Date.UTC(2021, 0, 1));
    expect(parseTimestamp('10:15', 'HH:mm')).toBe(10 * 3600_000 + 15 * 60_000);
  });

  it('fails on text that does not match', () => {
    expect(() => call('PARSE_TIMESTAMP', [S.STRING, S.STRING], ['not a date', 'yyyy-MM-dd'])).toThrow();
  });
});

describe('dates and times (format-date.json, parse-date.json, stringdate.json)', () => {
  const rows: [string, string, number][] = [
    ['2018-05-11Lit', "yyyy-MM-dd'Lit'", 17662],
    ['11/05/2019', 'dd/MM/yyyy', 18027],
    ['01-Jan-2022', 'dd-MMM-yyyy', 18993],
    ['01-01-1970', 'dd-MM-yyyy', 0],
    ['01-JAN-2022', 'dd-MMM-yyyy', 18993],
    ['JAN-2022', 'MMM-yyyy', 18993],
  ];
  it.each(rows)('PARSE_DATE(%s, %s)', (text, pattern, days) => {
    expect(call('PARSE_DATE', [S.STRING, S.STRING], [text, pattern])).toBe(days);
    expect(call('STRINGTODATE', [S.STRING, S.STRING], [text, pattern])).toBe(days);
  });

  it('PARSE_DATE ignores trailing text and rejects time fields (null.json)', () => {
    expect(call('PARSE_DATE', [S.STRING, S.STRING], ['2003-12-24-01-01', 'yyyy-MM-dd'])).toBe(12410);
    expect(call('PARSE_DATE', [S.STRING, S.STRING], ['2004-01-01', 'yyyy-MM-dd'])).toBe(12418);
    expect(() => call('PARSE_DATE', [S.STRING, S.STRING], ['2004', 'yyyy-MM-dd'])).toThrow();
    expect(() => call('PARSE_DATE', [S.STRING, S.STRING], ['2004-01-01 10', 'yyyy-MM-dd HH'])).toThrow('time field');
  });

  it('FORMAT_DATE and DATETOSTRING', () => {
    expect(call('FORMAT_DATE', [S.DATE, S.STRING], [17662, 'yyyy-MM-dd'])).toBe('2018-05-11');
    expect(call('FORMAT_DATE', [S.DATE, S.STRING], [18993, 'dd-MMM-yyyy'])).toBe('01-Jan-2022');
    expect(call('FORMAT_DATE', [S.DATE, S.STRING], [-1, "dd-MM-yyyy'Sophia'"])).toBe('31-12-1969Sophia');
    expect(call('DATETOSTRING', [S.INTEGER, S.STRING], [18027, 'dd/MM/yyyy'])).toBe('11/05/2019');
    expect(() => call('FORMAT_DATE', [S.DATE, S.STRING], [0, 'HH:mm'])).toThrow();
  });

  it('FORMAT_TIME and PARSE_TIME', () => {
    expect(call('FORMAT_TIME', [S.TIME, S.STRING], [33360000, 'HH:mm:ss'])).toBe('09:16:00');
    expect(call('PARSE_TIME', [S.STRING, S.STRING], ['09:16:00.5', 'HH:mm:ss.S'])).toBe(33360500);
  });
});

describe('conversions and arithmetic', () => {
  it('UNIX_TIMESTAMP, UNIX_DATE, FROM_UNIXTIME, FROM_DAYS', () => {
    expect(call('UNIX_TIMESTAMP', [], [], { now: 1589234313000 })).toBe(1589234313000n);
    expect(call('UNIX_TIMESTAMP', [S.TIMESTAMP], [100])).toBe(100n);
    expect(call('UNIX_DATE', [], [], { now: 86_400_000 * 3 + 5 })).toBe(3);
    expect(call('FROM_UNIXTIME', [S.BIGINT], [1589234313000n])).toBe(1589234313000);
    expect(call('FROM_DAYS', [S.INTEGER], [19000])).toBe(19000);
  });

  it('CONVERT_TZ (convert-tz.json)', () => {
    const t = [S.TIMESTAMP, S.STRING, S.STRING];
    expect(call('CONVERT_TZ', t, [100, '+0200', '+0500'])).toBe(10800100);
    expect(call('CONVERT_TZ', t, [1589234313000, '+0200', '+0500'])).toBe(1589245113000);
    expect(call('CONVERT_TZ', t, [100, 'America/Los_Angeles', 'America/New_York'])).toBe(10800100);
    expect(call('CONVERT_TZ', t, [1589234313000, 'America/Los_Angeles', 'America/New_York'])).toBe(1589245113000);
  });

  it('DATEADD / DATESUB (dateadd.json)', () => {
    expect(call('DATEADD', [UNIT, S.INTEGER, S.DATE], ['DAYS', 10, 10])).toBe(20);
    expect(call('DATEADD', [UNIT, S.INTEGER, S.DATE], ['DAYS', -5, 2])).toBe(-3);
    expect(call('DATEADD', [UNIT, S.INTEGER, S.DATE], ['MILLISECONDS', 5, null])).toBeNull();
    expect(call('DATESUB', [UNIT, S.INTEGER, S.DATE], ['DAYS', 5, 10])).toBe(5);
  });

  it('TIMEADD / TIMESUB wrap around midnight (timeadd.json, timesub.json)', () => {
    expect(call('TIMEADD', [UNIT, S.INTEGER, S.TIME], ['MILLISECONDS', 10, 86399995])).toBe(5);
    expect(call('TIMEADD', [UNIT, S.INTEGER, S.TIME], ['MILLISECONDS', -5, 2])).toBe(86399997);
    expect(call('TIMESUB', [UNIT, S.INTEGER, S.TIME], ['MILLISECONDS', 10, 5])).toBe(86399995);
    expect(call('TIMESUB', [UNIT, S.INTEGER, S.TIME], ['MILLISECONDS', -5, 86399997])).toBe(2);
    expect(call('TIMEADD', [UNIT, S.INTEGER, S.TIME], ['HOURS', 1, 0])).toBe(3600_000);
  });

  it('TIMESTAMPADD / TIMESTAMPSUB (timestampadd.json)', () => {
    expect(call('TIMESTAMPADD', [UNIT, S.INTEGER, S.TIMESTAMP], ['MILLISECONDS', -5, 2])).toBe(-3);
    expect(call('TIMESTAMPADD', [UNIT, S.INTEGER, S.TIMESTAMP], ['SECONDS', 2, 0])).toBe(2000);
    expect(call('TIMESTAMPSUB', [UNIT, S.INTEGER, S.TIMESTAMP], ['MINUTES', 1, 60_000])).toBe(0);
    expect(call('TIMESTAMPADD', [UNIT, S.INTEGER, S.TIMESTAMP], ['MILLISECONDS', null, 5])).toBeNull();
  });
});
