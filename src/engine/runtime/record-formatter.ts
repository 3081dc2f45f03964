/**
 * PRINT's record formatting (ksqlDB's RecordFormatter): the key and value formats are guessed by
 * trying every known deserializer on the bytes seen so far and keeping those that never failed;
 * each record is rendered with the first surviving one.
 */
import type { LogRecord } from '../../log/topic-log.js';
import { javaDoubleToString } from '../values/java-format.js';

interface NamedDeserializer {
  readonly name: string;
  /** Rendered text, or undefined when the bytes are not in this format. */
  readonly render: (bytes: Buffer) => string | undefined;
}

const REPLACEMENT_CHAR = '\uFFFD';

function utf8Text(bytes: Buffer): string | undefined {
  if (bytes.length === 0) return undefined;
  const text = bytes.toString('utf8');
  return text.includes(REPLACEMENT_CHAR) ? undefined : text;
}

const FORMATS: readonly NamedDeserializer[] = [
  {
    name: 'JSON',
    render: (bytes) => {
      const text = utf8Text(bytes);
      if (text === undefined) return undefined;
      try {
        JSON.parse(text);
        return text;
      } catch {
        return undefined;
      }
    },
  },
  { name: 'KAFKA_INT', render: (bytes) => (bytes.length === 4 ? String(bytes.readInt32BE(0)) : undefined) },
  { name: 'KAFKA_BIGINT', render: (bytes) => (bytes.length === 8 ? bytes.readBigInt64BE(0).toString() : undefined) },
  { name: 'KAFKA_DOUBLE', render: (bytes) => (bytes.length === 8 ? javaDoubleToString(bytes.readDoubleBE(0)) : undefined) },
  { name: 'KAFKA_STRING', render: utf8Text },
];

class FormatGuesser {
  private candidates: NamedDeserializer[] = [...FORMATS];
  private seenData = false;

  format(bytes: Buffer | null): string {
    if (bytes === null) return '<null>';
    this.seenData = true;
    let first: string | undefined;
    this.candidates = this.candidates.filter((d) => {
      const text = d.render(bytes);
      if (text !== undefined && first === undefined) first = text;
      return text !== undefined;
    });
    // Kafka's BytesDeserializer prints unrecognised bytes as escaped text.
    return first ?? bytesToString(bytes);
  }

  possibleFormats(): string[] {
    if (!this.seenData) return ['¯\\_(ツ)_/¯ - no data processed'];
    return this.candidates.map((d) => d.name);
  }
}

/** Kafka's Bytes.toString: printable ASCII as is, everything else as \xNN. */
function bytesToString(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `yyyy/MM/dd HH:mm:ss.SSS z` in UTC, as PRINT writes ROWTIME. */
export function formatPrintRowtime(timestamp: number): string {
  if (timestamp < 0) return 'N/A';
  const d = new Date(timestamp);
  return (
    `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} Z`
  );
}

export class RecordFormatter {
  private readonly keys = new FormatGuesser();
  private readonly values = new FormatGuesser();

  format(record: LogRecord): string {
    return (
      `rowtime: ${formatPrintRowtime(record.timestamp)}, key: ${this.keys.format(record.key)}, ` +
      `value: ${this.values.format(record.value)}, partition: ${record.partition}`
    );
  }

  keyFormatLine(): string {
    return formatLine('Key format: ', this.keys.possibleFormats());
  }

  valueFormatLine(): string {
    return formatLine('Value format: ', this.values.possibleFormats());
  }
}

function formatLine(prefix: string, formats: readonly string[]): string {
  if (formats.length === 0) {
    return `${prefix} does not match any supported format. It may be a STRING with encoding other than UTF8, or some other format.`;
  }
  return prefix + formats.join(' or ');
}
