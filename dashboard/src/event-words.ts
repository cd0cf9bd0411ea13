// Plain words for events in the feed.
import type { EventView } from '../../contracts/api.ts';

type Reason = NonNullable<EventView['reason']>;
type Kind = NonNullable<EventView['kind']>;
type Via = NonNullable<EventView['via']>;

const DENIED: Record<Reason, string> = {
  ok: 'Access denied',
  'unknown-credential': 'Access denied — unknown card',
  'door-not-in-plan': 'Access denied — door not in their plan',
  'outside-schedule': 'Access denied — outside their hours',
  'no-access-list': 'Access denied — the door has no access list yet',
  'offline-not-allowed': 'Access denied — not allowed while offline',
  lockdown: 'Access denied — lockdown',
};

const DOOR: Record<Kind, string> = {
  opened: 'Door opened',
  closed: 'Door closed',
  relocked: 'Locked again',
  'held-open': 'Door held open too long',
  'forced-open': 'Door forced open',
  'command-refused': 'Door refused a remote command',
};

const VIA: Record<Via, string> = {
  card: 'card',
  remote: 'app',
  'exit-button': 'exit button',
};

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
  if (e.type === 'door') {
    const what = e.kind ? DOOR[e.kind] ?? `Door: ${e.kind}` : 'Door event';
    const alert = e.kind === 'forced-open' || e.kind === 'held-open' || e.kind === 'command-refused';
    return { what, who: '', via: '', offline: e.offline === true, alert };
  }
  const granted = e.decision === 'granted';
  const what = granted ? 'Access granted' : e.reason ? DENIED[e.reason] ?? 'Access denied' : 'Access denied';
  const via = e.via ? VIA[e.via] ?? e.via : '';
  // The exit button is pressed from inside; nobody is identified and that is normal.
  const who = e.memberName ?? 'Someone';
  return { what, who, via, offline: e.offline === true, alert: !granted };
}
