// How a credential looks through the API: never its fingerprint, only its last 6 hex digits.
import type { CredentialView } from '../../contracts/api/index.ts';
import type { Credential } from '../db/credentials-repo.ts';
import { dateRangeBounds } from '../../contracts/local-time.ts';

export function credentialStatus(c: Credential, timeZone: string, now: number): CredentialView['status'] {
  if (c.revokedAt !== null) return 'revoked';
  const b = dateRangeBounds(c.validFrom, c.validTo, timeZone);
  if (now < b.start) return 'not-yet-valid';
  if (now >= b.end) return 'expired';
  return 'live';
}

export function credentialView(c: Credential, timeZone: string, now: number): CredentialView {
  return {
    id: c.id,
    member: c.member,
    kind: c.kind,
    tail: c.fingerprint.slice(-6),
    label: c.label,
    numberTail: c.numberTail,
    plan: c.plan,
    validFrom: c.validFrom,
    validTo: c.validTo,
    status: credentialStatus(c, timeZone, now),
    createdAt: c.createdAt,
    revokedAt: c.revokedAt,
  };
}
