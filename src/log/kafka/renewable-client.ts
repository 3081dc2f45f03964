/**
 * A kafkajs client (admin or producer) that is replaced when it goes stale.
 *
 * kafkajs keeps every topic a client has looked at in its metadata requests ("target topics")
 * and, once one of them is deleted by anyone else, fails each later metadata refresh with
 * UNKNOWN_TOPIC_OR_PARTITION, whatever topic the call is about. A new client starts without
 * them, so a call failing that way is retried once on a fresh client.
 */
import type { Logger } from 'pino';
import { hasKafkaErrorType } from './errors.js';

export interface ClientLifecycle<C> {
  readonly name: string;
  connect(): Promise<C>;
  disconnect(client: C): Promise<void>;
}

interface Connection<C> {
  readonly connecting: Promise<C>;
  client?: C;
}

export class RenewableClient<C> {
  private current: Connection<C> | undefined;
  private closed = false;

  constructor(
    private readonly lifecycle: ClientLifecycle<C>,
    private readonly logger: Logger,
  ) {}

  /**
   * Runs `op` on the client. `stillValid` decides, after an unknown-topic failure, whether
   * the topic really exists (then the client was stale and `op` runs again on a new one).
   */
  async use<T>(op: (client: C) => Promise<T>, stillValid?: () => Promise<boolean>): Promise<T> {
    const client = await this.get();
    try {
      return await op(client);
    } catch (err) {
      if (stillValid === undefined || !hasKafkaErrorType(err, 'UNKNOWN_TOPIC_OR_PARTITION')) throw err;
      if (!(await stillValid())) throw err;
      this.logger.debug({ client: this.lifecycle.name }, 'kafkajs client has a deleted topic in its metadata: renewing it');
      this.renew(client);
      return op(await this.get());
    }
  }

  /** Drops the client (unless another call renewed it already); the next use connects anew. */
  renew(stale?: C): void {
    const current = this.current;
    if (current === undefined || (stale !== undefined && current.client !== stale)) return;
    this.current = undefined;
    current.connecting
      .then((client) => this.lifecycle.disconnect(client))
      .catch((err: unknown) => this.logger.debug({ err }, 'disconnecting a stale kafkajs client failed'));
  }

  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = undefined;
    if (current === undefined) return;
    const client = await current.connecting.catch(() => undefined);
    if (client !== undefined) await this.lifecycle.disconnect(client);
  }

  private get(): Promise<C> {
    if (this.closed) return Promise.reject(new Error(`The ${this.lifecycle.name} is closed.`));
    if (this.current === undefined) {
      const connection: Connection<C> = { connecting: this.lifecycle.connect() };
      this.current = connection;
      connection.connecting.then(
        (client) => {
          connection.client = client;
        },
        // A failed connection is not kept: the next call tries again.
        () => {
          if (this.current === connection) this.current = undefined;
        },
      );
    }
    return this.current.connecting;
  }
}
