// Who an MQTT client is: one identity per username, checked with a constant-time compare.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Secrets } from '../../config/schema.ts';

export type Identity = { role: 'services' } | { role: 'automation' } | { role: 'bridge' } | { role: 'homeassistant' } | { role: 'gateway'; gateway: string };

const GATEWAY_PREFIX = 'gateway:';

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
function sameSecret(given: Buffer, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

function expected(username: string, secrets: Secrets): { identity: Identity; password: string } | null {
  switch (username) {
    case 'services':
      return { identity: { role: 'services' }, password: secrets.mqtt.services };
    case 'automation':
      return { identity: { role: 'automation' }, password: secrets.mqtt.automation };
    case 'bridge':
      return { identity: { role: 'bridge' }, password: secrets.mqtt.bridge };
    case 'homeassistant':
      // Only while the site has a password for it (homeAssistant in the site config).
      return secrets.mqtt.homeassistant ? { identity: { role: 'homeassistant' }, password: secrets.mqtt.homeassistant } : null;
  }
  if (!username.startsWith(GATEWAY_PREFIX)) return null;
  const gateway = username.slice(GATEWAY_PREFIX.length);
  const gw = Object.hasOwn(secrets.gateways, gateway) ? secrets.gateways[gateway] : undefined;
  return gw ? { identity: { role: 'gateway', gateway }, password: gw.mqttPassword } : null;
}

/** The identity for these credentials, or null when the username is unknown or the password wrong. */
export function authenticate(username: string | undefined, password: Buffer | undefined, secrets: Secrets): Identity | null {
  const exp = expected(username ?? '', secrets);
  // Compare even for an unknown user, so that timing does not tell which usernames exist.
  const ok = sameSecret(password ?? Buffer.alloc(0), exp?.password ?? secrets.mqtt.services);
  return exp && ok ? exp.identity : null;
}

export function describeIdentity(id: Identity): string {
  return id.role === 'gateway' ? `${GATEWAY_PREFIX}${id.gateway}` : id.role;
}
