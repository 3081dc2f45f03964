/**
 * Process-wide logging on pino. The level comes from LOG_LEVEL (default 'info'); under vitest
 * the default is 'silent' so test output stays readable unless LOG_LEVEL asks otherwise.
 */
import { pino, type Logger, type DestinationStream } from 'pino';

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
