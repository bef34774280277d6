/**
 * A submitted `/sora-create` modal. The form is checked first, and a problem goes back beside
 * its field in the ack (`response_action: errors`): nothing is sent. A valid form is answered
 * at once with a "Starting" view (Slack waits 3 s for the ack, the service may take longer),
 * then the create runs and the modal is updated with how it went: the answer and a link to
 * the status card, or, when the create did not start, the form again with every value kept
 * and the reason above it, to fix and send again.
 *
 * The idempotency key is the view's id: Slack keeps it for the modal's life, so the same
 * submission delivered twice makes one video, and a refused one (whose key the creator
 * forgets) can be fixed and sent again from the same modal.
 */
import type { App, types, ViewOutput } from '@slack/bolt';
import type { CreateFormField } from '../../chat/create-form.ts';
import { checkCreateForm } from '../../chat/create-form.ts';
import { cardLink } from './card-link.ts';
import { CREATE_COMMAND, type SlashCommandDeps } from './commands.ts';
import {
  CREATE_CALLBACK_ID,
  createFormView,
  messageView,
  startingView,
  submittedValues,
} from './create-view.ts';
import { escapeMrkdwn } from './render.ts';
import { slackErrorCode } from './slack-errors.ts';
import { encodeSlackTarget } from './targets.ts';

/** The idempotency key of a submission of this modal. */
export function createKeyOf(viewId: string): string {
  return `slack-view:${viewId}`;
}

export function registerCreateSubmission(app: App, deps: SlashCommandDeps): void {
  app.view(CREATE_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const channelId = view.private_metadata;
    const target = targetOf(channelId);
    if (target === undefined) {
      await ack({ response_action: 'update', view: messageView(LOST_CHANNEL) });
      return;
    }
    const values = submittedValues(view.state.values);
    const checked = checkCreateForm(values);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: blockErrors(checked.errors) });
      return;
    }
    await ack({ response_action: 'update', view: startingView() });
    const requester = body.user.id;
    const origin =
      deps.groupsOf === undefined
        ? { target, requester }
        : { target, requester, groups: await deps.groupsOf(requester) };
    let next: types.ModalView;
    try {
      const reply = await deps.onCommand({
        kind: 'create',
        request: checked.request,
        origin,
        key: createKeyOf(view.id),
      });
      next = reply.refused
        ? createFormView({ channelId, values, notice: reply.text })
        : messageView(
            `${escapeMrkdwn(reply.text)}${await cardLink(reply, channelId, deps.permalink)}`,
          );
    } catch (error) {
      deps.logger.error({ err: error }, 'slack create failed');
      next = messageView('That did not work; the bot logged why.');
    }
    await showOutcome(client, view, next, deps);
  });
}

const LOST_CHANNEL = `This form does not say which channel it is for; run ${CREATE_COMMAND} again where the video should go.`;

/** `slack:<channel>` for the channel the modal was opened in, or undefined if it is garbled. */
function targetOf(channelId: string): string | undefined {
  try {
    return encodeSlackTarget(channelId);
  } catch {
    return undefined;
  }
}

/** Each problem under the block of its field (the blocks are named after the fields). */
function blockErrors(errors: Partial<Record<CreateFormField, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

async function showOutcome(
  client: App['client'],
  view: ViewOutput,
  next: types.ModalView,
  deps: SlashCommandDeps,
): Promise<void> {
  try {
    await client.views.update({ view_id: view.id, view: next });
  } catch (error) {
    // Closed by the person meanwhile, most likely: the status card in the channel tells the rest.
    deps.logger.warn({ code: slackErrorCode(error) }, 'slack create form could not be updated');
  }
}
