/**
 * Everything the fake Discord remembers, in one record shared by its gateway, its REST
 * routes and the controls a test holds: what was called and posted, the interaction tokens
 * handed out, the errors and held uploads queued by a test, the open gateway sessions, and
 * the counters behind snowflake ids and gateway sequence numbers.
 */
import type { WebSocket } from 'ws';
import type {
  AutocompleteAnswer,
  FakeDiscordOptions,
  FakeMessage,
  FakeModal,
  InjectedError,
  InteractionReply,
  RecordedCall,
} from './types.ts';

const DISCORD_EPOCH = 1420070400000n;

/** An interaction token, good for webhook edits until it is too old. */
export interface IssuedToken {
  interactionId: string;
  channelId: string;
  issuedAt: number;
}

export interface FakeDiscordState {
  readonly options: FakeDiscordOptions;
  readonly applicationId: string;
  readonly botUserId: string;
  /** e.g. http://127.0.0.1:PORT */
  readonly origin: string;
  readonly gatewayUrl: string;
  readonly calls: RecordedCall[];
  readonly messages: FakeMessage[];
  readonly replies: Map<string, InteractionReply>;
  readonly autocompletes: Map<string, AutocompleteAnswer>;
  readonly modals: Map<string, FakeModal>;
  /** Every INTERACTION_CREATE payload dispatched, by interaction id, for redelivery. */
  readonly interactions: Map<string, Record<string, unknown>>;
  /**
   * The message a component interaction came from, by interaction id: an answer (by the id of
   * the interaction it answered) or a channel message. An answer that updates that message
   * (a deferred update) edits it instead of giving an answer of its own.
   */
  readonly componentSources: Map<string, { answerOf: string } | { messageId: string }>;
  /** Component interactions answered with a (deferred) update of their message. */
  readonly updatingInteractions: Set<string>;
  /** Interaction tokens by token. */
  readonly tokens: Map<string, IssuedToken>;
  /** When each interaction was dispatched (real ms), by interaction id. */
  readonly dispatchedAt: Map<string, number>;
  /** Queued answers by `METHOD /path`. */
  readonly injected: Map<string, InjectedError[]>;
  readonly uploadLimits: Map<string, number>;
  /** Answers for the next uploads (messages with files) to a channel, by channel id. */
  readonly refusedUploads: Map<string, InjectedError[]>;
  /** Answers for the next interaction callbacks (replies and deferrals), in order. */
  readonly refusedCallbacks: InjectedError[];
  /** Channels whose next upload's answer is held back. */
  readonly holdUploadIn: Set<string>;
  /** Channels whose next message post, with or without files, is answered only on release. */
  readonly holdPostIn: Set<string>;
  readonly heldAnswers: (() => void)[];
  readonly sessions: Set<WebSocket>;
  /** Gateway sessions that sent IDENTIFY. */
  identified: number;
  /** The last gateway dispatch's sequence number. */
  sequence: number;
  /** A new id, unique within this fake and ordered by time like Discord's. */
  snowflake(): string;
}

export function createFakeDiscordState(
  options: FakeDiscordOptions,
  origin: string,
  gatewayUrl: string,
): FakeDiscordState {
  let idCounter = 0n;
  return {
    options,
    applicationId: options.applicationId ?? '100000000000000001',
    botUserId: options.botUserId ?? '100000000000000002',
    origin,
    gatewayUrl,
    calls: [],
    messages: [],
    replies: new Map(),
    autocompletes: new Map(),
    modals: new Map(),
    interactions: new Map(),
    componentSources: new Map(),
    updatingInteractions: new Set(),
    tokens: new Map(),
    dispatchedAt: new Map(),
    injected: new Map(),
    uploadLimits: new Map(),
    refusedUploads: new Map(),
    refusedCallbacks: [],
    holdUploadIn: new Set(),
    holdPostIn: new Set(),
    heldAnswers: [],
    sessions: new Set(),
    identified: 0,
    sequence: 0,
    snowflake: () => String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | ++idCounter),
  };
}
