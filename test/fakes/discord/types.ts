/**
 * The public shapes of the fake Discord: its options, what it records (calls, messages,
 * files, interaction replies) and the controls a test drives it with. Kept apart from the
 * servers so the files that implement the gateway and the REST routes share one vocabulary;
 * `discord.ts` re-exports every name here.
 */

export interface FakeDiscordOptions {
  applicationId?: string;
  botUserId?: string;
  /** Interaction tokens stop working after this long (real time), like Discord's 15 min. */
  interactionTokenTtlMs?: number;
  /**
   * Edits of messages older than this (real time) are refused with 30046, like Discord's
   * limit on editing messages older than an hour. Default: one hour.
   */
  oldMessageEditAgeMs?: number;
  /**
   * Servers the bot is in: READY lists them as unavailable and a GUILD_CREATE for each
   * follows, as Discord does, so discord.js caches them (and their channels) before ready.
   */
  guilds?: FakeGuild[];
}

export interface FakeGuild {
  id: string;
  /** Boost tier, 0 to 3, sent as `premium_tier`. */
  premiumTier: number;
  /** Its text channels. */
  channelIds: string[];
  /** Its roles besides @everyone (whose id is the server's), sent with GUILD_CREATE. */
  roleIds?: string[];
}

export interface RecordedCall {
  method: string;
  /** The path after /api/v10, query excluded. */
  path: string;
  /** The JSON body, or the `payload_json` part of a multipart body. */
  body?: Record<string, unknown>;
  files: RecordedFile[];
  status: number;
}

export interface RecordedFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface FakeMessage {
  id: string;
  channelId: string;
  content: string;
  embeds: Record<string, unknown>[];
  attachments: RecordedFile[];
  nonce?: string;
  allowedMentions?: unknown;
  /** The message's components (rows of buttons), as last posted or edited. */
  components: Record<string, unknown>[];
  edits: number;
  /** When it was posted (real ms); `ageMessage` moves it back. */
  createdAt: number;
}

export interface InteractionReply {
  deferred: boolean;
  ephemeral: boolean;
  content?: string;
  /** The message components of the answer (rows of buttons), as last sent or edited. */
  components?: Record<string, unknown>[];
  /** The embeds of the answer, as last sent or edited. */
  embeds?: Record<string, unknown>[];
}

/** A file a user attaches: to a slash command's attachment option or a modal's file upload. */
export interface FakeUpload {
  filename: string;
  /** e.g. `image/png`. */
  contentType: string;
}

/**
 * A slash command option's value: a string option (type 3), an integer option (4), or an
 * attachment option (11, the file then listed in `resolved.attachments`).
 */
export type SlashOptionValue = string | number | FakeUpload;

export interface SlashCommand {
  name: string;
  options?: Record<string, SlashOptionValue>;
  channelId: string;
  userId: string;
  guildId?: string;
  /** The member's role ids, sent as `member.roles`. */
  roles?: string[];
  /** Sent as `attachment_size_limit`, the upload cap Discord reports for the place. */
  attachmentSizeLimit?: number;
  /** Sent as `app_permissions` (a decimal bit set); all the bot needs by default. */
  appPermissions?: string;
}

/** What a user is typing into an option that offers autocomplete. */
export interface AutocompleteRequest {
  name: string;
  /** The option being typed in. */
  option: string;
  /** What has been typed so far. */
  value: string;
  channelId: string;
  userId: string;
  guildId?: string;
}

/** The bot's answer to an autocomplete request (callback type 8). */
export interface AutocompleteAnswer {
  choices: { name: string; value: string }[];
  /** Real ms from dispatch to the answer. */
  afterMs: number;
}

/** The modal a bot answered an interaction with (callback type 9), as sent. */
export interface FakeModal {
  customId: string;
  title: string;
  /** Label components (type 18), each holding one field under `component`. */
  components: ModalLabel[];
}

/** A Label (type 18) of a modal, with its field. */
export interface ModalLabel {
  type: number;
  label: string;
  description?: string;
  component: ModalFieldComponent;
}

/** A modal field as the bot sends it: a select (3), a text input (4) or a file upload (19). */
export interface ModalFieldComponent {
  type: number;
  custom_id: string;
  required?: boolean;
  /** Text input: the pre-filled text. */
  value?: string;
  placeholder?: string;
  max_length?: number;
  style?: number;
  /** Select: its options, the pre-selected ones with `default: true`. */
  options?: { label: string; value: string; description?: string; default?: boolean }[];
  /** File upload. */
  file_types?: string[];
  max_values?: number;
  min_values?: number;
}

/** What a user enters in one modal field. */
export type ModalFieldValue =
  | { kind: 'select'; values: string[] }
  | { kind: 'text'; value: string }
  | { kind: 'files'; files: FakeUpload[] };

/** A modal submission (interaction type 5), its fields by custom id. */
export interface ModalSubmission {
  /** The modal's custom id. */
  customId: string;
  fields: Record<string, ModalFieldValue>;
  channelId: string;
  userId: string;
  guildId?: string;
  /** The member's role ids, sent as `member.roles`. */
  roles?: string[];
}

/**
 * A click on a button (interaction type 3): of the bot's answer to an earlier interaction
 * (`answerOf`), or of a message the bot posted in a channel (`messageId`).
 */
export type ButtonClick = {
  customId: string;
  userId: string;
  /** The member's role ids, sent as `member.roles`. */
  roles?: string[];
} & ({ answerOf: string } | { messageId: string });

/** A channel picked in a channel select (type 8) of the bot's answer to an interaction. */
export interface ChannelPick {
  /** The interaction whose answer carries the select. */
  answerOf: string;
  customId: string;
  userId: string;
  /** The channel picked. */
  channelId: string;
}

/** An answer to give instead of the normal one. A 429 always carries Retry-After. */
export type InjectedError =
  | { kind: 'error'; status: number; code: number; message: string }
  | { kind: 'rate-limit'; retryAfterSeconds: number };

export interface FakeDiscord {
  /** For `rest.api`, e.g. http://127.0.0.1:PORT/api */
  readonly apiUrl: string;
  readonly calls: RecordedCall[];
  readonly messages: FakeMessage[];
  /** Interaction replies by interaction id. */
  readonly replies: Map<string, InteractionReply>;
  /** Autocomplete answers by interaction id. */
  readonly autocompletes: Map<string, AutocompleteAnswer>;
  /** The modals the bot answered with, by interaction id. */
  readonly modals: Map<string, FakeModal>;
  /** Gateway sessions that sent IDENTIFY. */
  identifies(): number;
  /** Dispatches INTERACTION_CREATE to every identified session; returns the interaction id. */
  sendSlashCommand(command: SlashCommand): string;
  /** Dispatches APPLICATION_COMMAND_AUTOCOMPLETE (type 4); returns the interaction id. */
  sendAutocomplete(request: AutocompleteRequest): string;
  /**
   * Dispatches MODAL_SUBMIT (type 5) with each field in a Label, uploads listed in
   * `resolved.attachments`, as Discord sends it; returns the interaction id.
   */
  sendModalSubmit(submission: ModalSubmission): string;
  /**
   * Dispatches MESSAGE_COMPONENT (type 3) for a button of an earlier answer; throws when that
   * answer has no such button. Returns the interaction id.
   */
  clickButton(click: ButtonClick): string;
  /**
   * Dispatches MESSAGE_COMPONENT for a channel select of an earlier answer, with one channel
   * picked; throws when that answer has no such select. Returns the interaction id.
   */
  pickChannel(pick: ChannelPick): string;
  /**
   * Delivers an interaction again, same id and payload, with a fresh token so it can be
   * answered again: what a second delivery of one event (a replay, a second instance) does.
   */
  redeliverInteraction(interactionId: string): void;
  /** Queues answers for the next calls to `METHOD /path` (path after /api/v10). */
  inject(method: string, path: string, ...errors: InjectedError[]): void;
  /** Makes every interaction token issued so far invalid, as 15 minutes would. */
  expireInteractionTokens(): void;
  /** Uploads larger than this (total bytes) to the channel get 413 / 40005. */
  setUploadLimit(channelId: string, bytes: number): void;
  /** Makes a message older by `ms`, so edits past `oldMessageEditAgeMs` get 30046. */
  ageMessage(messageId: string, ms: number): void;
  /**
   * The next channel message with attachments posted to `channelId` is stored, but the
   * answer to it is held back (until `releaseHeldUploads` or `close`), as when the bot dies
   * mid-upload or the upload is slow.
   */
  holdNextUpload(channelId: string): void;
  /** The next message posted in the channel (a status card too) is kept, its answer held. */
  holdNextPost(channelId: string): void;
  /** The next channel message with attachments posted to `channelId` gets `error` instead. */
  refuseNextUpload(channelId: string, error: InjectedError): void;
  /** The next interaction callback (a reply or a deferral, any interaction) gets `error`. */
  refuseNextInteractionCallback(error: InjectedError): void;
  /** Uploads stored whose answers are still held back. */
  heldUploads(): number;
  /** Sends the held-back answers: the slow uploads finish. */
  releaseHeldUploads(): void;
  /** Deletes a message, as a moderator would; edits then get 404 / 10008. */
  deleteMessage(messageId: string): void;
  messagesIn(channelId: string): FakeMessage[];
  close(): Promise<void>;
}
