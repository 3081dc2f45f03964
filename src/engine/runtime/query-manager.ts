/**
 * Owns the running persistent queries: starts them (by themselves in autoStart mode), stops
 * them, and drives them deterministically for processUntilIdle(): every query in creation
 * order drains what it can read, repeated until none makes progress, which reproduces the QTT
 * harness's order of outputs.
 */
import type { Logger } from 'pino';
import type { TopicLog } from '../../log/topic-log.js';
import { KsqlError } from '../errors.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { PersistentQueryPlan } from '../planner/plans.js';
import { AggregationQuery } from './aggregation/aggregation-query.js';
import { JoinAggregationQuery } from './join-aggregation-query.js';
import { StreamTableJoinQuery } from './join-query.js';
import { StreamQuery, type PersistentQueryRuntime } from './persistent-query.js';
import type { MaterializedTable } from './state/materialized-table.js';

export class PersistentQueryManager {
  private readonly queries = new Map<string, PersistentQueryRuntime>();
  private readonly reportedFailures = new Set<string>();

  constructor(
    private readonly log: TopicLog,
    private readonly functions: FunctionRegistry,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly autoStart: boolean,
  ) {}

  async start(plan: PersistentQueryPlan, resetTo: 'earliest' | 'latest'): Promise<void> {
    const fnCtx = { now: this.now, properties: plan.properties };
    let query: PersistentQueryRuntime;
    if (plan.kind === 'aggregation') {
      const sourcePartitions = (await this.log.describeTopic(plan.source.topic))?.partitions ?? 1;
      query = plan.join
        ? new JoinAggregationQuery({ ...plan, join: plan.join }, this.log, this.functions, fnCtx, this.logger, sourcePartitions)
        : new AggregationQuery(plan, this.log, this.functions, fnCtx, this.logger, sourcePartitions);
    } else if (plan.kind === 'join') {
      query = new StreamTableJoinQuery(plan, this.log, this.functions, fnCtx, this.logger);
    } else {
      query = new StreamQuery(plan, this.log, this.functions, fnCtx, this.logger);
    }
    await query.open(resetTo);
    this.queries.set(plan.queryId, query);
    if (this.autoStart) query.start();
  }

  async stop(id: string): Promise<void> {
    const query = this.queries.get(id);
    if (!query) return;
    this.queries.delete(id);
    await query.stop();
  }

  /** The materialized state of the table a running query writes, if the query keeps one. */
  materialization(queryId: string): MaterializedTable | undefined {
    const query = this.queries.get(queryId);
    return query instanceof AggregationQuery ? query : undefined;
  }

  state(id: string): 'RUNNING' | 'ERROR' {
    return this.queries.get(id)?.state ?? 'RUNNING';
  }

  async processUntilIdle(): Promise<void> {
    if (this.autoStart) {
      await this.waitUntilCaughtUp();
    } else {
      for (;;) {
        let progress = false;
        for (const query of [...this.queries.values()]) {
          while ((await query.runOnce(0)) > 0) progress = true;
        }
        if (!progress) break;
      }
    }
    this.throwNewFailures();
  }

  private async waitUntilCaughtUp(): Promise<void> {
    // Queries feed each other, so a pass where everyone is caught up twice in a row is idle.
    let idlePasses = 0;
    while (idlePasses < 2) {
      const states = await Promise.all([...this.queries.values()].map((q) => q.isCaughtUp()));
      if (states.every(Boolean)) idlePasses++;
      else idlePasses = 0;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** A query that died at runtime (e.g. ksql.timestamp.throw.on.invalid) surfaces as a StreamsException-like error. */
  private throwNewFailures(): void {
    for (const query of this.queries.values()) {
      if (query.state === 'ERROR' && !this.reportedFailures.has(query.id)) {
        this.reportedFailures.add(query.id);
        const cause = query.error instanceof Error ? query.error.message : String(query.error);
        throw new KsqlError(`Query ${query.id} failed: ${cause}`, { category: 'runtime', cause: query.error });
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queries.values()].map((q) => q.stop()));
    this.queries.clear();
  }
}
