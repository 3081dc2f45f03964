/**
 * What a statement executor works with. The same executors run twice per /ksql request: first
 * against a sandbox (copies of the metastore, query registry and topic catalogue; no side
 * effects), then for real. Side effects go through `EngineEffects` so the sandbox can skip them.
 */
import type { Logger } from 'pino';
import type { TopicLog } from '../../log/topic-log.js';
import type { FunctionRegistry } from '../functions/types.js';
import { MetaStore } from '../metastore/metastore.js';
import { QueryRegistry, type PersistentQueryInfo } from '../metastore/query-registry.js';
import { TopicCatalog } from '../metastore/topic-catalog.js';
import type { ProduceRecord } from '../../log/topic-log.js';
import type { PersistentQueryPlan } from '../planner/plans.js';
import type { RunningQueryInfo } from './entities.js';

/** The engine's mutable catalogue state. */
export class EngineState {
  constructor(
    readonly metastore: MetaStore,
    readonly queries: QueryRegistry,
    readonly topics: TopicCatalog,
    /** Next command sequence number (position in the command log); also numbers query ids. */
    public commandSequence: number,
  ) {}

  static empty(): EngineState {
    return new EngineState(new MetaStore(), new QueryRegistry(), new TopicCatalog([]), 0);
  }

  copy(): EngineState {
    return new EngineState(this.metastore.copy(), this.queries.copy(), this.topics.copy(), this.commandSequence);
  }
}

export interface TopicCreation {
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
  /** Kafka topic configs, e.g. cleanup.policy=compact for changelogs. */
  readonly config?: Readonly<Record<string, string>>;
}

/** Side effects of statements; the sandbox implementation does nothing. */
export interface EngineEffects {
  createTopic(topic: TopicCreation): Promise<void>;
  deleteTopic(name: string): Promise<void>;
  startPersistentQuery(info: PersistentQueryInfo, plan: PersistentQueryPlan): Promise<void>;
  stopPersistentQuery(id: string): Promise<void>;
  /** Stop a transient (push) query; false if no such query runs. */
  stopTransientQuery(id: string): boolean;
  append(topic: string, records: readonly ProduceRecord[]): Promise<void>;
  /** Record an executed command in the command topic, for replay after a restart. */
  recordCommand(statementText: string, config: Readonly<Record<string, string>>): Promise<void>;
}

export const SANDBOX_EFFECTS: EngineEffects = {
  createTopic: async () => {},
  deleteTopic: async () => {},
  startPersistentQuery: async () => {},
  stopPersistentQuery: async () => {},
  stopTransientQuery: () => true,
  append: async () => {},
  recordCommand: async () => {},
};

/** Engine-wide services that do not change between sandbox and real execution. */
export interface EngineServices {
  readonly log: TopicLog;
  readonly functions: FunctionRegistry;
  readonly logger: Logger;
  readonly now: () => number;
  readonly serverProperties: Readonly<Record<string, string>>;
  /** Running transient queries, for SHOW QUERIES and TERMINATE. */
  transientQueries(): readonly RunningQueryInfo[];
  /** Whether a persistent query's runtime is in error. */
  persistentQueryState(id: string): 'RUNNING' | 'ERROR';
}

export interface StatementContext {
  readonly sandbox: boolean;
  readonly state: EngineState;
  readonly effects: EngineEffects;
  readonly services: EngineServices;
  /** Properties in force: server, then request, then SET in this request. */
  readonly config: Readonly<Record<string, string>>;
  /** The request's property overrides so far (streamsProperties + SET), canonical names. */
  readonly overrides: Record<string, string>;
  /** Session variables of this request (DEFINE/UNDEFINE change them). */
  readonly variables: Map<string, string>;
}
