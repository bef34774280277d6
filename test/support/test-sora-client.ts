/**
 * The real SoraClient pointed at the fake Sora API, as tests need it: on the test's manual
 * clock, with jitter fixed at half the ceiling, and a request cap on real time at a rate no
 * test reaches (the cap's own tests run it on virtual time).
 */
import { systemClock } from '../../src/clock.ts';
import { SoraClient, type SoraClientOptions } from '../../src/sora/client.ts';
import { RequestRateCap } from '../../src/sora/rate-cap.ts';
import { fixedRandom, type ManualClock } from './manual-clock.ts';

export function createTestSoraClient(
  api: { baseUrl: string; apiKey: string },
  clock: ManualClock,
  overrides: Partial<SoraClientOptions> = {},
): SoraClient {
  return new SoraClient({
    apiKey: api.apiKey,
    baseUrl: api.baseUrl,
    rateCap: new RequestRateCap(1000, systemClock),
    clock,
    random: fixedRandom(0.5),
    ...overrides,
  });
}
