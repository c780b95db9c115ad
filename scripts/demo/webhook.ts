/**
 * Delivers a webhook the way GitHub does: a JSON POST with the event name, a delivery id and the
 * body's HMAC-SHA256 under the app's webhook secret (`X-Hub-Signature-256`). The app verifies the
 * signature, so a wrong secret is refused exactly as in production.
 */
import { createHmac, randomUUID } from 'node:crypto';

export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface Delivery {
  readonly id: string;
  readonly status: number;
  readonly body: string;
}

export async function deliverWebhook(
  url: string,
  secret: string,
  event: string,
  payload: unknown,
  options: { readonly timeoutMs?: number } = {},
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const id = randomUUID();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/s3-endpoint-guard-demo',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-hub-signature-256': signature(body, secret),
    },
    body,
    // GitHub gives up after 10 s; so does the demo.
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  return { id, status: response.status, body: await response.text() };
}
