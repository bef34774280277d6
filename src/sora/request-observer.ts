/**
 * How monitoring hears about the client's requests, without the client knowing any metrics
 * library: the composition root passes the metrics, everything else the no-op default.
 */

/** Which API call an attempt belongs to. */
export type SoraOperation = 'get_task' | 'create_task';

export interface SoraRequestObserver {
  /**
   * One HTTP attempt ended: `status` is the HTTP status code ("200", "429"...) or
   * "network_error" when no answer came; `seconds` on the client's clock.
   */
  requestFinished(operation: SoraOperation, status: string, seconds: number): void;
  /** The API answered 429 Too Many Requests. */
  rateLimited(): void;
}

export const noSoraRequestObserver: SoraRequestObserver = {
  requestFinished: () => {},
  rateLimited: () => {},
};
