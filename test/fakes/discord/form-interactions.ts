/**
 * The fake Discord's form interactions: a modal submission (type 5) laid out as the current
 * API sends it, each field in a Label (type 18) with its uploads in `resolved.attachments`.
 * Also `filledIn`, which answers a modal the way a user who leaves the pre-filled fields
 * alone would. Clicks and picks on messages are in component-interactions.ts.
 */

import { sendInteraction } from './gateway.ts';
import { ALL_PERMISSIONS } from './interaction-payload.ts';
import { uploadJson } from './payloads.ts';
import type { FakeDiscordState } from './state.ts';
import type { FakeModal, ModalFieldValue, ModalSubmission } from './types.ts';

const MODAL_SUBMIT = 5;
const LABEL = 18;
const STRING_SELECT = 3;
const TEXT_INPUT = 4;
const FILE_UPLOAD = 19;

/** Dispatches MODAL_SUBMIT; returns the interaction id. */
export function sendModalSubmit(state: FakeDiscordState, submission: ModalSubmission): string {
  const attachments: Record<string, object> = {};
  let id = 0;
  const components = Object.entries(submission.fields).map(([customId, field]) => {
    id += 2;
    return { type: LABEL, id: id - 1, component: { id, ...fieldJson(customId, field) } };
  });
  function fieldJson(customId: string, field: ModalFieldValue) {
    if (field.kind === 'text') return { type: TEXT_INPUT, custom_id: customId, value: field.value };
    if (field.kind === 'select') {
      return { type: STRING_SELECT, custom_id: customId, values: field.values };
    }
    const values = field.files.map((file) => {
      const attachmentId = state.snowflake();
      attachments[attachmentId] = uploadJson(attachmentId, file, state.origin);
      return attachmentId;
    });
    return { type: FILE_UPLOAD, custom_id: customId, values };
  }
  const resolved = Object.keys(attachments).length > 0 ? { resolved: { attachments } } : {};
  const data = { custom_id: submission.customId, components, ...resolved };
  return sendInteraction(state, MODAL_SUBMIT, submission, data, {
    app_permissions: ALL_PERMISSIONS,
  });
}

/**
 * The fields of `modal` as a user submits it who changes only `changes`: a text input keeps
 * its pre-filled text, a select its pre-selected options, a file upload stays empty (Discord
 * cannot pre-fill one).
 */
export function filledIn(
  modal: FakeModal,
  changes: Record<string, ModalFieldValue> = {},
): Record<string, ModalFieldValue> {
  const fields: Record<string, ModalFieldValue> = {};
  for (const { component } of modal.components) {
    const changed = changes[component.custom_id];
    if (changed !== undefined) fields[component.custom_id] = changed;
    else if (component.type === TEXT_INPUT) {
      fields[component.custom_id] = { kind: 'text', value: component.value ?? '' };
    } else if (component.type === STRING_SELECT) {
      const values = (component.options ?? []).filter((o) => o.default).map((o) => o.value);
      fields[component.custom_id] = { kind: 'select', values };
    } else if (component.type === FILE_UPLOAD) {
      fields[component.custom_id] = { kind: 'files', files: [] };
    }
  }
  return fields;
}
