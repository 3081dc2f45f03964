/**
 * Persistent queries known to the engine (ksqlDB keeps them in the engine context beside the
 * metastore), with the source/sink bookkeeping that DROP and TERMINATE check.
 */
import { KsqlError } from '../errors.js';

export interface PersistentQueryInfo {
  readonly id: string;
  readonly statementText: string;
  /** Sink source name (CSAS target or INSERT INTO target). */
  readonly sinkName: string;
  readonly sinkTopic: string;
  /** Source names the query reads. */
  readonly sourceNames: readonly string[];
  readonly kind: 'CREATE_AS' | 'INSERT';
}

export class QueryRegistry {
  private readonly queries: Map<string, PersistentQueryInfo>;

  constructor(entries?: Iterable<[string, PersistentQueryInfo]>) {
    this.queries = new Map(entries);
  }

  copy(): QueryRegistry {
    return new QueryRegistry(this.queries);
  }

  add(info: PersistentQueryInfo): void {
    this.queries.set(info.id, info);
  }

  get(id: string): PersistentQueryInfo | undefined {
    return this.queries.get(id);
  }

  remove(id: string): void {
    this.queries.delete(id);
  }

  list(): readonly PersistentQueryInfo[] {
    return [...this.queries.values()];
  }

  readersOf(sourceName: string): PersistentQueryInfo[] {
    return this.list().filter((q) => q.sourceNames.includes(sourceName));
  }

  writersOf(sourceName: string): PersistentQueryInfo[] {
    return this.list().filter((q) => q.sinkName === sourceName);
  }

  /** The CSAS/CTAS query that created a source, if still running. */
  creatorOf(sourceName: string): PersistentQueryInfo | undefined {
    return this.list().find((q) => q.sinkName === sourceName && q.kind === 'CREATE_AS');
  }

  /** ksqlDB's referential-integrity check before DROP (EngineContext / DropSourceFactory). */
  assertCanDrop(sourceName: string): void {
    const readers = this.readersOf(sourceName).map((q) => q.id);
    const writers = this.writersOf(sourceName).map((q) => q.id);
    if (readers.length === 0 && writers.length === 0) return;
    throw new KsqlError(
      `Cannot drop ${sourceName}.\n` +
        `The following queries read from this source: [${readers.join(', ')}].\n` +
        `The following queries write into this source: [${writers.join(', ')}].\n` +
        `You need to terminate them before dropping ${sourceName}.`,
    );
  }
}
