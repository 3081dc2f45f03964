/**
 * The text encodings of ksqlDB's ENCODE, TO_BYTES and FROM_BYTES (hex, utf8, ascii, base64),
 * with Java's behaviour: ASCII encoding writes '?' for unmappable characters and decoding
 * yields U+FFFD for bytes above 0x7F; hex accepts the 0x and X'..' forms.
 */
import { KsqlFunctionError } from '../errors.js';

export type ByteEncoding = 'hex' | 'utf8' | 'ascii' | 'base64';

export function parseEncoding(name: string): ByteEncoding | undefined {
  const n = name.toLowerCase();
  return n === 'hex' || n === 'utf8' || n === 'ascii' || n === 'base64' ? n : undefined;
}

function decodeHex(text: string): Buffer {
  let digits = text;
  if (/^0x/i.test(text)) {
    digits = text.slice(2);
    // The 0x form allows an odd number of digits: the first byte gets an implied leading zero.
    if (digits.length % 2 === 1) digits = '0' + digits;
  } else if (/^x'/i.test(text)) {
    if (!text.endsWith("'") || text.length < 3) throw new KsqlFunctionError(`Invalid hex string: ${text}`);
    digits = text.slice(2, -1);
  }
  if (digits.length % 2 === 1 || !/^[0-9a-fA-F]*$/.test(digits)) {
    throw new KsqlFunctionError(`Invalid hex string: ${text}`);
  }
  return Buffer.from(digits, 'hex');
}

const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function stringToBytes(text: string, encoding: ByteEncoding): Buffer {
  switch (encoding) {
    case 'hex':
      return decodeHex(text);
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'ascii':
      return Buffer.from([...text].map((ch) => (ch.codePointAt(0)! < 0x80 ? ch.codePointAt(0)! : 0x3f)));
    case 'base64':
      if (!STRICT_BASE64.test(text) || text.length % 4 === 1) throw new KsqlFunctionError(`Invalid base64 string: ${text}`);
      return Buffer.from(text, 'base64');
  }
}

export function bytesToString(bytes: Buffer, encoding: ByteEncoding): string {
  switch (encoding) {
    case 'hex':
      return bytes.toString('hex');
    case 'utf8':
      return bytes.toString('utf8');
    case 'ascii':
      return Array.from(bytes, (b) => (b < 0x80 ? String.fromCharCode(b) : '\uFFFD')).join('');
    case 'base64':
      return bytes.toString('base64');
  }
}

export function requireEncoding(name: string, message: string): ByteEncoding {
  const e = parseEncoding(name);
  if (!e) throw new KsqlFunctionError(message);
  return e;
}
