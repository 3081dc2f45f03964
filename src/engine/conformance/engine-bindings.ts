/**
 * How the runner reaches the engine: a fresh in-memory log and local engine per variant, plus
 * the engine's serdes for formats the harness codec does not handle itself (those end as
 * `Unsupported:` errors for out-of-scope formats).
 */
import type { LocalEngine, LocalEngineOptions } from '../api.js';
import { createLocalEngine } from '../local-engine.js';
import { registerHarnessUdfs } from './harness-udfs.js';
import type { SerdeFactory } from '../serde/types.js';
import { coerceJsonValue, serdeFactory } from '../serde/index.js';
import type { SqlType } from '../types.js';
import type { Value } from '../values/value.js';
import type { TopicLog } from '../../log/topic-log.js';
import { MemoryTopicLog } from '../../log/memory-log.js';
import { createLogger, type Logger } from '../../logging.js';

export interface EngineBindings {
  createLog(): TopicLog;
  createEngine(opts: LocalEngineOptions): Promise<LocalEngine>;
  /** The engine's serdes and JSON-to-Value coercion. */
  readonly serdes?: {
    readonly factory: SerdeFactory;
    readonly coerceJsonValue: (json: unknown, type: SqlType) => Value;
  };
}

export interface BindingOptions {
  /** The engines' logger; by default they log nothing, so the runner's output stays readable. */
  readonly logger?: Logger;
}

export function localEngineBindings(opts: BindingOptions = {}): EngineBindings {
  const logger = opts.logger ?? createLogger('ksql-engine', { level: 'silent' });
  return {
    createLog: () => new MemoryTopicLog(),
    createEngine: async (engineOpts) => {
      const engine = await createLocalEngine({ logger, ...engineOpts });
      registerHarnessUdfs(engine.functions);
      return engine;
    },
    serdes: { factory: serdeFactory, coerceJsonValue },
  };
}
