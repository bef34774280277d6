/**
 * Slack's side of a modal's submit button: the `view_submission` interaction, with the view
 * as it stands and `state.values` filled as Slack fills them (a select's picked option, an
 * input's text, `null` where nothing was given), posted signed as `payload=<json>`.
 */
import { signedPost } from './signed-post.ts';
import type { ViewJson } from './views.ts';

export interface ViewSubmission {
  /** The bot's events URL, e.g. http://127.0.0.1:PORT/slack/events. */
  url: string;
  signingSecret: string;
  userId: string;
  /** The modal submitted: its id and what it shows (see `FakeSlackApi.views`). */
  opened: { id: string; view: ViewJson };
  /** What the person typed or picked, by block id; a select takes its option's value. */
  values: Record<string, string | undefined>;
}

/** Submits the modal; resolves with the HTTP answer, whose body is the bot's ack (JSON or empty). */
export async function sendViewSubmission(
  submission: ViewSubmission,
): Promise<{ status: number; body: string; ack: Record<string, unknown> | undefined }> {
  const payload = viewSubmissionPayload(submission);
  const answer = await signedPost(
    submission.url,
    { payload: JSON.stringify(payload) },
    { signingSecret: submission.signingSecret },
  );
  return { ...answer, ack: answer.body === '' ? undefined : JSON.parse(answer.body) };
}

export function viewSubmissionPayload(
  submission: Pick<ViewSubmission, 'userId' | 'opened' | 'values'>,
): Record<string, unknown> {
  const { opened, userId } = submission;
  return {
    type: 'view_submission',
    team: { id: 'T1', domain: 'fake' },
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'deprecated-verification-token',
    trigger_id: '4.5.6',
    is_enterprise_install: false,
    enterprise: null,
    response_urls: [],
    view: {
      ...opened.view,
      id: opened.id,
      team_id: 'T1',
      app_id: 'A1',
      app_installed_team_id: 'T1',
      bot_id: 'BBOT',
      private_metadata: opened.view.private_metadata ?? '',
      root_view_id: opened.id,
      previous_view_id: null,
      hash: `${opened.id}.hash`,
      state: { values: stateValues(opened.view, submission.values) },
    },
  };
}

type InputBlock = { type: string; block_id?: string; element?: Record<string, unknown> };
type Option = { value?: string };

/** `{ <block_id>: { <action_id>: { type, value | selected_option } } }` for every input block. */
function stateValues(
  view: ViewJson,
  values: Record<string, string | undefined>,
): Record<string, Record<string, Record<string, unknown>>> {
  const state: Record<string, Record<string, Record<string, unknown>>> = {};
  const blocks = (view.blocks ?? []) as InputBlock[];
  for (const name of Object.keys(values)) {
    if (!blocks.some((b) => b.type === 'input' && b.block_id === name)) {
      throw new Error(`the view has no input block ${name}`);
    }
  }
  for (const block of blocks) {
    if (block.type !== 'input' || block.block_id === undefined || block.element === undefined) {
      continue;
    }
    const { element } = block;
    const type = String(element.type);
    const actionId = String(element.action_id);
    const given = values[block.block_id];
    if (type === 'static_select') {
      const options = (element.options ?? []) as Option[];
      const picked = given === undefined ? undefined : options.find((o) => o.value === given);
      if (given !== undefined && picked === undefined) {
        throw new Error(`${block.block_id} offers no option ${given}`);
      }
      state[block.block_id] = { [actionId]: { type, selected_option: picked ?? null } };
    } else {
      state[block.block_id] = { [actionId]: { type, value: given ?? null } };
    }
  }
  return state;
}
