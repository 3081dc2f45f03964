/**
 * Informational statements: SHOW/LIST, DESCRIBE, DEFINE/UNDEFINE, SET/UNSET. None of them
 * changes the catalogue; SET and DEFINE only change this request's state.
 */
import type { KsqlEntity } from '../api.js';
import { KsqlError, UnsupportedError } from '../errors.js';
import { describeFunctionEntity, showFunctionsEntity } from '../functions/entities.js';
import type { DataSource } from '../metastore/types.js';
import type { DefineVariable, Describe, DescribeFunction, Explain, SetProperty, Show, UndefineVariable, UnsetProperty } from '../parser/ast.js';
import type { PersistentQueryInfo } from '../metastore/query-registry.js';
import type { StatementContext } from './context.js';
import {
  entity,
  kafkaTopicsEntity,
  kafkaTopicsExtendedEntity,
  persistentRunningQuery,
  propertiesEntity,
  queriesEntity,
  queryDescription,
  queryDescriptionEntity,
  queryDescriptionListEntity,
  sourceDescription,
  sourceDescriptionEntity,
  sourceDescriptionListEntity,
  sourceListEntity,
  variablesEntity,
  warningEntity,
  type PropertyEntry,
  type RunningQueryInfo,
} from './entities.js';
import { canonicalPropertyName, DEFAULT_PROPERTIES, QUERY_LEVEL_PROPERTIES, validatePropertyValue } from './properties.js';

export function executeShow(stmt: Show, ctx: StatementContext): KsqlEntity {
  const { metastore } = ctx.state;
  switch (stmt.what) {
    case 'STREAMS':
    case 'TABLES': {
      const kind = stmt.what === 'STREAMS' ? 'STREAM' : 'TABLE';
      if (stmt.extended) {
        const sources = metastore
          .listSources()
          .filter((s) => s.type === kind)
          .sort((a, b) => a.name.localeCompare(b.name));
        return sourceDescriptionListEntity(stmt.text, sources.map((s) => describeSource(s, ctx, true)));
      }
      return sourceListEntity(stmt.text, kind, metastore.listSources());
    }
    case 'TOPICS':
    case 'ALL TOPICS': {
      const topics = ctx.state.topics.list().filter((t) => stmt.what === 'ALL TOPICS' || !t.name.startsWith('_'));
      if (stmt.extended) {
        return kafkaTopicsExtendedEntity(
          stmt.text,
          topics.map((topic) => {
            const readers = ctx.state.queries.list().filter((q) =>
              q.sourceNames.some((n) => metastore.getSource(n)?.topic === topic.name),
            ).length;
            return { topic, consumerGroupCount: readers, consumerCount: readers * topic.partitions };
          }),
        );
      }
      return kafkaTopicsEntity(stmt.text, topics);
    }
    case 'QUERIES':
      if (stmt.extended) return queryDescriptionListEntity(stmt.text, ctx.state.queries.list().map((q) => describePersistentQuery(q, ctx)));
      return queriesEntity(stmt.text, allRunningQueries(ctx));
    case 'PROPERTIES':
      return showProperties(stmt, ctx);
    case 'FUNCTIONS':
      return showFunctionsEntity(ctx.services.functions, stmt.text) as unknown as KsqlEntity;
    case 'VARIABLES':
      return variablesEntity(stmt.text, ctx.variables);
    case 'TYPES':
      // No CREATE TYPE yet, so there are no custom types to list.
      return entity('type_list', stmt.text, { types: {} });
    default:
      throw new UnsupportedError(`SHOW ${stmt.what}`, stmt.text);
  }
}

export function allRunningQueries(ctx: StatementContext): RunningQueryInfo[] {
  return [
    ...ctx.state.queries.list().map((q) => persistentRunningQuery(q, ctx.services.persistentQueryState(q.id))),
    ...ctx.services.transientQueries(),
  ];
}

function showProperties(stmt: Show, ctx: StatementContext): KsqlEntity {
  const names = new Set([...Object.keys(DEFAULT_PROPERTIES), ...Object.keys(ctx.config)]);
  const entries: PropertyEntry[] = [...names].sort().map((name) => ({
    name,
    value: ctx.config[name] ?? DEFAULT_PROPERTIES[name] ?? '',
    level: QUERY_LEVEL_PROPERTIES.has(name) ? 'QUERY' : 'SERVER',
    editable: QUERY_LEVEL_PROPERTIES.has(name),
  }));
  const overwritten = Object.keys(ctx.overrides).sort();
  const defaults = [...names].filter((n) => ctx.config[n] === undefined).sort();
  return propertiesEntity(stmt.text, entries, overwritten, defaults);
}

export function describeSource(source: DataSource, ctx: StatementContext, extended: boolean): Record<string, unknown> {
  const state = (id: string) => ctx.services.persistentQueryState(id);
  const readQueries = ctx.state.queries.readersOf(source.name).map((q) => persistentRunningQuery(q, state(q.id)));
  const writeQueries = ctx.state.queries.writersOf(source.name).map((q) => persistentRunningQuery(q, state(q.id)));
  const topic = ctx.state.topics.get(source.topic);
  return sourceDescription(source, { readQueries, writeQueries, extended, ...(topic ? { topic } : {}) });
}

function describePersistentQuery(q: PersistentQueryInfo, ctx: StatementContext): Record<string, unknown> {
  const sink = ctx.state.metastore.getSource(q.sinkName);
  return queryDescription({
    id: q.id,
    statementText: q.statementText,
    ...(sink ? { sink } : {}),
    sourceNames: q.sourceNames,
    sinkNames: [q.sinkName],
    queryType: 'PERSISTENT',
    state: ctx.services.persistentQueryState(q.id),
    overriddenProperties: {},
  });
}

/** EXPLAIN <query id>; explaining a statement without running it is not implemented. */
export function executeExplain(stmt: Explain, ctx: StatementContext): KsqlEntity {
  if (stmt.queryId === undefined) throw new UnsupportedError('EXPLAIN of a statement', stmt.text);
  const q = ctx.state.queries.get(stmt.queryId) ?? ctx.state.queries.list().find((x) => x.id.toUpperCase() === stmt.queryId!.toUpperCase());
  if (!q) throw new KsqlError(`Query with id:${stmt.queryId} does not exist, use SHOW QUERIES to view the full set of running queries.`);
  return queryDescriptionEntity(stmt.text, describePersistentQuery(q, ctx));
}

export function executeDescribe(stmt: Describe, ctx: StatementContext): KsqlEntity {
  const source = ctx.state.metastore.getSource(stmt.name);
  if (!source) throw new KsqlError(`Could not find STREAM/TABLE '${stmt.name}' in the Metastore`);
  return sourceDescriptionEntity(stmt.text, describeSource(source, ctx, stmt.extended));
}

export function executeDescribeFunction(stmt: DescribeFunction, ctx: StatementContext): KsqlEntity {
  return describeFunctionEntity(ctx.services.functions, stmt.name, stmt.text) as unknown as KsqlEntity;
}

/** Variable names are case-insensitive in ksqlDB; they are stored under their upper-cased name. */
function findVariable(vars: Map<string, string>, name: string): string | undefined {
  const upper = name.toUpperCase();
  return [...vars.keys()].find((k) => k.toUpperCase() === upper);
}

export function executeDefine(stmt: DefineVariable, ctx: StatementContext): null {
  const existing = findVariable(ctx.variables, stmt.name);
  if (existing !== undefined) ctx.variables.delete(existing);
  ctx.variables.set(stmt.name, stmt.value);
  return null;
}

export function executeUndefine(stmt: UndefineVariable, ctx: StatementContext): KsqlEntity | null {
  const existing = findVariable(ctx.variables, stmt.name);
  if (existing === undefined) {
    return warningEntity(stmt.text, `Cannot undefine variable '${stmt.name}' which was never defined`);
  }
  ctx.variables.delete(existing);
  return null;
}

/** SET/UNSET change the properties of the statements that follow in the same request. */
export function executeSet(stmt: SetProperty, ctx: StatementContext): null {
  validatePropertyValue(stmt.name, stmt.value);
  ctx.overrides[canonicalPropertyName(stmt.name)] = stmt.value;
  return null;
}

export function executeUnset(stmt: UnsetProperty, ctx: StatementContext): null {
  delete ctx.overrides[canonicalPropertyName(stmt.name)];
  return null;
}
