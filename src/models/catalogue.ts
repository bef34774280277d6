/**
 * The catalogue, as data: every model the service documents, with its family, display name,
 * clip lengths, documented times and, for the models that can be created from here, the
 * create call's rules (from the service's docs, late 2026). Adding a model is one entry in
 * `MODELS`; a model of a known family without an entry is matched by the
 * family's pattern in `FAMILIES`.
 */
import type { CreateSpec, DocumentedTime, FamilyEntry, ModelEntry } from './types.ts';

const MIN = 60_000;

const SORA_TIMES: readonly DocumentedTime[] = [
  { clipSeconds: [4, 4], totalMs: [1 * MIN, 3 * MIN] },
  { clipSeconds: [8, 8], totalMs: [2 * MIN, 5 * MIN] },
  { clipSeconds: [12, 12], totalMs: [3 * MIN, 8 * MIN] },
];

const SORA = {
  family: 'sora',
  clips: { choices: [4, 8, 12], min: 4, max: 12, default: 4 },
  resolutions: ['720p'],
  times: SORA_TIMES,
  typicalClips: [4, 8, 12],
  create: {
    endpoint: '/v1/sora/videos',
    sizes: ['720x1280', '1280x720'],
    aspectRatios: ['9:16', '16:9'],
    length: 'choice',
    maxReferenceImages: 1,
    // What the service takes today; it also reads `input_reference`.
    referenceImagesField: 'image_urls',
    frameMode: false,
    notes:
      "The reference image must have the video's orientation (720x1280 for 9:16, 1280x720 for 16:9). " +
      "Real people's portraits are likely to be refused. OpenAI shut its own Sora 2 API down on " +
      '2026-09-24, so new Sora videos may fail or be refused.',
  },
} as const satisfies Omit<ModelEntry, 'displayName'>;

const VEO_TIMES: readonly DocumentedTime[] = [
  { totalMs: [2 * MIN, 5 * MIN] },
  { mode: 'reference images', totalMs: [2 * MIN, 4 * MIN] },
  { mode: 'first/last frame', totalMs: [3 * MIN, 5 * MIN] },
];

const VEO = {
  family: 'veo',
  clips: { choices: [8], min: 8, max: 8, default: 8 },
  times: VEO_TIMES,
  typicalClips: [8],
} as const satisfies Omit<ModelEntry, 'displayName'>;

const VEO_CREATE = {
  endpoint: '/v1/veo/videos',
  aspectRatios: ['16:9', '9:16'],
  length: 'fixed',
  referenceImagesField: 'input_reference',
  // Sent as `first_frame`/`last_frame`: the docs name the mode, not its fields (our assumption).
  frameMode: true,
} as const satisfies Omit<CreateSpec, 'resolutions' | 'maxReferenceImages'>;

/** A VEO 3.1 model: 4K on the fast and pro ones only, no reference images on fast stable. */
function veo(displayName: string, resolutions: readonly string[], maxReferenceImages: number) {
  return {
    ...VEO,
    displayName,
    resolutions,
    create: { ...VEO_CREATE, resolutions, maxReferenceImages },
  } satisfies ModelEntry;
}

const SEEDANCE = {
  family: 'seedance',
  clips: { min: 4, max: 15, default: 5 },
  resolutions: ['720p', '1080p'],
  times: [
    { resolution: '720p', totalMs: [2 * MIN, 5 * MIN] },
    { resolution: '1080p', totalMs: [3 * MIN, 8 * MIN] },
  ],
  typicalClips: [5],
} as const satisfies Omit<ModelEntry, 'displayName'>;

/** "A few minutes, longer with many references": a wide range. */
const FEW_MINUTES: readonly DocumentedTime[] = [{ totalMs: [1 * MIN, 8 * MIN] }];

export const MODELS: Readonly<Record<string, ModelEntry>> = {
  openAiSora2Plus: { ...SORA, displayName: 'Sora 2 Plus' },
  openAiSora2Pro: { ...SORA, displayName: 'Sora 2 Pro' },
  veo_3_1_fast: veo('VEO 3.1 Fast', ['720p', '1080p', '4K'], 3),
  veo_3_1_pro: veo('VEO 3.1 Pro', ['720p', '1080p', '4K'], 3),
  veo_3_1_fast_stable: veo('VEO 3.1 Fast Stable', ['720p', '1080p'], 0),
  veo_3_1_pro_stable: veo('VEO 3.1 Pro Stable', ['720p', '1080p'], 3),
  seedance_2_0: { ...SEEDANCE, displayName: 'Seedance 2.0' },
  seedance_2_0_fast: { ...SEEDANCE, displayName: 'Seedance 2.0 Fast' },
  seedance_2_0_pro: { ...SEEDANCE, displayName: 'Seedance 2.0 Pro' },
  seedance_2_0_fast_pro: { ...SEEDANCE, displayName: 'Seedance 2.0 Fast Pro' },
  videos: {
    family: 'videos',
    displayName: 'Videos',
    clips: { min: 1, max: 60 },
    times: FEW_MINUTES,
    typicalClips: [8],
  },
};

/** Families whose models are matched by pattern, for ids without an entry of their own. */
export const FAMILIES: readonly FamilyEntry[] = [
  {
    id: 'sora',
    displayName: 'Sora',
    matches: /sora/i,
    defaults: { clips: SORA.clips, times: SORA.times, typicalClips: SORA.typicalClips },
  },
  {
    id: 'veo',
    displayName: 'VEO',
    matches: /^veo/i,
    defaults: { clips: VEO.clips, times: VEO.times, typicalClips: VEO.typicalClips },
  },
  {
    // Seedance 1.5 ("doubao-seedance-1-5-pro-…") behaves like 2.0.
    id: 'seedance',
    displayName: 'Seedance',
    matches: /seedance/i,
    defaults: {
      clips: SEEDANCE.clips,
      resolutions: SEEDANCE.resolutions,
      times: SEEDANCE.times,
      typicalClips: SEEDANCE.typicalClips,
    },
  },
  {
    id: 'grok',
    displayName: 'Grok',
    matches: /^grok/i,
    defaults: {
      clips: { min: 6, max: 30 },
      times: [
        { clipSeconds: [6, 10], totalMs: [2 * MIN, 4 * MIN] },
        { clipSeconds: [20, 30], totalMs: [4 * MIN, 8 * MIN] },
      ],
      typicalClips: [10, 30],
    },
  },
  {
    id: 'vidu',
    displayName: 'Vidu',
    matches: /^vidu/i,
    defaults: { clips: { min: 1, max: 16 }, times: FEW_MINUTES, typicalClips: [8] },
  },
  {
    id: 'videos',
    displayName: 'Videos',
    matches: /^videos/i,
    defaults: { clips: { min: 1, max: 60 }, times: FEW_MINUTES, typicalClips: [8] },
  },
];

/** What a model nobody documented gets: a wide guess, so it is polled neither too often nor too rarely. */
export const UNKNOWN_MODEL: Omit<ModelEntry, 'displayName'> = {
  family: 'other',
  clips: { min: 1, max: 60 },
  times: [{ totalMs: [1 * MIN, 10 * MIN] }],
  typicalClips: [8],
};
