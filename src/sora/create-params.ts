/**
 * A create request made ready to send: checked against the chosen model's rules in the
 * catalogue (`models/`) before any request, since a refused request costs a round trip and
 * an accepted wrong one costs a video. Every problem comes back at once, in one
 * `InvalidCreateParams` naming the fields.
 */
import { type CheckedCreate, type CreateRequest, checkCreateRequest } from '../models/index.ts';
import { InvalidCreateParams, type ParamProblem } from './errors.ts';

export interface CreateOptions {
  /**
   * Sent as the `Idempotency-Key` header, the same on every attempt, so a service that reads
   * it starts one video however often the request arrives (one that does not ignores it).
   */
  idempotencyKey?: string;
}

/** What `createTask` sends: the endpoint and body of the model, and the key if any. */
export interface CreateCall extends CheckedCreate {
  idempotencyKey: string | undefined;
}

/** The longest idempotency key sent: a length any service keeps. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** Printable ASCII without spaces, as a header value must be, of 1 to `maxLength` characters. */
export function isIdempotencyKey(key: string, maxLength = IDEMPOTENCY_KEY_MAX_LENGTH): boolean {
  return key.length >= 1 && key.length <= maxLength && /^[\x21-\x7e]+$/.test(key);
}

/** The request as its model's endpoint expects it; throws `InvalidCreateParams` if it breaks a rule. */
export function toCreateCall(request: CreateRequest, options: CreateOptions = {}): CreateCall {
  const checked = checkCreateRequest(request);
  const problems: ParamProblem[] = checked.ok ? [] : [...checked.problems];
  const key = options.idempotencyKey;
  if (key !== undefined && !isIdempotencyKey(key)) {
    problems.push({
      field: 'idempotencyKey',
      message: 'idempotencyKey must be 1 to 255 printable characters without spaces',
    });
  }
  if (!checked.ok || problems.length > 0) throw new InvalidCreateParams(problems);
  return { ...checked.create, idempotencyKey: key };
}
