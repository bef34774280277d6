import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BotRouteParts, botRoutes } from '../../src/bot/routes.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics/registry.ts';
import { FolderClipLibrary } from '../support/folder-clip-library.ts';

const SHARE = { PUBLIC_URL: 'https://bot.example.com', CLIP_LINK_SECRET: 'x'.repeat(32) };

function parts(env: Record<string, string>, clipLibrary?: FolderClipLibrary): BotRouteParts {
  const unused = () => {
    throw new Error('not used by these routes');
  };
  return {
    config: loadConfig({ SORA_API_KEY: 'k', ...env }),
    store: { getTimings: async () => ({}) as never },
    metrics: createMetrics({ activeWatches: () => 0, processMetrics: false }),
    logger: silentLogger,
    adapters: () => [],
    intake: unused,
    creator: unused,
    stopping: () => false,
    ...(clipLibrary ? { clipLibrary } : {}),
  };
}

const hasClipRoutes = (p: BotRouteParts) =>
  botRoutes(p).some((route) => route.path.startsWith('/clips/'));

describe('bot routes', () => {
  it('serve the share pages only with PUBLIC_URL set and a clip library given', async (t) => {
    const library = await FolderClipLibrary.create();
    t.after(() => library.close());
    assert.equal(hasClipRoutes(parts(SHARE, library)), true);
    assert.equal(hasClipRoutes(parts(SHARE)), false, 'no library yet: no routes');
    assert.equal(hasClipRoutes(parts({}, library)), false, 'no PUBLIC_URL: no routes');
  });
});
