// What each screen is made of, per role. Plain template functions rendered inside the app
// shell's shadow root (its styles lay them out); the panels are components of their own, all
// but the first paint's loaded by route (loadScreen).
import { html, nothing, type TemplateResult } from 'lit';
import type { Me, Role, SiteView } from '../../../contracts/api/index.ts';
import type { RouteId } from '../router.ts';
import type { LiveState } from '../data/store.ts';
import { t } from '../words/locale.ts';
import type { HistoryStatus } from './visitors-panel.ts';
// The member's "Now" screen is the first paint: its panels are in the main chunk.
import './doors-panel.ts';
import './event-feed.ts';
import './floor-plan.ts';

/**
 * The panels each screen needs beyond the first paint, each in a chunk of its own, fetched when
 * the screen is first shown; null when the main chunk has them.
 */
const SCREENS: Record<RouteId, (role: Role) => Promise<unknown> | null> = {
  home: (role) => (role === 'member' ? null : import('./alerts-panel.ts')),
  bookings: () => Promise.all([import('./bookings-panel.ts'), import('./calendar-feeds.ts')]),
  floor: (role) => (role === 'host' ? Promise.all([import('./desk-list.ts'), import('./gateways/sensor-checks.ts')]) : import('./desk-list.ts')),
  activity: () => null,
  today: () => import('./visitors-panel.ts'),
  gateways: () => Promise.all([import('./gateways-panel.ts'), import('./webhooks-panel.ts')]),
  members: () => import('./members-panel.ts'),
  plans: () => import('./plans-panel.ts'),
  cards: () => import('./cards-panel.ts'),
  audit: () => import('./audit-panel.ts'),
  reports: () => import('./reports-panel.ts'),
  network: () => import('./network-panel.ts'),
  mine: () => Promise.all([import('./my-data-panel.ts'), import('./my-account-panel.ts'), import('./my-network-panel.ts')]),
  emergency: () => import('./emergency-panel.ts'),
};

const loaded = new Set<string>();

/**
 * Fetches the panels of `route` as `role` sees it, so that the screen renders with its elements
 * defined; null when there is nothing to wait for (in the main chunk, or fetched before).
 */
export function loadScreen(route: RouteId, role: Role): Promise<void> | null {
  const key = `${route} ${role}`;
  if (loaded.has(key)) return null;
  const pending = SCREENS[route](role);
  if (!pending) return null;
  return pending.then(() => void loaded.add(key));
}

export interface ViewContext {
  me: Me;
  site: SiteView | null;
  live: LiveState;
  timeZone: string;
  todayHistory: HistoryStatus;
  nodeRedUrl: string;
}

/** A member at the door: their doors first, then free desks, then what happened lately. */
function memberHome(c: ViewContext): TemplateResult {
  return html`<div class="layout member-home">
    <ss-doors-panel class="doors" mine .doors=${c.live.doors} ?loading=${!c.live.live && c.live.doors.length === 0}></ss-doors-panel>
    <ss-floor-plan class="floor" book .site=${c.site} .desks=${c.live.desks} heading=${t().desks.freeTitle}></ss-floor-plan>
    <ss-event-feed class="feed" .events=${c.live.events} time-zone=${c.timeZone}></ss-event-feed>
  </div>`;
}

/** A host glancing over: alerts, doors, the floor with since-when, the feed with names. */
function hostHome(c: ViewContext): TemplateResult {
  return html`<div class="layout host-home">
    <ss-alerts
      class="alerts"
      .doors=${c.live.doors}
      .gateways=${c.live.gateways}
      .events=${c.live.events}
      .devices=${c.live.devices}
      .desks=${c.live.desks}
      .centre=${c.live.alerts}
      time-zone=${c.timeZone}
    ></ss-alerts>
    <ss-doors-panel class="doors" .doors=${c.live.doors} ?loading=${!c.live.live && c.live.doors.length === 0}></ss-doors-panel>
    <ss-floor-plan class="floor" since book .site=${c.site} .desks=${c.live.desks}></ss-floor-plan>
    <ss-event-feed class="feed" .events=${c.live.events} time-zone=${c.timeZone}></ss-event-feed>
  </div>`;
}

export function renderView(route: RouteId, c: ViewContext): TemplateResult {
  switch (route) {
    case 'home':
      return c.me.role === 'member' ? memberHome(c) : hostHome(c);
    case 'bookings':
      return html`<div class="layout narrow">
        <ss-bookings time-zone=${c.timeZone} role=${c.me.role}></ss-bookings>
        <ss-calendar-feeds time-zone=${c.timeZone} role=${c.me.role}></ss-calendar-feeds>
      </div>`;
    case 'floor':
      // Hosts have no devices screen: their desk sensors to check are with the desks (when there are any).
      return html`<div class="layout stack">
        ${c.me.role === 'host' ? html`<ss-sensor-checks quiet time-zone=${c.timeZone}></ss-sensor-checks>` : nothing}
        <ss-floor-plan since book .site=${c.site} .desks=${c.live.desks}></ss-floor-plan>
        <ss-desk-list .site=${c.site} .desks=${c.live.desks}></ss-desk-list>
      </div>`;
    case 'activity':
      return html`<div class="layout narrow"><ss-event-feed .events=${c.live.events} time-zone=${c.timeZone}></ss-event-feed></div>`;
    case 'today':
      return html`<div class="layout narrow">
        <ss-visitors .visits=${c.live.visits} time-zone=${c.timeZone} history=${c.todayHistory} ?member=${c.me.role === 'member'}></ss-visitors>
      </div>`;
    case 'gateways':
      return html`<div class="layout narrow">
        <ss-gateways
          .gateways=${c.live.gateways}
          .devices=${c.live.devices}
          .doors=${c.live.doors}
          .desks=${c.live.desks}
          time-zone=${c.timeZone}
          node-red-url=${c.nodeRedUrl}
          ?sensor-check=${c.me.role !== 'member'}
        ></ss-gateways>
        <ss-webhooks time-zone=${c.timeZone}></ss-webhooks>
      </div>`;
    case 'members':
      return html`<div class="layout"><ss-members time-zone=${c.timeZone} role=${c.me.role} me=${c.me.id}></ss-members></div>`;
    case 'plans':
      return html`<div class="layout"><ss-plans .doors=${c.live.doors}></ss-plans></div>`;
    case 'cards':
      return html`<div class="layout narrow">
        <ss-cards role=${c.me.role} me=${c.me.id} time-zone=${c.timeZone} .doors=${c.live.doors} .enrolments=${c.live.enrolments}></ss-cards>
      </div>`;
    case 'audit':
      return html`<div class="layout"><ss-audit time-zone=${c.timeZone}></ss-audit></div>`;
    case 'reports':
      return html`<div class="layout"><ss-reports time-zone=${c.timeZone} .site=${c.site} .desks=${c.live.desks}></ss-reports></div>`;
    case 'network':
      return html`<div class="layout"><ss-network time-zone=${c.timeZone}></ss-network></div>`;
    case 'mine':
      return html`<div class="layout narrow">
        <ss-my-account></ss-my-account>
        <ss-my-network></ss-my-network>
        <ss-my-data .me=${c.me} .doors=${c.live.doors} time-zone=${c.timeZone}></ss-my-data>
      </div>`;
    case 'emergency':
      return html`<div class="layout narrow"><ss-emergency .doors=${c.live.doors}></ss-emergency></div>`;
  }
}
