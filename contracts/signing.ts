// Signatures for commands and access lists, and card fingerprints (ARCHITECTURE.md, Security
// model). Node-only: the dashboard never signs anything.
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign as edSign, timingSafeEqual, verify as edVerify } from 'node:crypto';

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

/**
 * A credential's fingerprint in a network of spaces: HMAC-SHA256(network key, normalised uid).
 * Other sites know a network member's card only by this; it never equals the site fingerprint.
 */
export function networkFingerprint(networkKey: string, uid: string): string {
  return hmacHex(networkKey, `net:${uid.trim().toUpperCase()}`);
}

/**
 * Ed25519 signatures for what a site publishes to its network (visas): every site can verify
 * with the signer's public key, none can forge another's. Keys are base64 DER (SPKI public,
 * PKCS#8 private), as `newSigningKeyPair()` makes them.
 */
export function signEd25519<T extends object>(payload: T, privateKeyB64: string): T & { sig: string } {
  const { sig: _drop, ...rest } = payload as T & { sig?: string };
  const key = createPrivateKey({ key: Buffer.from(privateKeyB64, 'base64'), format: 'der', type: 'pkcs8' });
  return { ...(rest as T), sig: edSign(null, Buffer.from(canonicalJson(rest)), key).toString('base64') };
}

export function verifyEd25519<T extends { sig: string }>(payload: T, publicKeyB64: string): boolean {
  const { sig, ...rest } = payload;
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
    return edVerify(null, Buffer.from(canonicalJson(rest)), key, Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
}

/** A fresh Ed25519 key pair, base64 DER. */
export function newSigningKeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}
