// While any door is in lockdown or held open, every host screen says so under the header, with
// the way to the emergency controls (to release). Rendered in the app shell's shadow root.
import { html, nothing } from 'lit';
import type { DoorView } from '../../../contracts/api/index.ts';
import { emergencyActive, emergencyState } from '../data/emergency.ts';
import { ROUTE_PATHS, type RouteId } from '../router.ts';
import { t } from '../words/locale.ts';

export function emergencyBanner(doors: readonly DoorView[], route: RouteId) {
  const s = emergencyState(doors);
  if (!emergencyActive(s)) return nothing;
  const m = t().emergency;
  const names = (list: readonly DoorView[]) => list.map((d) => d.name).join(', ');
  return html`<div class="emergency-banner" role="status" data-testid="emergency-banner" data-mode=${s.lockdown.length ? 'lockdown' : 'held'}>
    <p>
      ${s.lockdown.length ? html`<strong>${m.bannerLockdown(names(s.lockdown))}</strong>` : nothing}
      ${s.held.length ? html`<strong>${m.bannerHeld(names(s.held))}</strong>` : nothing}
    </p>
    ${route === 'emergency' ? nothing : html`<a href=${ROUTE_PATHS.emergency} data-route-link="emergency">${m.bannerLink}</a>`}
  </div>`;
}
