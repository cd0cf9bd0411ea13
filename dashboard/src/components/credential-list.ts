// A member's cards and PINs with revoke (after a yes) and, for live cards, replace (a suspended
// member's live ones read as blocked): one piece of code for the Cards screen and a member's
// page. A controller, not an element, so the list renders in its host's shadow root and the
// host decides what "replace" does.
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { CredentialView } from '../../../contracts/api/index.ts';
import { api } from '../api.ts';
import { errorText } from '../error-words.ts';
import { t } from '../words/locale.ts';
import { localDate } from '../local-date.ts';
import { loadFailed, noteLine, type Note } from './notes.ts';

/**
 * What a host can match to the card on the desk: the end of its printed number (or UID) as the
 * gateway reported it at enrolment, else the end of its fingerprint (older cards, PINs).
 */
export const cardTailOf = (c: { tail: string; numberTail?: string | null }): string => c.numberTail ?? c.tail;

/** "Card …0A01 (Blue key fob)". */
export function credentialWords(c: CredentialView): string {
  const m = t().cards;
  return `${m.kind[c.kind]} …${cardTailOf(c)}${c.label ? ` (${c.label})` : ''}`;
}

export const credentialListStyles = css`
  ul.credentials {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  ul.credentials li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem 1rem;
    padding: 0.5rem 0;
    border-top: 1px solid var(--ss-line, #dedbd2);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
`;

export class CredentialList implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  memberId = '';
  /** null while loading or before a member is chosen. */
  credentials: CredentialView[] | null = null;
  error: unknown = null;
  /** The credential whose revocation waits for a yes. */
  confirming: number | null = null;
  note: Note = null;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Shows `memberId`'s list ('' for none), loading it. */
  async load(memberId: string): Promise<void> {
    if (memberId !== this.memberId) {
      this.confirming = null;
      this.note = null;
    }
    this.memberId = memberId;
    this.credentials = null;
    this.error = null;
    this.#host.requestUpdate();
    if (!memberId) return;
    try {
      const list = await api.memberCredentials(memberId);
      if (memberId === this.memberId) this.credentials = list;
    } catch (err) {
      if (memberId === this.memberId) this.error = err;
    }
    this.#host.requestUpdate();
  }

  async revoke(c: CredentialView): Promise<void> {
    this.confirming = null;
    try {
      const after = await api.revokeCredential(c.id);
      this.credentials = (this.credentials ?? []).map((x) => (x.id === after.id ? after : x));
      this.note = { ok: true, text: t().cards.revoked(credentialWords(c)) };
    } catch (err) {
      this.note = { ok: false, text: errorText(err, { kind: 'revoke' }) };
    }
    this.#host.requestUpdate();
  }

  #ask(id: number | null): void {
    this.confirming = id;
    this.note = null;
    this.#host.requestUpdate();
  }

  /**
   * The list, under `heading`. `replace`, when given, offers "Replace" on live cards (disabled
   * while `busy`). `suspended`: the member is suspended, so their live cards and PINs open
   * nothing and read as blocked. `footer` goes at the end of the section.
   */
  render(heading: string, opts: { replace?: (c: CredentialView) => void; busy?: boolean; suspended?: boolean; footer?: TemplateResult } = {}) {
    const m = t().cards;
    let body;
    if (this.error) body = loadFailed(this.error, { kind: 'credentials' }, () => void this.load(this.memberId));
    else if (!this.credentials) body = html`<p class="muted">${m.loadingList}</p>`;
    else if (this.credentials.length === 0) body = html`<p class="muted">${m.listEmpty}</p>`;
    else
      body = html`<ul class="credentials">
        ${this.credentials.map((c) => {
          const what = credentialWords(c);
          const validity = m.validity(localDate(c.validFrom), localDate(c.validTo));
          const blocked = opts.suspended === true && c.status === 'live';
          const state = blocked
            ? html`<span class="failed" data-field="blocked">${m.blockedSuspended}</span>`
            : html`<span class=${c.status === 'live' ? 'done' : 'muted'}>${m.status[c.status]}</span>`;
          return html`<li data-credential=${c.id} data-status=${c.status} data-blocked=${blocked ? 'suspended' : nothing}>
            <span>${what} · ${state}${validity ? html` · <span class="muted">${validity}</span>` : nothing}</span>
            ${
              c.status === 'revoked'
                ? nothing
                : this.confirming === c.id
                  ? html`<span class="actions" role="group" aria-label=${m.revokeConfirm(what)}>
                      <span>${m.revokeConfirm(what)}</span>
                      <button type="button" data-action="revoke-yes" @click=${() => void this.revoke(c)}>${m.revokeYes}</button>
                      <button type="button" class="secondary" data-action="revoke-no" @click=${() => this.#ask(null)}>${m.revokeNo}</button>
                    </span>`
                  : html`<span class="actions">
                      ${
                        opts.replace && c.kind === 'card' && c.status === 'live'
                          ? html`<button
                              type="button"
                              class="secondary"
                              data-action="replace"
                              aria-label=${m.replaceLabel(what)}
                              ?disabled=${opts.busy ?? false}
                              @click=${() => opts.replace!(c)}
                            >
                              ${m.replace}
                            </button>`
                          : nothing
                      }
                      <button type="button" class="secondary" data-action="revoke" @click=${() => this.#ask(c.id)}>${m.revoke}</button>
                    </span>`
            }
          </li>`;
        })}
      </ul>`;
    return html`<section class="panel" aria-labelledby="list-title">
      <h2 id="list-title">${heading}</h2>
      ${body}
      <div aria-live="polite">${noteLine(this.note, 'revoke-note')}</div>
      ${opts.footer ?? nothing}
    </section>`;
  }
}

/** Whom the Cards screen should start with, when another screen sends someone there. */
export const cardsIntent = { member: '' };
