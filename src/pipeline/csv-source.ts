/**
 * Reads payments from the Kaggle credit-card CSV, plain or gzipped, in either layout:
 * - the Kaggle header layout: "Time","V1".."V28","Amount","Class";
 * - the extended layout of the Python original (no header): Id, Timestamp, User, Time,
 *   V1..V28, Amount, Class.
 * Id, Timestamp and User are derived deterministically when the layout lacks them, so the same
 * file always yields the same records.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { FEATURE_COLUMNS, type Payment } from './synthetic.js';

export interface CsvSourceOptions {
  /** Epoch millis that Time = 0 maps to when the file has no Timestamp column. */
  readonly startMs?: number;
  readonly users?: readonly string[];
}

/** Where the Kaggle data set starts, as the original's extended file has it. */
export const DEFAULT_START_MS = Date.UTC(2018, 11, 18, 12, 0, 0);
const DEFAULT_USERS = ['Kai', 'Hans', 'Anna', 'Ola', 'Mia', 'Ben', 'Lea', 'Tom', 'Eva', 'Max', 'Ida', 'Leo', 'Zoe', 'Jan', 'Pia', 'Tim'];

const KAGGLE_HEADER = ['Time', ...FEATURE_COLUMNS, 'Amount', 'Class'];
const EXTENDED_WIDTH = 3 + KAGGLE_HEADER.length;

export class CsvFormatError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'CsvFormatError';
  }
}

export async function* readPaymentsCsv(file: string, opts: CsvSourceOptions = {}): AsyncGenerator<Payment> {
  const startMs = opts.startMs ?? DEFAULT_START_MS;
  const users = opts.users ?? DEFAULT_USERS;
  const input = createReadStream(file);
  const bytes = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const parser = bytes.pipe(parse({ relax_column_count: false, skip_empty_lines: true, trim: true }));

  let layout: 'kaggle' | 'extended' | undefined;
  let line = 0;
  let id = 0;
  for await (const fields of parser as AsyncIterable<string[]>) {
    line++;
    if (layout === undefined) {
      if (fields[0] === 'Time') {
        const expected = KAGGLE_HEADER.join(',');
        if (fields.join(',') !== expected) throw new CsvFormatError(file, line, `unexpected header; expected ${expected}`);
        layout = 'kaggle';
        continue;
      }
      if (fields.length !== EXTENDED_WIDTH) {
        throw new CsvFormatError(file, line, `neither the Kaggle header layout nor the ${EXTENDED_WIDTH}-column extended layout`);
      }
      layout = 'extended';
    }
    id++;
    const offset = layout === 'kaggle' ? 0 : 3;
    const expectedWidth = layout === 'kaggle' ? KAGGLE_HEADER.length : EXTENDED_WIDTH;
    if (fields.length !== expectedWidth) throw new CsvFormatError(file, line, `${fields.length} columns, expected ${expectedWidth}`);
    const number = (i: number, name: string): number => {
      const v = Number(fields[offset + i]);
      if (fields[offset + i] === '' || !Number.isFinite(v)) throw new CsvFormatError(file, line, `${name} is not a number: '${fields[offset + i]}'`);
      return v;
    };
    const time = number(0, 'Time');
    const payment = {
      Id: layout === 'extended' ? Number(fields[0]) : id,
      Timestamp: layout === 'extended' ? fields[1]! : new Date(startMs + Math.round(time * 1000)).toISOString(),
      User: layout === 'extended' ? fields[2]! : users[hashIndex(id, users.length)]!,
      Time: time,
    } as Payment;
    FEATURE_COLUMNS.forEach((c, i) => {
      payment[c] = number(1 + i, c);
    });
    payment.Amount = number(1 + FEATURE_COLUMNS.length, 'Amount');
    const cls = fields[offset + 2 + FEATURE_COLUMNS.length];
    // An empty Class is an unlabelled payment (the extended sample has one), not an error.
    if (cls !== '0' && cls !== '1' && cls !== '') throw new CsvFormatError(file, line, `Class must be 0, 1 or empty, not '${cls}'`);
    payment.Class = cls === '' ? null : cls === '1' ? 1 : 0;
    if (layout === 'extended' && !Number.isSafeInteger(payment.Id)) throw new CsvFormatError(file, line, `Id is not an integer: '${fields[0]}'`);
    yield payment;
  }
}

/** A stable, well-spread index for synthesising a user per payment id. */
function hashIndex(id: number, size: number): number {
  let h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % size;
}
