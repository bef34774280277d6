/**
 * The shape of the model catalogue: what the bot knows about each video model the service
 * sells, so it can name it, schedule its polls and estimate its end.
 */

/** The service's families of models; "other" for a model the catalogue does not know. */
export type FamilyId = 'sora' | 'veo' | 'seedance' | 'grok' | 'vidu' | 'videos' | 'other';

/** The clip lengths a model can make, in seconds. */
export interface ClipLengths {
  /** The only lengths on offer, when the docs list them (Sora: 4, 8, 12; VEO: 8). */
  choices?: readonly number[];
  min: number;
  max: number;
  /** What the service makes when no length is asked for. */
  default?: number;
}

/** One documented time range: from creation to the end, as the service's docs give it. */
export interface DocumentedTime {
  /** The clip lengths (s, inclusive) it applies to; absent: every length. */
  clipSeconds?: readonly [number, number];
  /** The resolution it applies to ("720p"); absent: every resolution. */
  resolution?: string;
  /** A create mode it applies to ("reference images"); absent: the usual mode. */
  mode?: string;
  /** [low, high] in ms, read as the central 95 % of a normal spread. */
  totalMs: readonly [number, number];
}

/** How the model's tasks are created. Left open here: the create issue fills it. */
export interface CreateSpec {
  /** The service's path, e.g. "/v1/veo/videos". */
  endpoint: string;
}

/** What the catalogue says of one model. */
export interface ModelInfo {
  /** The service's model id, as in the task's `model` field. */
  id: string;
  family: FamilyId;
  /** How people call it: "VEO 3.1 Fast", "Sora 2 Pro"; the raw id for an unknown model. */
  displayName: string;
  clips: ClipLengths;
  /** The resolutions on offer, when the docs list them. */
  resolutions?: readonly string[];
  times: readonly DocumentedTime[];
  /**
   * The clip lengths that stand for the model's tasks while a task's length is unknown: one
   * per distinct documented time, weighted equally until finished tasks say otherwise.
   */
  typicalClips: readonly number[];
  /** False for an unknown model: its figures are a wide generic guess. */
  known: boolean;
  create?: CreateSpec;
}

/** A catalogue entry: a model's facts, without what is filled in from its id. */
export type ModelEntry = Omit<ModelInfo, 'id' | 'known'>;

/** A family's facts for its models the catalogue does not list by id. */
export interface FamilyEntry {
  id: Exclude<FamilyId, 'other'>;
  /** "VEO", "Seedance". */
  displayName: string;
  /** Model ids of this family that have no entry of their own. */
  matches: RegExp;
  /** The facts such a model gets; its display name is its id. */
  defaults: Omit<ModelEntry, 'family' | 'displayName'>;
}
