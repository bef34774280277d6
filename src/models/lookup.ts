/** Looking a model up: its own entry, else its family's pattern, else the generic guess. */
import { FAMILIES, MODELS, UNKNOWN_MODEL } from './catalogue.ts';
import type { DocumentedTime, FamilyId, ModelInfo } from './types.ts';

const found = new Map<string, ModelInfo>();
/** Model ids are few, but the service could send anything: remember only so many. */
const MAX_REMEMBERED = 256;

/** Everything the catalogue says of a model id; never throws. */
export function modelInfo(modelId: string): ModelInfo {
  let info = found.get(modelId);
  if (info === undefined) {
    info = lookUp(modelId);
    if (found.size < MAX_REMEMBERED) found.set(modelId, info);
  }
  return info;
}

function lookUp(id: string): ModelInfo {
  const entry = Object.hasOwn(MODELS, id) ? MODELS[id] : undefined;
  if (entry !== undefined) return { ...entry, id, known: true };
  const family = FAMILIES.find((f) => f.matches.test(id));
  if (family !== undefined) {
    return { ...family.defaults, id, family: family.id, displayName: id, known: true };
  }
  return { ...UNKNOWN_MODEL, id, displayName: id, known: false };
}

/** "VEO 3.1 Fast" for `veo_3_1_fast`; the id itself for a model without a name. */
export function displayName(modelId: string): string {
  return modelInfo(modelId).displayName;
}

export function familyOf(modelId: string): FamilyId {
  return modelInfo(modelId).family;
}

const FAMILY_NAMES: Record<FamilyId, string> = {
  sora: 'Sora',
  veo: 'VEO',
  seedance: 'Seedance',
  grok: 'Grok',
  vidu: 'Vidu',
  videos: 'Videos',
  other: 'other models',
};

export function familyName(family: FamilyId): string {
  return FAMILY_NAMES[family];
}

/**
 * The documented times that apply to a task of this model: those for its clip length (all,
 * while unknown), its resolution (all, while unknown) and the usual create mode. A length no
 * time covers takes the nearest covered one's.
 */
export function documentedTimes(
  info: ModelInfo,
  clipSeconds?: number,
  resolution?: string,
): DocumentedTime[] {
  const usual = info.times.filter((t) => t.mode === undefined);
  const forResolution = usual.filter(
    (t) => resolution === undefined || t.resolution === undefined || t.resolution === resolution,
  );
  const pool = forResolution.length > 0 ? forResolution : usual;
  if (clipSeconds === undefined) return pool;
  const covering = pool.filter((t) => covers(t, clipSeconds));
  if (covering.length > 0) return covering;
  const distance = (t: DocumentedTime) =>
    t.clipSeconds === undefined
      ? 0
      : Math.min(
          Math.abs(t.clipSeconds[0] - clipSeconds),
          Math.abs(t.clipSeconds[1] - clipSeconds),
        );
  const nearest = Math.min(...pool.map(distance));
  return pool.filter((t) => distance(t) === nearest);
}

function covers(time: DocumentedTime, clipSeconds: number): boolean {
  return (
    time.clipSeconds === undefined ||
    (time.clipSeconds[0] <= clipSeconds && clipSeconds <= time.clipSeconds[1])
  );
}
