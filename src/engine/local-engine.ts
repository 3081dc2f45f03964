/**
 * The in-process ksqlDB engine: statements → analysis → plans → queries over the topic log,
 * answering in ksqlDB's REST entity shapes. Orchestration only; the work lives in
 * statements/ (executors, entities), analyzer/, planner/ and runtime/.
 *
 * /ksql requests run in two passes (ksqlDB's RequestValidator then RequestHandler): every
 * statement is first executed against a sandbox copy of the catalogue without side effects,
 * then for real. Executed DDL/DML is recorded in a command topic, so an engine restarted over
 * a durable log replays it and its queries resume from their committed offsets.
 */
import type { Logger } from 'pino';
import { createLogger } from '../logging.js';
import { TopicExistsError, type ProduceRecord, type TopicLog } from '../log/topic-log.js';
import type {
  InsertTarget,
  KsqlEntity,
  LocalEngine,
  LocalEngineOptions,
  QueryStream,
  RequestContext,
  ServerInfo,
} from './api.js';
import { analyzeQuery, type AnalyzedQuery } from './analyzer/query-analyzer.js';
import { KsqlError, KsqlStatementError, ErrorCodes } from './errors.js';
import { loadExtensionDirectory } from './functions/extensions.js';
import { createFunctionRegistry } from './functions/registry.js';
import type { FunctionRegistry } from './functions/types.js';
import { CommandLog } from './metastore/command-log.js';
import { TopicCatalog } from './metastore/topic-catalog.js';
import type { MetaStoreView } from './metastore/types.js';
import type { Query, Statement } from './parser/ast.js';
import { parseStatement, parseStatements } from './parser/parser.js';
import { substituteVariables } from './parser/variables.js';
import { buildLogicalPlan, buildPipeline } from './planner/planner.js';
import type { PersistentQueryPlan, TransientQueryPlan } from './planner/plans.js';
import { PersistentQueryManager } from './runtime/query-manager.js';
import {
  AggregationPushQuery,
  PrintQuery,
  PushQuery,
  StreamPullQuery,
  TransientQueryRegistry,
  transientQueryId,
  type TransientDeps,
} from './runtime/transient-queries.js';
import { analyzeAggregateQuery, isAggregateQuery } from './analyzer/aggregate-analyzer.js';
import { PULL_QUERY_SYNTAX_HELP, validatePullQuery } from './analyzer/pull-query-validator.js';
import type { DataSource } from './metastore/types.js';
import type { MaterializedTable } from './runtime/state/materialized-table.js';
import { TopicMaterialization } from './runtime/state/topic-materialization.js';
import { requireKeyedWhere, TablePullQuery, tablePullQueryId } from './runtime/table-pull-query.js';
import { buildAggregationPipeline, checkEmitFinal } from './planner/aggregate-planner.js';
import { coerceJsonValue } from './serde/index.js';
import { EngineState, SANDBOX_EFFECTS, type EngineEffects, type EngineServices, type StatementContext } from './statements/context.js';
import { executeStatement, rejectQueryStatement } from './statements/executor.js';
import { startJoinPushQuery } from './statements/join-queries.js';
import { buildRecord, insertTargetFor } from './statements/insert-values.js';
import { booleanProperty, mergeProperties, offsetReset, toPropertyMap } from './statements/properties.js';
import { keyColumns, valueColumns } from './types.js';
import type { Value } from './values/value.js';

export { COMMAND_TOPIC } from './metastore/command-log.js';
const VERSION = '0.29.0';

type CommandStatus = { status: string; message: string; queryId: string | null };

export async function createLocalEngine(opts: LocalEngineOptions): Promise<LocalEngine> {
  const engine = new LocalEngineImpl(opts);
  await engine.init();
  return engine;
}

class LocalEngineImpl implements LocalEngine {
  readonly log: TopicLog;
  readonly functions: FunctionRegistry;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly serverProperties: Readonly<Record<string, string>>;
  private readonly state = EngineState.empty();
  private readonly persistent: PersistentQueryManager;
  private readonly transient = new TransientQueryRegistry();
  private readonly statuses = new Map<string, CommandStatus>();
  private readonly services: EngineServices;
  private readonly realEffects: EngineEffects;
  private readonly commandLog: CommandLog;
  /** Serialises /ksql requests: each sees the catalogue left by the previous one. */
  private queue: Promise<unknown> = Promise.resolve();
  private replaying = false;
  private readonly replayedQueries = new Map<string, PersistentQueryPlan>();
  /** Materialized state of tables whose topic is their changelog, built on first pull query. */
  private readonly topicMaterializations = new Map<string, TopicMaterialization>();
  private closed = false;

  constructor(private readonly opts: LocalEngineOptions) {
    this.log = opts.log;
    this.functions = createFunctionRegistry();
    this.logger = opts.logger ?? createLogger('ksql-engine');
    this.now = opts.now ?? Date.now;
    this.serverProperties = mergeProperties(opts.properties);
    this.commandLog = new CommandLog(this.log, this.serverProperties['ksql.service.id'] ?? 'default_');
    this.persistent = new PersistentQueryManager(this.log, this.functions, this.logger, this.now, opts.autoStart ?? true);
    this.services = {
      log: this.log,
      functions: this.functions,
      logger: this.logger,
      now: this.now,
      serverProperties: this.serverProperties,
      transientQueries: () => this.transient.list(),
      persistentQueryState: (id) => this.persistent.state(id),
    };
    this.realEffects = {
      createTopic: async (t) => {
        try {
          await this.log.createTopic(t.name, { partitions: t.partitions, replicas: t.replicas, ...(t.config ? { config: t.config } : {}) });
        } catch (err) {
          if (!(err instanceof TopicExistsError)) throw err;
        }
      },
      deleteTopic: async (name) => {
        await this.log.deleteTopic(name).catch((err: unknown) => this.logger.warn({ err, topic: name }, 'delete topic failed'));
      },
      startPersistentQuery: async (_info, plan) => {
        // While replaying, queries start only once the whole history is known, so a query
        // terminated later in the history never runs.
        if (this.replaying) this.replayedQueries.set(plan.queryId, plan);
        // As in ksqlDB, a new persistent query starts at the end of its source unless
        // auto.offset.reset (server, request or SET) says 'earliest'.
        else await this.persistent.start(plan, offsetReset(plan.properties, 'latest'));
      },
      stopPersistentQuery: async (id) => {
        this.replayedQueries.delete(id);
        await this.persistent.stop(id);
      },
      stopTransientQuery: (id) => this.transient.close(id),
      append: async (topic, records) => {
        await this.log.append(topic, records);
      },
      recordCommand: async (statement, overrides) => {
        if (!this.replaying) await this.commandLog.record({ statement, streamsProperties: { ...overrides } });
      },
    };
  }

  get metastore(): MetaStoreView {
    return this.state.metastore;
  }

  async init(): Promise<void> {
    if (this.opts.extensionDir) await loadExtensionDirectory(this.functions, this.opts.extensionDir);
    await this.refreshTopics();
    await this.replayCommands();
  }

  /** Re-executes the recorded commands of a previous run; queries resume from committed offsets. */
  private async replayCommands(): Promise<void> {
    const commands = await this.commandLog.readAll();
    this.replaying = true;
    try {
      for (const command of commands) {
        try {
          await this.executeStatements(command.statement, { properties: command.streamsProperties });
        } catch (err) {
          this.logger.warn({ err, statement: command.statement }, 'command replay failed');
        }
      }
    } finally {
      this.replaying = false;
    }
    // Replayed queries resume from their committed offsets; the reset only applies to a query
    // that never committed, exactly as when it was first started.
    for (const plan of this.replayedQueries.values()) await this.persistent.start(plan, offsetReset(plan.properties, 'latest'));
    this.replayedQueries.clear();
  }

  private async refreshTopics(): Promise<void> {
    const fresh = await TopicCatalog.load(this.log);
    for (const t of this.state.topics.list()) this.state.topics.delete(t.name);
    for (const t of fresh.list()) this.state.topics.put(t);
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // ------------------------------------------------------------------ /ksql

  executeStatements(sql: string, ctx: RequestContext = {}): Promise<KsqlEntity[]> {
    return this.serialised(() => this.runRequest(sql, ctx));
  }

  private async runRequest(sql: string, request: RequestContext): Promise<KsqlEntity[]> {
    this.assertOpen();
    const statements = parseStatements(sql);
    for (const stmt of statements) rejectQueryStatement(stmt);
    await this.refreshTopics();

    // Validation pass against a sandbox: nothing is executed if any statement fails.
    await this.runStatements(statements, request, this.state.copy(), SANDBOX_EFFECTS, true);
    return this.runStatements(statements, request, this.state, this.realEffects, false);
  }

  private async runStatements(
    statements: readonly Statement[],
    request: RequestContext,
    state: EngineState,
    effects: EngineEffects,
    sandbox: boolean,
  ): Promise<KsqlEntity[]> {
    const variables = new Map<string, string>(
      Object.entries(request.sessionVariables ?? {}).map(([k, v]) => [k, String(v)]),
    );
    const overrides = mergeProperties(toPropertyMap(request.properties));
    const entities: KsqlEntity[] = [];
    for (const original of statements) {
      const config = mergeProperties(this.serverProperties, overrides);
      let stmt = original;
      try {
        stmt = this.substitute(original, variables, config);
        const ctx: StatementContext = { sandbox, state, effects, services: this.services, config, overrides, variables };
        const entity = await executeStatement(stmt, ctx);
        if (entity) {
          entities.push(entity);
          if (!sandbox) this.recordStatus(entity);
        }
      } catch (err) {
        throw statementError(err, stmt.text, sandbox ? [] : entities);
      }
    }
    return entities;
  }

  private substitute(stmt: Statement, variables: ReadonlyMap<string, string>, config: Readonly<Record<string, string>>): Statement {
    if (variables.size === 0 || !stmt.text.includes('${')) return stmt;
    if (!booleanProperty(config, 'ksql.variable.substitution.enable', true)) return stmt;
    const text = substituteVariables(stmt.text, variables);
    return text === stmt.text ? stmt : parseStatement(text);
  }

  private recordStatus(entity: KsqlEntity): void {
    if (entity['@type'] !== 'currentStatus') return;
    this.statuses.set(entity.commandId as string, entity.commandStatus as CommandStatus);
  }

  // ------------------------------------------------------------------ /query, /query-stream

  async executeQuery(sql: string, request: RequestContext = {}): Promise<QueryStream> {
    this.assertOpen();
    const statements = parseStatements(sql);
    if (statements.length !== 1) {
      throw new KsqlStatementError(`Expected exactly one statement, got ${statements.length}`, { statementText: sql });
    }
    const variables = new Map<string, string>(
      Object.entries(request.sessionVariables ?? {}).map(([k, v]) => [k, String(v)]),
    );
    const config = mergeProperties(this.serverProperties, toPropertyMap(request.properties));
    let stmt = statements[0]!;
    try {
      stmt = this.substitute(stmt, variables, config);
      if (stmt.kind === 'Print') return await this.startPrint(stmt);
      if (stmt.kind !== 'QueryStatement') {
        throw new KsqlStatementError(`Statement type \`${javaStatementClass(stmt)}' not supported for this resource`, {
          statementText: stmt.text,
        });
      }
      const query = stmt.query;
      checkEmitFinal(query);
      const from = query.from.kind === 'AliasedRelation' ? this.state.metastore.getSource(query.from.name) : undefined;
      const tablePull = from?.type === 'TABLE' && query.emit === undefined;
      if (query.emit === undefined) validatePullQuery(query, this.functions, tablePull);
      const deps = { log: this.log, functions: this.functions, logger: this.logger, now: this.now, registry: this.transient };
      if (query.from.kind === 'Join') return await startJoinPushQuery(query, stmt.text, this.state.metastore, deps, config);
      if (isAggregateQuery(query, this.functions)) return await this.startAggregationPushQuery(stmt.text, query, config, deps);
      const analysis = analyzeQuery(query, this.state.metastore, { functions: this.functions, windowBoundsInStar: tablePull });
      if (tablePull) return await this.runTablePullQuery(analysis, config);
      const pipeline = buildPipeline(buildLogicalPlan(analysis), this.functions);
      const plan: TransientQueryPlan = {
        source: analysis.source,
        pipeline,
        ...(analysis.limit !== undefined ? { limit: analysis.limit } : {}),
        properties: config,
      };
      const id = transientQueryId(analysis.source.name);
      if (analysis.emitChanges) {
        const push = new PushQuery(id, plan, deps);
        await push.start(offsetReset(config), stmt.text);
        return push;
      }
      const pull = new StreamPullQuery(id, plan, deps);
      await pull.start();
      return pull;
    } catch (err) {
      throw statementError(err, stmt.text, []);
    }
  }

  /** A pull query on a table, answered from the materialized state of the query that writes it. */
  private async runTablePullQuery(analysis: AnalyzedQuery, config: Readonly<Record<string, string>>): Promise<QueryStream> {
    const source = analysis.source;
    const table = await this.materializationOf(source);
    if (!booleanProperty(config, 'ksql.query.pull.table.scan.enabled', true)) requireKeyedWhere(analysis.where, analysis.scope);
    const pipeline = buildPipeline(buildLogicalPlan(analysis), this.functions);
    const keyNames = new Set(keyColumns(source.schema).map((c) => c.name));
    if (source.window) keyNames.add('WINDOWSTART').add('WINDOWEND');
    const keyFlags = pipeline.projection.map((p) => p.expression.kind === 'ColumnRef' && keyNames.has(p.expression.name));
    const query = new TablePullQuery(
      tablePullQueryId(this.now()),
      { pipeline, keyColumns: keyFlags, ...(analysis.limit !== undefined ? { limit: analysis.limit } : {}), properties: config },
      this.now,
    );
    query.run(table);
    return query;
  }

  /**
   * ksqlDB materializes CTAS sinks (an aggregation's state store, or the sink itself for
   * stateless CTAS) and CREATE SOURCE TABLEs; other tables are not queryable.
   */
  private async materializationOf(source: DataSource): Promise<MaterializedTable> {
    const creator = this.state.queries.creatorOf(source.name);
    const aggregate = creator ? this.persistent.materialization(creator.id) : undefined;
    if (aggregate) return aggregate;
    if (!creator && !source.isSource) {
      throw new KsqlError(
        `The \`${source.name}\` table isn't queryable. To derive a queryable table, you can do ` +
          `'CREATE TABLE QUERYABLE_${source.name} AS SELECT * FROM ${source.name}'.${PULL_QUERY_SYNTAX_HELP}`,
      );
    }
    let materialization = this.topicMaterializations.get(source.name);
    if (materialization && materialization.source !== source) {
      await materialization.close();
      materialization = undefined;
    }
    if (!materialization) {
      materialization = new TopicMaterialization(source, this.log, this.functions, this.logger, this.now);
      this.topicMaterializations.set(source.name, materialization);
    }
    await materialization.catchUp();
    return materialization;
  }

  private async startAggregationPushQuery(
    statementText: string,
    query: Query,
    config: Readonly<Record<string, string>>,
    deps: TransientDeps,
  ): Promise<QueryStream> {
    const analysis = analyzeAggregateQuery(query, this.state.metastore, { functions: this.functions, properties: config });
    const pipeline = buildAggregationPipeline(analysis, this.functions, false, query.emit === 'FINAL');
    const push = new AggregationPushQuery(
      transientQueryId(analysis.source.name),
      { source: analysis.source, pipeline, ...(analysis.limit !== undefined ? { limit: analysis.limit } : {}), properties: config },
      deps,
    );
    await push.start(offsetReset(config), statementText);
    return push;
  }

  private async startPrint(stmt: Extract<Statement, { kind: 'Print' }>): Promise<QueryStream> {
    // A private snapshot: the shared catalogue belongs to the (serialised) /ksql requests.
    const topics = await TopicCatalog.load(this.log);
    let topic = topics.get(stmt.topic)?.name;
    if (topic === undefined && !stmt.quoted) {
      const matches = topics.list().filter((t) => t.name.toUpperCase() === stmt.topic.toUpperCase());
      if (matches.length === 1) topic = matches[0]!.name;
    }
    if (topic === undefined) {
      throw new KsqlError(
        `Could not find topic '${stmt.topic}', KSQL uses uppercase.\n` +
          "To print a case-sensitive topic apply quotations, for example: print 'topic';",
      );
    }
    const deps = { log: this.log, functions: this.functions, logger: this.logger, now: this.now, registry: this.transient };
    const print = new PrintQuery(
      transientQueryId(topic.replace(/[^A-Za-z0-9_]/g, '_')),
      {
        topic,
        fromBeginning: stmt.fromBeginning,
        ...(stmt.interval !== undefined ? { interval: stmt.interval } : {}),
        ...(stmt.limit !== undefined ? { limit: stmt.limit } : {}),
      },
      deps,
    );
    await print.start(stmt.text);
    return print;
  }

  closeQuery(queryId: string): boolean {
    return this.transient.close(queryId);
  }

  // ------------------------------------------------------------------ /inserts-stream

  async insertTarget(target: string, request: RequestContext = {}): Promise<InsertTarget> {
    this.assertOpen();
    void request;
    const name = target.startsWith('`') && target.endsWith('`') && target.length >= 2 ? target.slice(1, -1) : target.toUpperCase();
    const ctx: StatementContext = {
      sandbox: false,
      state: this.state,
      effects: this.realEffects,
      services: this.services,
      config: this.serverProperties,
      overrides: {},
      variables: new Map(),
    };
    const source = insertTargetFor(name, ctx, false);
    const columns = [...keyColumns(source.schema), ...valueColumns(source.schema)];
    const keys = new Set(keyColumns(source.schema).map((c) => c.name));
    return {
      insert: async (row) => {
        const values = new Map<string, Value>();
        for (const [field, json] of Object.entries(row)) {
          const columnName = field.startsWith('`') && field.endsWith('`') ? field.slice(1, -1) : field.toUpperCase();
          const column = columns.find((c) => c.name === columnName);
          if (!column) continue;
          values.set(column.name, coerceJsonValue(json, column.type));
        }
        for (const key of keys) {
          if (!values.has(key)) throw new KsqlError(`Key field must be specified: ${key}`);
        }
        const current = this.state.metastore.getSource(source.name);
        if (!current) throw new KsqlError(`Cannot insert values into an unknown stream/table: \`${source.name}\``);
        const record: ProduceRecord = buildRecord(current, values, this.now());
        await this.log.append(current.topic, [record]);
      },
    };
  }

  // ------------------------------------------------------------------ status

  commandStatuses(): Readonly<Record<string, CommandStatus>> {
    return Object.fromEntries(this.statuses);
  }

  serverInfo(): ServerInfo {
    return { version: VERSION, kafkaClusterId: 'local-topic-log', ksqlServiceId: 'default_', serverStatus: 'RUNNING' };
  }

  async isHealthy(): Promise<boolean> {
    if (this.closed) return false;
    try {
      await this.log.listTopics();
      return true;
    } catch {
      return false;
    }
  }

  processUntilIdle(): Promise<void> {
    return this.serialised(() => this.persistent.processUntilIdle());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.transient.closeAll();
    await this.persistent.close();
    await Promise.all([...this.topicMaterializations.values()].map((m) => m.close()));
  }

  private assertOpen(): void {
    if (this.closed) throw new KsqlError('The engine is closed.', { errorCode: ErrorCodes.SERVER_SHUTTING_DOWN });
  }
}

/** The ksqlDB parser-tree class name of a statement, as its error messages show it. */
function javaStatementClass(stmt: Statement): string {
  switch (stmt.kind) {
    case 'CreateSource':
      return stmt.sourceType === 'STREAM' ? 'CreateStream' : 'CreateTable';
    case 'CreateAsSelect':
      return stmt.sourceType === 'STREAM' ? 'CreateStreamAsSelect' : 'CreateTableAsSelect';
    case 'DropSource':
      return stmt.sourceType === 'STREAM' ? 'DropStream' : 'DropTable';
    case 'AlterSource':
      return 'AlterSource';
    case 'Terminate':
      return 'TerminateQuery';
    case 'Show':
      return `List${stmt.what.charAt(0)}${stmt.what.slice(1).toLowerCase().replace(/ (\w)/g, (_m, c: string) => c.toUpperCase())}`;
    case 'DefineVariable':
      return 'DefineVariable';
    case 'UndefineVariable':
      return 'UndefineVariable';
    default:
      return stmt.kind;
  }
}

/** Attaches the failing statement (and the entities produced before it) to an error. */
function statementError(err: unknown, statementText: string, entities: unknown[]): KsqlStatementError {
  if (err instanceof KsqlStatementError) {
    if (!err.statementText) err.statementText = statementText;
    err.entities = entities;
    return err;
  }
  if (err instanceof KsqlError) {
    return new KsqlStatementError(err.message, {
      statementText,
      entities,
      errorCode: err.errorCode === ErrorCodes.BAD_REQUEST ? ErrorCodes.BAD_STATEMENT : err.errorCode,
      category: err.category,
      cause: err,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new KsqlStatementError(message, { statementText, entities, errorCode: ErrorCodes.SERVER_ERROR, cause: err });
}
