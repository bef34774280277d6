/** The model catalogue: what the bot knows of each video model the service sells. */
export { FAMILIES, MODELS, UNKNOWN_MODEL } from './catalogue.ts';
export { type CreatableModel, creatableModels } from './creatable.ts';
export {
  type CheckedCreate,
  type CreateCheck,
  type CreateField,
  type CreateProblem,
  type CreateRequest,
  checkCreateRequest,
  PROMPT_MAX_LENGTH,
} from './create-request.ts';
export { displayName, documentedTimes, familyName, familyOf, modelInfo } from './lookup.ts';
export type {
  ClipLengths,
  CreateSpec,
  DocumentedTime,
  FamilyEntry,
  FamilyId,
  ModelEntry,
  ModelInfo,
} from './types.ts';
