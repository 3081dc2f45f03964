/**
 * Process-wide logging on pino. The level comes from LOG_LEVEL (default 'info'); under vitest
 * the default is 'silent' so test output stays readable unless LOG_LEVEL asks otherwise.
 */
import { destination, pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  /** Overrides LOG_LEVEL. */
  readonly level?: string;
  /** Where lines go (default stdout). */
  readonly destination?: DestinationStream;
}

function defaultLevel(): string {
  const fromEnv = process.env.LOG_LEVEL?.trim();
  if (fromEnv) return fromEnv;
  return process.env.VITEST ? 'silent' : 'info';
}

export function createLogger(name: string, opts: CreateLoggerOptions = {}): Logger {
  const options = { name, level: opts.level ?? defaultLevel() };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/**
 * For commands whose own output is on stdout (demo, run): log lines go to stderr, warnings
 * and worse unless LOG_LEVEL asks for more.
 */
export function createCommandLogger(name: string): Logger {
  return createLogger(name, { level: process.env.LOG_LEVEL?.trim() || 'warn', destination: destination(2) });
}
