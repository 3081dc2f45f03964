/**
 * CREATE STREAM ... AS SELECT and INSERT INTO ... SELECT: analyse, plan, register the sink and
 * the query, and start it. Checks and messages follow ksqlDB's EngineExecutor and
 * QueryIdUtil.
 */
import type { KsqlEntity } from '../api.js';
import { analyzeQuery, unknownSourceError, validateProjectionKeys, withoutIncompleteKey } from '../analyzer/query-analyzer.js';
import { booleanProperty } from './properties.js';
import { KsqlError, KsqlStatementError, UnsupportedError } from '../errors.js';
import type { PersistentQueryInfo } from '../metastore/query-registry.js';
import { sourceTypeLower } from '../metastore/metastore.js';
import type { DataSource } from '../metastore/types.js';
import type { CreateAsSelect, InsertInto, Query } from '../parser/ast.js';
import { buildLogicalPlan, buildPipeline } from '../planner/planner.js';
import { checkExpression } from '../planner/expression-binding.js';
import { outputSchema, type PersistentQueryPlan, type SinkTimestamp, type StateStoreTopics, type StreamPipeline } from '../planner/plans.js';
import { analyzeAggregateQuery, isAggregateQuery, type AggregateAnalysis } from '../analyzer/aggregate-analyzer.js';
import { formatAggregateCreateAsSelect } from './formatted-statement.js';
import { joinPrimarySource, planJoinQuery, type PlannedJoinQuery } from './join-queries.js';
import { aggregationSinkSchema, buildAggregationPipeline, checkEmitFinal, sinkWindowInfo, type AggregationPipeline } from '../planner/aggregate-planner.js';
import { consumerGroupId } from '../runtime/persistent-query.js';
import { AGGREGATE_STORE, CHANGELOG_TOPIC_CONFIG, changelogTopicName, SOURCE_TABLE_STORE } from '../runtime/state/changelog.js';
import { formatSchema, keyColumns, sqlTypeEquals, type LogicalSchema, type WindowInfo } from '../types.js';
import { assertUpgradeable, orderedSchema } from './source-upgrade.js';
import type { StatementContext } from './context.js';
import { commandId } from './command-ids.js';
import { assertKeyTypeAllowed, declaredSource, topicConfigMismatchError } from './create-source.js';
import { currentStatusEntity, warningEntity } from './entities.js';
import { resolveSinkFormats, validateSerdes } from './formats.js';
import { timestampColumnName, validateTimestampColumn } from './timestamp-column.js';
import { intProp, stringProp } from './with-properties.js';

function queryIdPart(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** A planned SELECT of a persistent query: a stateless pipeline or an aggregation. */
type PlannedQuery =
  | { readonly kind: 'stream'; readonly pipeline: StreamPipeline; readonly schema: LogicalSchema; readonly resultType: DataSource['type'] }
  | {
      readonly kind: 'aggregation';
      readonly analysis: AggregateAnalysis;
      readonly pipeline: AggregationPipeline;
      readonly schema: LogicalSchema;
      readonly resultType: 'TABLE';
      readonly window?: WindowInfo;
    }
  | PlannedJoinQuery;

/**
 * Analysis, then the checks in ksqlDB's order (sink properties against the projection before
 * the key rules), then the compiled pipeline. Aggregating queries take the aggregation path.
 */
function planQuery(
  query: Query,
  sinkName: string,
  ctx: StatementContext,
  checkSinkColumns: (names: readonly string[]) => void = () => {},
): PlannedQuery {
  if (query.from.kind === 'Join') {
    checkEmitFinal(query);
    return planJoinQuery(query, sinkName, ctx, checkSinkColumns);
  }
  const functions = ctx.services.functions;
  if (isAggregateQuery(query, functions)) {
    const analysis = analyzeAggregateQuery(query, ctx.state.metastore, { sinkName, functions, properties: ctx.config });
    checkSinkColumns(analysis.columns.map((c) => c.name));
    checkEmitFinal(query);
    const pipeline = buildAggregationPipeline(analysis, functions, true, query.emit === 'FINAL');
    const window = sinkWindowInfo(pipeline.window);
    return { kind: 'aggregation', analysis, pipeline, schema: aggregationSinkSchema(pipeline), resultType: 'TABLE', ...(window ? { window } : {}) };
  }
  let analysis = analyzeQuery(query, ctx.state.metastore, {
    sinkName,
    functions,
    checkExpression: (e, scope, clause) => checkExpression(e, scope, functions, clause),
  });
  checkSinkColumns(analysis.columns.map((c) => c.name));
  checkEmitFinal(query);
  if (booleanProperty(ctx.config, 'ksql.new.query.planner.enabled', false)) analysis = withoutIncompleteKey(analysis);
  else validateProjectionKeys(analysis, sinkName);
  const pipeline = buildPipeline(buildLogicalPlan(analysis), functions);
  return { kind: 'stream', pipeline, schema: outputSchema(pipeline), resultType: analysis.source.type };
}

function sourceOf(query: Query, ctx: StatementContext): DataSource {
  const from = query.from;
  if (from.kind === 'Join') return joinPrimarySource(from, ctx);
  const source = ctx.state.metastore.getSource(from.name);
  if (!source) throw unknownSourceError(from.name, from.loc);
  return source;
}

function sinkTimestampFor(schema: LogicalSchema, column: string, format: string | undefined): SinkTimestamp {
  const keys = schema.columns.filter((c) => c.namespace === 'KEY');
  const values = schema.columns.filter((c) => c.namespace === 'VALUE');
  const keyPos = keys.findIndex((c) => c.name === column);
  if (keyPos >= 0) return { namespace: 'KEY', position: keyPos, type: keys[keyPos]!.type, ...(format ? { format } : {}) };
  const valuePos = values.findIndex((c) => c.name === column);
  return { namespace: 'VALUE', position: valuePos, type: values[valuePos]!.type, ...(format ? { format } : {}) };
}

export async function executeCreateAsSelect(stmt: CreateAsSelect, ctx: StatementContext): Promise<KsqlEntity> {
  const { metastore, topics, queries } = ctx.state;
  const existing = metastore.getSource(stmt.name);
  const typeLower = sourceTypeLower(stmt.sourceType);
  if (existing && stmt.ifNotExists) {
    return warningEntity(stmt.text, `Cannot add ${typeLower} '${stmt.name}': A ${sourceTypeLower(existing.type)} with the same name already exists`);
  }
  if (existing && !stmt.orReplace) {
    throw new KsqlError(`Cannot add ${typeLower} '${stmt.name}': A ${sourceTypeLower(existing.type)} with the same name already exists`);
  }
  const replacing = existing ? replaceableQuery(existing, stmt, ctx) : undefined;

  const source = sourceOf(stmt.query, ctx);
  const props = stmt.properties;
  const timestampProp = stringProp(props, 'TIMESTAMP');
  const timestampFormat = stringProp(props, 'TIMESTAMP_FORMAT');
  const planned = planQuery(stmt.query, stmt.name, ctx, (names) => {
    if (timestampProp !== undefined && !names.includes(timestampColumnName(timestampProp))) {
      throw new KsqlError(
        `The TIMESTAMP column set in the WITH clause does not exist in the schema: '${timestampColumnName(timestampProp)}'`,
      );
    }
  });
  if (planned.resultType !== stmt.sourceType) {
    throw new KsqlStatementError(
      `Invalid result type. Your SELECT query produces a ${planned.resultType}. ` +
        `Please use CREATE ${planned.resultType} AS SELECT statement instead.`,
    );
  }
  if (replacing && planned.kind === 'aggregation') throw new UnsupportedError('CREATE OR REPLACE of an aggregation', stmt.text);
  if (replacing && planned.kind === 'join') throw new UnsupportedError('CREATE OR REPLACE of a join', stmt.text);
  const schema = planned.schema;
  const timestampColumn = timestampProp === undefined ? undefined : validateTimestampColumn(timestampProp, timestampFormat, schema);
  for (const key of keyColumns(schema)) assertKeyTypeAllowed(key.name, key.type);

  const formats = withRewrittenStatement(planned, stmt, () => {
    const resolved = resolveSinkFormats(props, ctx.config, source, schema);
    validateSerdes(schema, resolved);
    return resolved;
  });

  if (existing) assertUpgradeable(existing, schema);
  const topicPrefix = ctx.config['ksql.output.topic.name.prefix'] ?? '';
  const topicName = stringProp(props, 'KAFKA_TOPIC') ?? existing?.topic ?? `${topicPrefix}${stmt.name}`;
  if (existing && existing.topic !== topicName) {
    throw new KsqlError(
      `Cannot upgrade data source: DataSource '\`${existing.name}\`' has topic = ${existing.topic} which is not upgradeable to ${topicName}`,
    );
  }
  const sourceTopic = topics.get(source.topic);
  const partitions = intProp(props, 'PARTITIONS') ?? sourceTopic?.partitions ?? 1;
  const replicas = intProp(props, 'REPLICAS') ?? sourceTopic?.replicas ?? 1;
  const sinkTopic = topics.get(topicName);
  if (sinkTopic && props.PARTITIONS !== undefined && sinkTopic.partitions !== partitions) {
    throw topicConfigMismatchError(topicName, { partitions, replicas }, sinkTopic);
  }

  const seq = ctx.state.commandSequence++;
  // A replaced query keeps its id, and with it its consumer group: it continues where it was.
  const prefix = stmt.sourceType === 'STREAM' ? 'CSAS' : 'CTAS';
  const queryId = replacing?.id ?? `${prefix}_${queryIdPart(stmt.name)}_${seq}`;
  const sink: DataSource = {
    ...declaredSource(stmt, {
      schema,
      topic: topicName,
      formats,
      timestampColumn,
      window: planned.kind === 'aggregation' ? (planned.window ?? source.window) : source.window,
      isSource: false,
    }),
    createdByQueryId: queryId,
  };
  const info: PersistentQueryInfo = {
    id: queryId,
    statementText: stmt.text,
    sinkName: stmt.name,
    sinkTopic: topicName,
    sourceNames: 'sourceNames' in planned ? [...planned.sourceNames] : [source.name],
    kind: 'CREATE_AS',
  };
  const common = {
    queryId,
    source,
    sink,
    ...(timestampColumn ? { sinkTimestamp: sinkTimestampFor(schema, timestampColumn.column, timestampColumn.format) } : {}),
    properties: { ...ctx.config },
  };
  const stateTopics = planned.kind === 'aggregation' ? stateStoreTopics(queryId, ctx, planned.pipeline.sourceIsTable) : undefined;
  const plan: PersistentQueryPlan =
    planned.kind === 'aggregation'
      ? { ...common, kind: 'aggregation', pipeline: planned.pipeline, stateTopics: stateTopics!, ...('join' in planned ? { join: planned.join } : {}) }
      : planned.kind === 'join'
        ? { ...common, kind: 'join', pipeline: planned.pipeline }
        : { ...common, kind: 'stream', pipeline: planned.pipeline };

  if (!sinkTopic) {
    const creation = { name: topicName, partitions, replicas };
    topics.put(creation);
    await ctx.effects.createTopic(creation);
  }
  if (stateTopics) {
    const sourcePartitions = sourceTopic?.partitions ?? partitions;
    for (const name of [stateTopics.aggregateChangelog, stateTopics.sourceTableChangelog]) {
      if (name === undefined || topics.has(name)) continue;
      const creation = { name, partitions: sourcePartitions, replicas, config: CHANGELOG_TOPIC_CONFIG };
      topics.put(creation);
      await ctx.effects.createTopic(creation);
    }
  }
  if (replacing) {
    queries.remove(replacing.id);
    await ctx.effects.stopPersistentQuery(replacing.id);
  }
  metastore.putSource(sink, replacing !== undefined);
  queries.add(info);
  await ctx.effects.recordCommand(stmt.text, ctx.overrides);
  await ctx.effects.startPersistentQuery(info, plan);
  return currentStatusEntity(
    stmt.text,
    commandId(stmt.sourceType, stmt.name, 'create'),
    { status: 'SUCCESS', message: `Created query with ID ${queryId}`, queryId },
    seq,
  );
}

/**
 * ksqlDB raises format errors of an aggregation's sink after rewriting the statement, so they
 * name the rewritten statement (see formatted-statement.ts) rather than the text as sent.
 */
function withRewrittenStatement<T>(planned: PlannedQuery, stmt: CreateAsSelect, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (planned.kind !== 'aggregation' || !(err instanceof KsqlError) || err instanceof KsqlStatementError) throw err;
    throw new KsqlStatementError(err.message, {
      statementText: formatAggregateCreateAsSelect(stmt, planned.analysis),
      category: err.category,
      cause: err,
    });
  }
}

/** The changelog topics of an aggregation's state stores, named as Kafka Streams names them. */
function stateStoreTopics(queryId: string, ctx: StatementContext, sourceIsTable: boolean): StateStoreTopics {
  const applicationId = consumerGroupId(queryId, ctx.config['ksql.service.id'] ?? 'default_');
  return {
    aggregateChangelog: changelogTopicName(applicationId, AGGREGATE_STORE),
    ...(sourceIsTable ? { sourceTableChangelog: changelogTopicName(applicationId, SOURCE_TABLE_STORE) } : {}),
  };
}

/** CREATE OR REPLACE ... AS SELECT replaces the query that populates an existing stream. */
function replaceableQuery(existing: DataSource, stmt: CreateAsSelect, ctx: StatementContext): PersistentQueryInfo {
  const typeLower = sourceTypeLower(stmt.sourceType);
  if (existing.isSource) {
    throw new KsqlError(`Cannot add ${typeLower} '${stmt.name}': CREATE OR REPLACE is not supported on source ${typeLower}s.`);
  }
  if (existing.type !== stmt.sourceType) {
    throw new KsqlError(`Incompatible data source type is ${existing.type}, but statement was CREATE ${stmt.sourceType}`);
  }
  const query = existing.createdByQueryId ? ctx.state.queries.get(existing.createdByQueryId) : undefined;
  if (!query) throw new UnsupportedError('CREATE OR REPLACE ... AS SELECT over a stream no running query creates', stmt.text);
  return query;
}

/** Line/column of the INSERT target in the request, as ksqlDB's AstBuilder reports it. */
function targetLocation(stmt: InsertInto): { line: number; column: number } | undefined {
  if (!stmt.loc) return undefined;
  const m = /^(\s*INSERT\s+INTO\s+)/i.exec(stmt.text);
  if (!m) return undefined;
  const before = m[1]!;
  const lines = before.split('\n');
  if (lines.length === 1) return { line: stmt.loc.line, column: stmt.loc.column + before.length };
  return { line: stmt.loc.line + lines.length - 1, column: lines[lines.length - 1]!.length };
}

function schemasCompatible(a: LogicalSchema, b: LogicalSchema): boolean {
  return (
    a.columns.length === b.columns.length &&
    a.columns.every((c, i) => {
      const d = b.columns[i]!;
      return c.name === d.name && c.namespace === d.namespace && sqlTypeEquals(c.type, d.type);
    })
  );
}


export async function executeInsertInto(stmt: InsertInto, ctx: StatementContext): Promise<KsqlEntity> {
  const { metastore, queries } = ctx.state;
  const target = metastore.getSource(stmt.target);
  if (!target) throw unknownSourceError(stmt.target, targetLocation(stmt));
  if (target.type === 'TABLE') {
    throw new KsqlError(`INSERT INTO can only be used to insert into a stream. ${target.name} is a table.`);
  }
  if (target.isSource) throw new KsqlError(`Cannot insert into read-only stream: ${target.name}`);

  const source = sourceOf(stmt.query, ctx);
  const planned = planQuery(stmt.query, target.name, ctx);
  if (planned.resultType !== target.type) {
    throw new KsqlError(
      `Incompatible data sink and query result. Data sink (${target.name}) type is K${target.type} ` +
        `but select query result is K${planned.resultType}.`,
    );
  }
  const resultSchema = planned.schema;
  const sinkSchema = orderedSchema(target.schema);
  if (!schemasCompatible(resultSchema, sinkSchema)) {
    throw new KsqlError(
      'Incompatible schema between results and sink.\n' +
        `Result schema is ${formatSchema(resultSchema.columns)}\n` +
        `Sink schema is ${formatSchema(sinkSchema.columns)}`,
    );
  }

  const seq = ctx.state.commandSequence++;
  const queryId = `INSERTQUERY_${seq}`;
  const info: PersistentQueryInfo = {
    id: queryId,
    statementText: stmt.text,
    sinkName: target.name,
    sinkTopic: target.topic,
    sourceNames: 'sourceNames' in planned ? [...planned.sourceNames] : [source.name],
    kind: 'INSERT',
  };
  const ts = target.timestampColumn;
  const common = {
    queryId,
    source,
    sink: target,
    ...(ts ? { sinkTimestamp: sinkTimestampFor(sinkSchema, ts.column, ts.format) } : {}),
    properties: { ...ctx.config },
  };
  const plan: PersistentQueryPlan =
    planned.kind === 'join' ? { ...common, kind: 'join', pipeline: planned.pipeline } : { ...common, kind: 'stream', pipeline: planned.pipeline };
  queries.add(info);
  await ctx.effects.recordCommand(stmt.text, ctx.overrides);
  await ctx.effects.startPersistentQuery(info, plan);
  return currentStatusEntity(
    stmt.text,
    commandId('STREAM', target.name, 'create'),
    { status: 'SUCCESS', message: `Created query with ID ${queryId}`, queryId },
    seq,
  );
}
