/** The models that can be created from here, with the choices a create form offers for each. */
import { MODELS } from './catalogue.ts';
import { modelInfo } from './lookup.ts';
import type { FamilyId } from './types.ts';

export interface CreatableModel {
  id: string;
  displayName: string;
  family: FamilyId;
  /** `size` choices (Sora); empty when the model takes aspect ratios only. */
  sizes: readonly string[];
  aspectRatios: readonly string[];
  /** The clip lengths in seconds; one when every clip has the same length. */
  clipSeconds: readonly number[];
  /** The length made when none is asked for. */
  defaultClipSeconds: number | undefined;
  /** `resolution` choices, the default first; empty when the model takes none. */
  resolutions: readonly string[];
  defaultResolution: string | undefined;
  /** 0 when the model takes no reference images. */
  maxReferenceImages: number;
  /** Whether first/last-frame mode (`first_frame`, `last_frame`) is on offer. */
  frameMode: boolean;
  /** What the service may refuse that the form cannot check, to show beside the model. */
  notes: string | undefined;
}

let creatable: readonly CreatableModel[] | undefined;

/** Every catalogue model with create rules, in catalogue order. */
export function creatableModels(): readonly CreatableModel[] {
  creatable ??= Object.keys(MODELS).flatMap((id): CreatableModel[] => {
    const info = modelInfo(id);
    const spec = info.create;
    if (spec === undefined) return [];
    return [
      {
        id,
        displayName: info.displayName,
        family: info.family,
        sizes: spec.sizes ?? [],
        aspectRatios: spec.aspectRatios,
        clipSeconds: info.clips.choices ?? [],
        defaultClipSeconds: info.clips.default,
        resolutions: spec.resolutions ?? [],
        defaultResolution: spec.resolutions?.[0],
        maxReferenceImages: spec.maxReferenceImages,
        frameMode: spec.frameMode,
        notes: spec.notes,
      },
    ];
  });
  return creatable;
}
