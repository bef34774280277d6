/**
 * The fake Slack's modals: `views.open` (which, as Slack does, wants the trigger_id of the
 * interaction that asked for it) and `views.update` (which wants a view it opened). Each view
 * keeps every version it was given, so a test sees what the person saw, in order.
 */

/** A modal as the bot sent it: `type`, `callback_id`, `blocks`, `private_metadata`, … */
export type ViewJson = Record<string, unknown>;

export interface OpenedView {
  /** The view id Slack hands out, as in `V0123ABCD`. */
  id: string;
  /** The trigger_id it was opened with. */
  triggerId: string;
  /** What the modal shows now: the last version sent. */
  view: ViewJson;
  /** Every version, the opened one first, then each `views.update`. */
  versions: ViewJson[];
}

export interface ViewBoard {
  readonly views: OpenedView[];
  /** Answers `views.open` and `views.update`; undefined for any other method. */
  answer(method: string, params: Record<string, unknown>): Record<string, unknown> | undefined;
}

export function createViewBoard(nextId: () => number): ViewBoard {
  const views: OpenedView[] = [];

  function described(opened: OpenedView): Record<string, unknown> {
    return {
      ok: true,
      view: {
        ...opened.view,
        id: opened.id,
        state: { values: {} },
        hash: `${opened.versions.length}.hash`,
      },
    };
  }

  return {
    views,
    answer(method, params) {
      if (method === 'views.open') {
        const triggerId = String(params.trigger_id ?? '');
        if (triggerId === '') return { ok: false, error: 'invalid_arguments' };
        const view = viewOf(params);
        if (view === undefined) return { ok: false, error: 'invalid_arguments' };
        const opened: OpenedView = {
          id: `V${String(nextId()).padStart(8, '0')}`,
          triggerId,
          view,
          versions: [view],
        };
        views.push(opened);
        return described(opened);
      }
      if (method === 'views.update') {
        const opened = views.find((v) => v.id === params.view_id);
        if (opened === undefined) return { ok: false, error: 'not_found' };
        const view = viewOf(params);
        if (view === undefined) return { ok: false, error: 'invalid_arguments' };
        opened.view = view;
        opened.versions.push(view);
        return described(opened);
      }
      return undefined;
    },
  };
}

/** The WebClient sends `view` as JSON text inside a form; a JSON body carries it as is. */
function viewOf(params: Record<string, unknown>): ViewJson | undefined {
  const raw = params.view;
  if (raw === undefined) return undefined;
  const view = typeof raw === 'string' ? JSON.parse(raw) : raw;
  return typeof view === 'object' && view !== null ? (view as ViewJson) : undefined;
}
