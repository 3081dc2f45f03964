/**
 * DROP STREAM|TABLE [IF EXISTS] [DELETE TOPIC] and TERMINATE <id>|ALL, with ksqlDB's rules:
 * a source cannot be dropped while persistent queries read or write it, read-only sources keep
 * their topic, and TERMINATE of a transient query answers with terminate_query.
 */
import type { KsqlEntity } from '../api.js';
import { KsqlError } from '../errors.js';
import type { DropSource, Terminate } from '../parser/ast.js';
import type { StatementContext } from './context.js';
import { commandId, terminateCommandId } from './command-ids.js';
import { currentStatusEntity, terminateQueryEntity } from './entities.js';
import { consumerGroupId } from '../runtime/persistent-query.js';
import { stateTopicNames } from '../runtime/state/changelog.js';

export async function executeDrop(stmt: DropSource, ctx: StatementContext): Promise<KsqlEntity> {
  const { metastore, queries, topics } = ctx.state;
  const source = metastore.getSource(stmt.name);
  const id = commandId(stmt.sourceType, stmt.name, 'drop');
  if (!source) {
    if (!stmt.ifExists) throw new KsqlError(`Source ${stmt.name} does not exist.`);
    const seq = ctx.state.commandSequence++;
    await ctx.effects.recordCommand(stmt.text, ctx.overrides);
    return currentStatusEntity(stmt.text, id, { status: 'SUCCESS', message: `Source ${stmt.name} does not exist.`, queryId: null }, seq);
  }
  if (source.type !== stmt.sourceType) {
    throw new KsqlError(`Incompatible data source type is ${source.type}, but statement was DROP ${stmt.sourceType}`);
  }
  if (stmt.deleteTopic && source.isSource) {
    throw new KsqlError(`Cannot delete topic for read-only source: ${source.name}`);
  }
  queries.assertCanDrop(source.name);
  if (stmt.deleteTopic) {
    // TopicDeleteInjector: a topic other sources still use is not deleted.
    const others = metastore
      .sourcesForTopic(source.topic)
      .filter((s) => s.name !== source.name)
      .map((s) => s.name);
    if (others.length > 0) {
      throw new KsqlError(`Refusing to delete topic. Found other data sources (${others.join(', ')}) using topic ${source.topic}`);
    }
  }

  metastore.deleteSource(source.name);
  if (stmt.deleteTopic) {
    topics.delete(source.topic);
    await ctx.effects.deleteTopic(source.topic);
  }
  const seq = ctx.state.commandSequence++;
  await ctx.effects.recordCommand(stmt.text, ctx.overrides);
  return currentStatusEntity(
    stmt.text,
    id,
    { status: 'SUCCESS', message: `Source \`${source.name}\` (topic: ${source.topic}) was dropped.`, queryId: null },
    seq,
  );
}

export async function executeTerminate(stmt: Terminate, ctx: StatementContext): Promise<KsqlEntity> {
  const { queries } = ctx.state;
  if (stmt.all) {
    for (const q of queries.list()) await terminatePersistent(q.id, ctx);
    return terminated(stmt, ctx, 'ALL');
  }
  const id = stmt.queryId;
  const persistent = queries.get(id) ?? queries.list().find((q) => q.id.toUpperCase() === id.toUpperCase());
  if (persistent) {
    await terminatePersistent(persistent.id, ctx);
    return terminated(stmt, ctx, persistent.id);
  }
  const transient = ctx.services.transientQueries().find((q) => q.id === id || q.id.toUpperCase() === id.toUpperCase());
  if (transient) {
    const wasTerminated = ctx.effects.stopTransientQuery(transient.id);
    return terminateQueryEntity(stmt.text, transient.id, wasTerminated);
  }
  throw new KsqlError(`Unknown queryId: ${id}`);
}

/** Stops the query and, as ksqlDB's query cleanup does, deletes its internal (state) topics. */
async function terminatePersistent(id: string, ctx: StatementContext): Promise<void> {
  ctx.state.queries.remove(id);
  await ctx.effects.stopPersistentQuery(id);
  for (const topic of stateTopicNames(consumerGroupId(id, ctx.config['ksql.service.id'] ?? 'default_'))) {
    if (!ctx.state.topics.has(topic)) continue;
    ctx.state.topics.delete(topic);
    await ctx.effects.deleteTopic(topic);
  }
}

async function terminated(stmt: Terminate, ctx: StatementContext, id: string): Promise<KsqlEntity> {
  const seq = ctx.state.commandSequence++;
  await ctx.effects.recordCommand(stmt.text, ctx.overrides);
  return currentStatusEntity(stmt.text, terminateCommandId(id), { status: 'SUCCESS', message: 'Query terminated.', queryId: null }, seq);
}
