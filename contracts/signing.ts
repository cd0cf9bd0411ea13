// Signatures for commands and access lists, and card fingerprints (ARCHITECTURE.md, Security
// model). Node-only: the dashboard never signs anything.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** JSON with object keys sorted at every level, so that signer and verifier hash the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

function hmacHex(key: string, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

/** Adds `sig` over the canonical JSON of the payload without `sig`. */
export function sign<T extends object>(payload: T, key: string): T & { sig: string } {
  const { sig: _drop, ...rest } = payload as T & { sig?: string };
  return { ...(rest as T), sig: hmacHex(key, canonicalJson(rest)) };
}

/** Constant-time check of `sig`. */
export function verify<T extends { sig: string }>(payload: T, key: string): boolean {
  const { sig, ...rest } = payload;
  const expected = Buffer.from(hmacHex(key, canonicalJson(rest)), 'hex');
  const given = Buffer.from(sig, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Card fingerprint: HMAC-SHA256(site key, normalised uid). The uid never leaves the gateway. */
export function fingerprint(siteKey: string, uid: string): string {
  return hmacHex(siteKey, uid.trim().toUpperCase());
}
