/**
 * The clip's share page in the announcement: beside an attached clip on every platform, and
 * instead of the service's one-day link for a clip a channel would not take.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resultText } from '../../src/adapters/discord/render.ts';
import { resultLine } from '../../src/adapters/shell/render.ts';
import { resultMessage } from '../../src/adapters/slack/render.ts';
import type { FinishedVideo } from '../../src/chat/port.ts';
import { buildResultView } from '../../src/chat/result-view.ts';

const PAGE = 'https://clips.example.com/clips/dmdlbl9hYmM.0123456789abcdef';
const video: FinishedVideo = {
  task: {
    id: 'vgen_abc',
    object: 'video',
    created: 1_767_225_600,
    model: 'veo_3_1_fast',
    status: 'completed',
    videoUrl: 'https://cdn.example/v.mp4?sig=1',
    actualDuration: 8,
  },
  file: { path: '/tmp/vgen_abc.mp4', bytes: 4_000_000 },
  linkExpiresAt: 1_767_312_000_000,
  shareLink: PAGE,
};
const askers = { requesters: ['U1'] };

describe('the share link in announcements', () => {
  it('goes beside an attached clip, on every platform', () => {
    const view = buildResultView(askers, video);
    assert.equal(view.outcome, 'video');
    assert.equal(view.shareLink, PAGE);
    assert.match(
      resultMessage(view),
      new RegExp(`<${PAGE.replaceAll('.', '\\.')}\\|Watch and share>`),
    );
    assert.ok(resultText(view).includes(`\nWatch and share: <${PAGE}>`));
    assert.ok(resultLine(view, 'clips/vgen_abc.mp4').includes(` Share: ${PAGE}`));
  });

  it('stands in for the service’s one-day link when the channel would not take the clip', () => {
    const view = buildResultView(
      askers,
      video,
      'The clip (3.8 MiB) is larger than this channel’s upload limit.',
    );
    assert.equal(view.outcome, 'link');
    assert.deepEqual(
      view.link,
      { url: PAGE },
      'kept as long as the library keeps it: no expiry said',
    );
    assert.equal(view.shareLink, undefined, 'said once');
    assert.ok(resultText(view).includes(`\n${PAGE}`), 'a bare link: Discord unfurls the page');
  });

  it('is absent when the clip was never fetched: the library has nothing to show', () => {
    const { file: _file, ...unfetched } = video;
    const view = buildResultView(askers, {
      ...unfetched,
      fileProblem: 'The clip could not be fetched.',
    });
    assert.equal(view.link?.url, 'https://cdn.example/v.mp4?sig=1');
    assert.equal(view.shareLink, undefined);
  });
});
