/**
 * `sora-status create "<prompt>" [--model M] [--seconds N] [--size WxH | --aspect 16:9]
 * [--resolution R] [--image URL ...] [--key KEY]` and the shared output options, read into a
 * create request in the service's own field names. Whether the request suits its model is
 * not decided here: the catalogue's rules (`checkCreateRequest`) say that, field by field.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_CREATE_MODEL } from '../chat/create-command.ts';
import type { CreateRequest } from '../models/index.ts';
import { UsageError } from './exit.ts';
import { SHARED_OPTIONS, type WatchFlags, watchFlags } from './watch-flags.ts';

export interface CreateCommandLine extends WatchFlags {
  request: CreateRequest;
  /** Sent as the Idempotency-Key: --key as given (unchecked), or a fresh UUID. */
  key: string;
  /** True when the key came from --key. */
  keyGiven: boolean;
  json: boolean;
  verbose: boolean;
}

/** The option that sets each create field, for problems told in the command line's words. */
const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  prompt: 'the prompt',
  model: '--model',
  seconds: '--seconds',
  size: '--size',
  aspect_ratio: '--aspect',
  resolution: '--resolution',
  input_reference: '--image',
};

/** "--aspect" for `aspect_ratio`; a field no option sets keeps its own name. */
export function optionOf(field: string): string {
  return Object.hasOwn(OPTION_OF_FIELD, field) ? (OPTION_OF_FIELD[field] as string) : field;
}

/** The words after `create`; throws `UsageError` (or parseArgs' own) for a wrong command line. */
export function parseCreateCommandLine(argv: string[]): CreateCommandLine | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...SHARED_OPTIONS,
      model: { type: 'string' },
      seconds: { type: 'string' },
      size: { type: 'string' },
      aspect: { type: 'string' },
      resolution: { type: 'string' },
      image: { type: 'string', multiple: true },
      key: { type: 'string' },
    },
  });
  if (values.help) return 'help';
  // The words of an unquoted prompt arrive one by one; they are the prompt all the same.
  const prompt = positionals.join(' ');
  if (prompt.trim() === '') {
    throw new UsageError('describe the video: sora-status create "a lighthouse in a storm"');
  }
  const request: CreateRequest = { model: values.model ?? DEFAULT_CREATE_MODEL, prompt };
  // A number that does not read as one stays NaN, for the model's rules to name the option.
  if (values.seconds !== undefined) request.seconds = Number(values.seconds);
  if (values.size !== undefined) request.size = values.size;
  if (values.aspect !== undefined) request.aspect_ratio = values.aspect;
  if (values.resolution !== undefined) request.resolution = values.resolution;
  if (values.image !== undefined) request.input_reference = values.image;
  return {
    request,
    key: values.key ?? randomUUID(),
    keyGiven: values.key !== undefined,
    json: values.json,
    verbose: values.verbose,
    ...watchFlags(values),
  };
}
