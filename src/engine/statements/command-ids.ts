/** ksqlDB's CommandIdAssigner spelling of command ids (`stream/`NAME`/create`). */
export function commandId(type: 'STREAM' | 'TABLE', name: string, action: 'create' | 'drop' | 'alter'): string {
  const t = type === 'STREAM' ? 'stream' : 'table';
  return action === 'create' ? `${t}/\`${name}\`/create` : `${t}/${name}/${action}`;
}

export function terminateCommandId(queryId: string): string {
  return `terminate/${queryId}/execute`;
}
