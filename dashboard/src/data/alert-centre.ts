// The services' alert centre as the dashboard shows it: its alerts in the words of the derived
// ones (alerts.ts), and which derived alerts it already covers (the same kind and subject), so
// that a host sees each condition once and can acknowledge it.
import type { AlertView } from '../../../contracts/api/index.ts';
import type { Alert } from './alerts.ts';

/** The derived alert id (`kind:subject-id`) an alert of the centre stands for. */
export const derivedId = (a: Pick<AlertView, 'kind' | 'subject'>): string => `${a.kind}:${a.subject.replace(/^\w+:/, '')}`;

/** Derived alerts that the centre does not already show. */
export function notInCentre(derived: readonly Alert[], centre: readonly AlertView[]): Alert[] {
  const covered = new Set(centre.map(derivedId));
  return derived.filter((a) => !covered.has(a.id));
}

/** How many alerts a host has to look at: the centre's not yet acknowledged, and the derived it does not cover. */
export function alertCount(derived: readonly Alert[], centre: readonly AlertView[]): number {
  return notInCentre(derived, centre).length + centre.filter((a) => a.ackedAt === null).length;
}
