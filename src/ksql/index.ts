export { KsqlDbClient } from './client.js';
export type { KsqlClientOptions, RequestOptions, KsqlEntity, QueryMetadata, QueryResult, PushQuery, InsertAck } from './client.js';
export { KsqlDbError } from './errors.js';
export { parseKsqlJson, stringifyKsqlJson } from './json.js';
