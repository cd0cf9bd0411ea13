// Plain words for events in the feed, in the reader's language.
import type { EventView } from '../../../contracts/api/index.ts';
import { t } from '../words/locale.ts';

export interface EventWords {
  /** What happened, e.g. "Access denied — unknown card". */
  what: string;
  /** Who, for access events: the member's name, or "Someone". Empty for door events. */
  who: string;
  /** How, for access events: "card", "app", "exit button". */
  via: string;
  /** The gateway decided without the services. */
  offline: boolean;
  /** Deserves attention (denied, forced, held). */
  alert: boolean;
}

export function describeEvent(e: EventView): EventWords {
  const m = t().feed;
  if (e.type === 'door') {
    const what = e.kind ? (m.door[e.kind] ?? `${m.doorEvent}: ${e.kind}`) : m.doorEvent;
    const alert = e.kind === 'forced-open' || e.kind === 'held-open' || e.kind === 'command-refused';
    return { what, who: '', via: '', offline: e.offline === true, alert };
  }
  // The exit button is pressed from inside; nobody is identified and that is normal.
  if (e.via === 'exit-button') return { what: m.exit, who: '', via: '', offline: e.offline === true, alert: false };
  const granted = e.decision === 'granted';
  const what = granted
    ? e.reason === 'lockdown-host'
      ? m.grantedLockdownHost
      : m.granted
    : e.reason === 'unknown-credential' && e.via === 'pin'
      ? m.unknownPin
      : e.reason && e.reason !== 'lockdown-host'
        ? (m.denied[e.reason] ?? m.denied.ok)
        : m.denied.ok;
  const via = e.via ? `${m.via[e.via] ?? e.via}${e.cardTail ? ` …${e.cardTail}` : ''}` : '';
  const who = e.memberName ?? (e.visitorFrom ? m.visitorFrom(e.visitorFrom) : m.someone);
  return { what, who, via, offline: e.offline === true, alert: !granted };
}
