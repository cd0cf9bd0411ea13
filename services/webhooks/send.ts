// One HTTP POST of a webhook, and what its answer means for the queue: the one piece of code
// both the outgoing webhooks (services/webhooks/outbox.ts) and the alert centre's webhooks
// (services/alerts/channels.ts) send with. No redirects (a 3xx to elsewhere would move a signed
// body: a 3xx is final, naming the reason); a timeout per attempt; 2xx is delivered; 408, 429 and 5xx (and no answer) are tried
// again, 429 not before its Retry-After; any other 4xx is the receiver's final no.
import { createHmac } from 'node:crypto';

export type PostOutcome =
  | { ok: true; status: number }
  | {
      ok: false;
      /** false: the receiver refused it for good (4xx other than 408 and 429). */
      retry: boolean;
      /** 429 (or 503) with Retry-After: not before this many ms. */
      retryAfterMs: number | null;
      /** For the dead-letter view and the log: the status or the error's own words, never a URL. */
      reason: string;
      status: number | null;
    };

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const s = header.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export async function postWebhook(url: string, body: string, headers: Record<string, string>, timeoutMs: number, now = Date.now): Promise<PostOutcome> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : (e.cause?.code ?? e.message ?? String(err));
    return { ok: false, retry: true, retryAfterMs: null, reason: reason.slice(0, 200), status: null };
  }
  await res.arrayBuffer().catch(() => undefined);
  const status = res.status;
  if (status >= 200 && status < 300) return { ok: true, status };
  const retry = status === 408 || status === 429 || status >= 500;
  const after = status === 429 || status === 503 ? retryAfterMs(res.headers.get('retry-after'), now()) : null;
  const reason = status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed: use the final URL)` : `HTTP ${status}`;
  return { ok: false, retry, retryAfterMs: after, reason, status };
}

/**
 * The Standard Webhooks headers of one attempt: the id stays the same on every attempt (the
 * receiver drops a repeat by it), the timestamp is the attempt's (receivers refuse old ones).
 */
export function signedHeaders(secret: string, id: string, timestampS: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const sig = createHmac('sha256', key).update(`${id}.${timestampS}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestampS),
    'webhook-signature': `v1,${sig}`,
  };
}
