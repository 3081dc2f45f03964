/**
 * The engine's catalogue of streams and tables (ksqlDB's MetaStoreImpl). Copyable so a request
 * can be validated against a sandbox before anything is executed for real.
 */
import { KsqlError } from '../errors.js';
import type { DataSource, MetaStoreView } from './types.js';

export function sourceTypeLower(type: DataSource['type']): 'stream' | 'table' {
  return type === 'STREAM' ? 'stream' : 'table';
}

export class MetaStore implements MetaStoreView {
  private readonly sources: Map<string, DataSource>;

  constructor(sources?: Iterable<[string, DataSource]>) {
    this.sources = new Map(sources);
  }

  copy(): MetaStore {
    return new MetaStore(this.sources);
  }

  getSource(name: string): DataSource | undefined {
    return this.sources.get(name);
  }

  listSources(): readonly DataSource[] {
    return [...this.sources.values()];
  }

  sourcesForTopic(topic: string): readonly DataSource[] {
    return this.listSources().filter((s) => s.topic === topic);
  }

  /** Adds a source; `allowReplace` is CREATE OR REPLACE. Message as ksqlDB's MetaStoreImpl.putSource. */
  putSource(source: DataSource, allowReplace: boolean): void {
    const existing = this.sources.get(source.name);
    if (existing && !allowReplace) {
      throw new KsqlError(
        `Cannot add ${sourceTypeLower(source.type)} '${source.name}': A ${sourceTypeLower(existing.type)} with the same name already exists`,
      );
    }
    this.sources.set(source.name, source);
  }

  deleteSource(name: string): void {
    if (!this.sources.delete(name)) throw new KsqlError(`No data source with name ${name} exists.`);
  }

  /** Case-insensitive lookup, for "did you mean" hints. */
  findIgnoringCase(name: string): DataSource | undefined {
    const upper = name.toUpperCase();
    return this.listSources().find((s) => s.name.toUpperCase() === upper);
  }
}
