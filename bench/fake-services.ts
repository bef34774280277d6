/**
 * The fake Sora API and video CDN in a process of their own, for load figures: the bot's
 * memory and event-loop delay are then its own, and request arrival times are not skewed by
 * the bot's work. Driven over IPC by bench/scale.ts.
 */
import { type ScriptedTask, startFakeSoraApi } from '../test/fakes/sora-api.ts';
import { startFakeVideoCdn } from '../test/fakes/video-cdn.ts';

export type ServiceRequest =
  | { type: 'add'; tasks: ScriptedTask[] }
  | { type: 'request-times' }
  | { type: 'close' };

export type ServiceReply =
  | { type: 'ready'; apiBaseUrl: string; apiKey: string }
  | { type: 'added' }
  | { type: 'request-times'; times: number[] };

const apiKey = 'bench';
const cdn = await startFakeVideoCdn();
const api = await startFakeSoraApi({ apiKey, videoBaseUrl: cdn.baseUrl });
const reply = (message: ServiceReply) => process.send?.(message);

process.on('message', async (message: ServiceRequest) => {
  if (message.type === 'add') {
    for (const task of message.tasks) api.addTask(task);
    reply({ type: 'added' });
  } else if (message.type === 'request-times') {
    reply({ type: 'request-times', times: api.requests.map((r) => r.at) });
  } else {
    await Promise.all([api.close(), cdn.close()]);
    process.disconnect();
  }
});
reply({ type: 'ready', apiBaseUrl: api.baseUrl, apiKey });
