/**
 * A request from Slack to the bot's `/slack/events`: a form-encoded body signed with the
 * app's signing secret (`v0=HMAC-SHA256("v0:<timestamp>:<body>")`), as Slack signs them.
 */
import { createHmac } from 'node:crypto';

export interface Signing {
  signingSecret: string;
  /** Unix seconds to sign with; default now. */
  timestamp?: number;
  /** Overrides the computed signature, to forge one. */
  signature?: string;
}

/** Posts the form to the bot; resolves with the HTTP answer and how long it took. */
export async function signedPost(
  url: string,
  form: Record<string, string>,
  signing: Signing,
): Promise<{ status: number; body: string; ms: number }> {
  const body = new URLSearchParams(form).toString();
  const timestamp = String(signing.timestamp ?? Math.floor(Date.now() / 1000));
  const signature =
    signing.signature ??
    `v0=${createHmac('sha256', signing.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text, ms: performance.now() - started };
}
