/**
 * Which columns an expression can see and where their values sit in the row the compiled
 * expression receives. The analyzer builds one Scope per clause from the source schemas (plus
 * pseudo columns such as ROWTIME); the compiler resolves every column reference through it.
 */
import { KsqlStatementError } from '../errors.js';
import type { SqlType } from '../types.js';

export interface ScopeEntry {
  /** Column name as stored (already normalised: unquoted names upper-cased). */
  readonly name: string;
  /** Alias of the source the column comes from (FROM/JOIN alias), if any. */
  readonly source?: string;
  readonly type: SqlType;
  /** Position of the column's value in the row arrays passed to `evaluate`. */
  readonly index: number;
}

export interface ResolvedColumn {
  readonly entry: ScopeEntry;
  readonly index: number;
  readonly type: SqlType;
}

/** The clause named in "X column 'C' cannot be resolved." (SELECT, WHERE, GROUP BY, ...). */
export type ClauseName = string;

export class Scope {
  readonly entries: readonly ScopeEntry[];
  private readonly byName = new Map<string, ScopeEntry[]>();

  constructor(entries: readonly ScopeEntry[]) {
    this.entries = entries;
    for (const e of entries) {
      const list = this.byName.get(e.name);
      if (list) list.push(e);
      else this.byName.set(e.name, [e]);
    }
  }

  /** The entry for `col` or `source.col`, or undefined when there is none. Throws when ambiguous. */
  find(name: string, source?: string): ScopeEntry | undefined {
    const candidates = this.byName.get(name);
    if (!candidates) return undefined;
    if (source !== undefined) return candidates.find((e) => e.source === source);
    if (candidates.length === 1) return candidates[0];
    // The same column reachable twice from one source (e.g. listed twice) is not ambiguous.
    const sources = new Set(candidates.map((c) => c.source));
    if (sources.size === 1) return candidates[0];
    throw new KsqlStatementError(
      `Column '${name}' is ambiguous. Could be any of: ${candidates.map((c) => (c.source ? `${c.source}.${name}` : name)).join(', ')}`,
    );
  }

  /**
   * Resolves a column reference, failing with ksqlDB's message
   * ("SELECT column 'BOB' cannot be resolved.", "... 'I.BOB' ...") when it is unknown.
   */
  resolve(name: string, source?: string, clause: ClauseName = 'SELECT'): ResolvedColumn {
    const entry = this.find(name, source);
    if (!entry) {
      const shown = source === undefined ? name : `${source}.${name}`;
      throw new KsqlStatementError(`${clause} column '${shown}' cannot be resolved.`);
    }
    return { entry, index: entry.index, type: entry.type };
  }

  /** A scope over the same rows with more entries (e.g. pseudo columns). */
  with(extra: readonly ScopeEntry[]): Scope {
    return new Scope([...this.entries, ...extra]);
  }

  /** Entries numbered 0..n-1 in order: the common case of one row per schema. */
  static of(columns: readonly { name: string; type: SqlType; source?: string }[]): Scope {
    return new Scope(columns.map((c, index) => ({ ...c, index })));
  }
}
