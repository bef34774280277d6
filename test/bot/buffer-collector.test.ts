// Chunks allocated and dropped the way a clip passes through the bot (64 KiB at a time, at
// about the rate of a download on loopback). Whether V8 alone would let 64 MiB pile up is
// measured by `npm run bench:delivery`, not here: it depends on V8's state and the machine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBufferCollector } from '../../src/bot/buffer-collector.ts';

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** The most array-buffer memory there was, over the start, while 160 MiB went through. */
async function mostWhileStreaming(): Promise<number> {
  const start = process.memoryUsage().arrayBuffers;
  let most = 0;
  for (let mib = 0; mib < 160; mib += 1) {
    for (let i = 0; i < MiB / CHUNK; i += 1) Buffer.allocUnsafeSlow(CHUNK).fill(1);
    most = Math.max(most, process.memoryUsage().arrayBuffers - start);
    await sleep(1);
  }
  return most;
}

describe('startBufferCollector', () => {
  it('keeps the dead chunks to a few steps’ worth', async () => {
    const stop = startBufferCollector();
    try {
      const most = await mostWhileStreaming();
      assert.ok(most < 40 * MiB, `${(most / MiB).toFixed(1)} MiB of chunks at most`);
    } finally {
      stop();
    }
  });
});
