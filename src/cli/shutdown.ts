/**
 * How long-running commands (engine, score) end: SIGINT or SIGTERM, or the command itself,
 * runs their graceful stop once; a stop that fails sets a non-zero exit code.
 */
import type { Logger } from 'pino';

export interface Shutdown {
  /** Resolves once the stop has run. */
  readonly done: Promise<void>;
  /** Stops as if a signal had arrived (e.g. when the service dies on its own). */
  trigger(reason: string): void;
}

export function stopOnSignal(stop: () => Promise<void>, logger: Logger): Shutdown {
  let trigger!: (reason: string) => void;
  const done = new Promise<void>((resolve) => {
    let stopping = false;
    trigger = (reason) => {
      if (stopping) return;
      stopping = true;
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      logger.info({ reason }, 'shutting down');
      stop().then(resolve, (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exitCode = 1;
        resolve();
      });
    };
    const onSignal = (signal: NodeJS.Signals): void => trigger(signal);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  return { done, trigger };
}
