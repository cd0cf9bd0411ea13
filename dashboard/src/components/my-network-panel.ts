// A member's place in the network of spaces (issue 18), under »Mit«: for a network member, the
// other spaces with the rules they announced (days a month, doors, hours), this month's visit
// days there and in all against the home site's own limit, and the last visits; for a member
// who is none, what it is and that a host turns it on with their agreement. Nothing at a site in
// no network. From GET /api/me/network.
import { LitElement, css, html, nothing } from 'lit';
import type { MyNetwork, MyNetworkSpace } from '../../../contracts/api/index.ts';
import { api } from '../api.ts';
import { errorText } from '../error-words.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { dayRange } from './my-account-panel.ts';
import { baseStyles, buttonStyles, panelStyles, textStyles } from './shared-styles.ts';

/** Visits shown under »Seneste besøg«. */
const LAST = 5;

export class MyNetworkPanel extends LitElement {
  static override properties = { data: { state: true }, error: { state: true } };
  declare data: MyNetwork | null;
  declare error: unknown;

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    textStyles,
    css`
      ul {
        list-style: none;
        margin: 0 0 0.75rem;
        padding: 0;
      }
      li {
        padding: 0.5rem 0;
        border-top: 1px solid var(--ss-line, #dedbd2);
      }
      li p {
        margin: 0.15rem 0;
      }
      .used {
        font-weight: 600;
      }
      h3 {
        font-size: 1rem;
        margin: 1rem 0 0.25rem;
      }
    `,
  ];

  #loaded = false;

  constructor() {
    super();
    new LocaleController(this);
    this.data = null;
    this.error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#loaded) void this.load();
  }

  async load(): Promise<void> {
    this.#loaded = true;
    this.error = null;
    try {
      this.data = await api.myNetwork();
    } catch (err) {
      this.error = err;
    }
  }

  #space(s: MyNetworkSpace) {
    const m = t().myNetwork;
    const v = s.visiting;
    if (!v) {
      return html`<li data-space=${s.id}>
        <p><strong>${s.name}</strong></p>
        <p class="muted">${m.noRules}</p>
        ${s.daysThisMonth > 0 ? html`<p class="used">${m.usedThere(m.days(s.daysThisMonth))}</p>` : nothing}
      </li>`;
    }
    const hours = v.windows.length === 0 ? m.anyTime : v.windows.map((w) => `${dayRange(w.days, locale.tag)} ${w.from}–${w.to}`).join(', ');
    return html`<li data-space=${s.id}>
      <p><strong>${s.name}</strong> · ${m.perMonth(m.days(v.daysPerMonth))}</p>
      <p class="used" data-testid="space-used">${m.usedHere(m.days(s.daysThisMonth), m.days(v.daysPerMonth))}</p>
      <p>${hours}</p>
      <p class="muted">${m.doors(v.doors.map((d) => d.name).join(', '))}</p>
    </li>`;
  }

  override render() {
    const m = t().myNetwork;
    if (this.error) {
      return html`<section class="panel" role="alert">
        <p class="failed">${errorText(this.error, { kind: 'myNetwork' })}</p>
        <button type="button" class="secondary" @click=${() => void this.load()}>${t().app.tryAgain}</button>
      </section>`;
    }
    const d = this.data;
    if (!d || d.network === null) return nothing;
    const names = new Map(d.spaces.map((s) => [s.id, s.name]));
    if (!d.networkMember) {
      return html`<section class="panel" aria-labelledby="network-title" data-testid="my-network">
        <h2 id="network-title">${m.title}</h2>
        <p data-testid="network-not-member">${m.notMember}</p>
        ${d.spaces.length > 0 ? html`<p class="muted">${m.notMemberSpaces(d.spaces.map((s) => s.name).join(', '))}</p>` : nothing}
      </section>`;
    }
    const dateWords = new Intl.DateTimeFormat(locale.tag, { weekday: 'short', day: 'numeric', month: 'long', timeZone: 'UTC' });
    const date = (day: string) => dateWords.format(Date.parse(`${day}T12:00:00Z`));
    const last = d.visits.slice(-LAST).reverse();
    return html`<section class="panel" aria-labelledby="network-title" data-testid="my-network">
      <h2 id="network-title">${m.title}</h2>
      <p data-testid="network-member">${m.member}</p>
      <p class="used" data-testid="network-days">${m.inAll(m.days(d.daysThisMonth), d.homeDaysPerMonth)}</p>
      <ul data-testid="network-spaces">
        ${d.spaces.map((s) => this.#space(s))}
      </ul>
      <h3>${m.lastTitle}</h3>
      ${
        last.length === 0
          ? html`<p class="muted">${m.noVisits}</p>`
          : html`<ul data-testid="network-visits">
              ${last.map((v) => html`<li>${m.visit(names.get(v.site) ?? v.site, date(v.date))}</li>`)}
            </ul>`
      }
    </section>`;
  }
}

customElements.define('ss-my-network', MyNetworkPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-my-network': MyNetworkPanel;
  }
}
