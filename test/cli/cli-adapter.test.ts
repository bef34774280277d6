import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusView } from '../../src/chat/status-view.ts';
import { CliAdapter } from '../../src/cli/cli-adapter.ts';

function view(overrides: Partial<StatusView>): StatusView {
  return {
    taskId: 'vgen_cli',
    status: 'processing',
    tone: 'running',
    startedAt: 1_767_225_600_000,
    elapsedMs: 60_000,
    progressBar: '',
    requesters: [],
    modelName: 'VEO 3.1 Fast',
    ...overrides,
  };
}

describe('sora-status --watch lines', () => {
  it('prints a line when the service stops answering, as its silence grows, and nothing more', async () => {
    const lines: string[] = [];
    const adapter = new CliAdapter({ outDir: '.', print: (line) => lines.push(line) });
    const sub = undefined as never;
    await adapter.showStatus(sub, view({}));
    await adapter.showStatus(sub, view({ elapsedMs: 90_000 }));
    const silent = (minutes: number) =>
      `The service has not answered for ${minutes} min; still trying.`;
    await adapter.showStatus(sub, view({ elapsedMs: 240_000, error: silent(2) }));
    await adapter.showStatus(sub, view({ elapsedMs: 250_000, error: silent(2) }));
    await adapter.showStatus(sub, view({ elapsedMs: 400_000, error: silent(5) }));
    assert.deepEqual(lines, [
      '[01:00] processing (VEO 3.1 Fast)',
      `[04:00] processing (${silent(2)})`,
      `[06:40] processing (${silent(5)})`,
    ]);
  });
});
