/**
 * `ksml engine`: the local engine behind ksqlDB's REST API, over the file log or (--kafka, or
 * KAFKA_BOOTSTRAP_SERVERS) Kafka, until SIGINT or SIGTERM asks it to shut down.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { startLocalKsqlDb } from '../../engine/embedded.js';
import { parseBrokerList } from '../../log/kafka/options.js';
import { createLogger } from '../../logging.js';
import { stopOnSignal } from '../shutdown.js';

export interface EngineCommandOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Kafka bootstrap servers: run over Kafka instead of the file log. */
  readonly kafka?: string[];
  readonly user?: string;
  readonly password?: string;
  readonly extensionDir?: string;
  readonly property: Record<string, string>;
}

export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be an integer between 0 and 65535.');
  }
  return port;
}

/** Collects repeated `--property key=value` options into one map. */
export function collectProperty(text: string, previous: Record<string, string>): Record<string, string> {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq).trim();
  if (!key) throw new InvalidArgumentError(`expected key=value, got '${text}'.`);
  return { ...previous, [key]: text.slice(eq + 1) };
}

export function parseKafkaBrokers(text: string): string[] {
  try {
    return parseBrokerList(text);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function nonEmpty(what: string): (text: string) => string {
  return (text) => {
    if (text.trim() === '') throw new InvalidArgumentError(`${what} must not be empty.`);
    return text;
  };
}

export function registerEngineCommand(program: Command): void {
  program
    .command('engine')
    .description("run the local ksqlDB-compatible engine and serve ksqlDB's REST API")
    .addOption(new Option('--port <port>', 'REST port (0 = any free port)').argParser(parsePort).default(8088))
    .addOption(new Option('--host <host>', 'address to listen on').argParser(nonEmpty('host')).default('127.0.0.1'))
    .addOption(new Option('--data-dir <dir>', 'directory of the file topic log').argParser(nonEmpty('data dir')).default('.data/engine'))
    .addOption(
      new Option('--kafka <host:port[,host:port]>', 'run over Kafka at these bootstrap servers instead of the file log')
        .env('KAFKA_BOOTSTRAP_SERVERS')
        .argParser(parseKafkaBrokers),
    )
    .option('--user <name>', 'require HTTP basic authentication with this user name')
    .option('--password <password>', 'password for --user')
    .addOption(new Option('--extension-dir <dir>', 'directory of extension modules (UDFs)').argParser(nonEmpty('extension dir')))
    .addOption(
      new Option('--property <key=value>', 'server-level ksqlDB property (repeatable)').argParser(collectProperty).default({}),
    )
    .action(async (opts: EngineCommandOptions, command: Command) => {
      if ((opts.user === undefined) !== (opts.password === undefined)) {
        command.error('error: --user and --password must be given together');
      }
      await runEngine(opts);
    });
}

async function runEngine(opts: EngineCommandOptions): Promise<void> {
  const logger = createLogger('ksml-engine');
  const kafka = opts.kafka;
  const server = await startLocalKsqlDb({
    port: opts.port,
    host: opts.host,
    ...(kafka !== undefined ? { log: { kind: 'kafka', brokers: kafka, clientId: 'ksml-engine', logger } } : { dataDir: opts.dataDir }),
    properties: opts.property,
    logger,
    ...(opts.extensionDir !== undefined ? { extensionDir: opts.extensionDir } : {}),
    ...(opts.user !== undefined && opts.password !== undefined ? { auth: { username: opts.user, password: opts.password } } : {}),
  });
  const where = kafka !== undefined ? `topic log: Kafka at ${kafka.join(',')}` : `topic log: files in ${opts.dataDir}`;
  console.log(`ksqlDB-compatible engine listening on ${server.url} (${where})`);

  await stopOnSignal(() => server.stop(), logger).done;
}
