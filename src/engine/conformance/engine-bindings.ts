/**
 * How the runner reaches the engine: a fresh in-memory log and local engine per variant, plus
 * the engine's serdes for formats the harness codec does not handle itself (those end as
 * `Unsupported:` errors for out-of-scope formats).
 */
import type { LocalEngine, LocalEngineOptions } from '../api.js';
import type { SerdeFactory } from '../serde/types.js';
import type { SqlType } from '../types.js';
import type { Value } from '../values/value.js';
import type { TopicLog } from '../../log/topic-log.js';
import { MemoryTopicLog } from '../../log/memory-log.js';
import { createLogger, type Logger } from '../../logging.js';
import { coerceJsonValue, serdeFactory } from '../serde/index.js';

export interface EngineBindings {
  createLog(): TopicLog;
  createEngine(opts: LocalEngineOptions): Promise<LocalEngine>;
  /** The engine's serdes and JSON-to-Value coercion. */
  readonly serdes?: {
    readonly factory: SerdeFactory;
    readonly coerceJsonValue: (json: unknown, type: SqlType) => Value;
  };
}

interface LocalEngineModule {
  createLocalEngine(opts: LocalEngineOptions): LocalEngine | Promise<LocalEngine>;
}

// Loaded by specifier at run time so the runner builds while the engine module is written.
const LOCAL_ENGINE_MODULE = '../local-engine.js';

export interface BindingOptions {
  /** The engines' logger; by default they log nothing, so the runner's output stays readable. */
  readonly logger?: Logger;
}

export async function loadEngineBindings(opts: BindingOptions = {}): Promise<EngineBindings> {
  const engineModule = (await import(LOCAL_ENGINE_MODULE)) as LocalEngineModule;
  const logger = opts.logger ?? createLogger('ksql-engine', { level: 'silent' });
  return {
    createLog: () => new MemoryTopicLog(),
    createEngine: async (engineOpts) => engineModule.createLocalEngine({ logger, ...engineOpts }),
    serdes: { factory: serdeFactory, coerceJsonValue },
  };
}
