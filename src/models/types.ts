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

/**
 * How the model's tasks are created: the endpoint and the choices its body takes, as the
 * service documents them. A model without one can be watched but not created from here.
 */
export interface CreateSpec {
  /** The service's path, e.g. "/v1/veo/videos". */
  endpoint: string;
  /** The `size` values on offer (Sora: "720x1280"); absent: the model takes no `size`. */
  sizes?: readonly string[];
  /** The `aspect_ratio` values on offer. A model with sizes takes one or the other, not both. */
  aspectRatios: readonly string[];
  /**
   * How the clip length is asked for. 'choice': one of the model's `clips.choices`, in
   * `seconds` or `duration` (one of them), sent as asked. 'fixed': every clip has the
   * model's one length; asking for it is allowed and nothing is sent, any other is refused.
   */
  length: 'choice' | 'fixed';
  /** The `resolution` values on offer, the service's default first; absent: no `resolution`. */
  resolutions?: readonly string[];
  /** At most this many reference images (`input_reference`); 0: none. */
  maxReferenceImages: number;
  /** The body field the reference image URLs are sent in (a list). */
  referenceImagesField: 'image_urls' | 'input_reference';
  /** Whether the model takes first/last-frame mode (`first_frame`, `last_frame`). */
  frameMode: boolean;
  /** What the service may refuse that cannot be checked here, for a form to show. */
  notes?: string;
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
