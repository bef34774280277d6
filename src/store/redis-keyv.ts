/**
 * A Keyv on Redis through @keyv/redis, with a connection that neither hangs a call nor
 * outlives `disconnect()`.
 *
 * - Connecting starts at once, not on first use: the adapter's lazy connect bounds its wait
 *   with a timer it never clears, and lets calls made meanwhile jump ahead unconnected.
 * - Each command, its wait for a (re)connection included, fails after `operationTimeoutMs`;
 *   lost connections are retried in the background, with the adapter's capped back-off.
 * - node-redis leaves a socket open if it is closed during a connection handshake, so
 *   `disconnect()` first lets a connection attempt in progress finish.
 * - The adapter prefixes keys with the namespace itself (`ns::key`), so Keyv's own prefix
 *   is turned off, as @keyv/redis's `createKeyv` does, to avoid `ns::ns:key`.
 */
import { setTimeout as delay } from 'node:timers/promises';
import KeyvRedis, {
  createClient,
  defaultReconnectStrategy,
  type KeyvRedisOptions,
  type RedisConnectionClientType,
} from '@keyv/redis';
import { Keyv } from 'keyv';

export interface RedisKeyvOptions {
  namespace: string;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
}

export function openRedisKeyv(url: string, options: RedisKeyvOptions): Keyv {
  const client = createClient({
    url,
    commandOptions: { timeout: options.operationTimeoutMs },
    socket: {
      connectTimeout: options.connectTimeoutMs,
      reconnectStrategy: defaultReconnectStrategy,
    },
  });
  const adapter = new RedisAdapter(
    client,
    { namespace: options.namespace, throwOnErrors: true, throwOnConnectError: true },
    options.connectTimeoutMs,
  );
  return new Keyv(adapter, {
    namespace: options.namespace,
    useKeyPrefix: false,
    throwOnErrors: true,
  });
}

class RedisAdapter extends KeyvRedis<unknown> {
  readonly #redis: RedisConnectionClientType;
  /** Settles true once connected, false if connecting failed for good. */
  readonly #connected: Promise<boolean>;
  readonly #connectTimeoutMs: number;

  constructor(
    client: RedisConnectionClientType,
    options: KeyvRedisOptions,
    connectTimeoutMs: number,
  ) {
    super(client, options);
    this.#redis = client;
    this.#connectTimeoutMs = connectTimeoutMs;
    // Failed attempts are retried in the background and reported through the error event.
    this.#connected = client.connect().then(
      () => true,
      () => false,
    );
  }

  override async disconnect(): Promise<void> {
    const timeout = new AbortController();
    const connected = await Promise.race([
      this.#connected,
      delay(this.#connectTimeoutMs, false, { signal: timeout.signal }).catch(() => false),
    ]);
    timeout.abort();
    if (connected && this.#redis.isReady) await this.#redis.close();
    else this.#redis.destroy();
  }
}
