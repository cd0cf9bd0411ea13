// A host's emergency controls: lock down every door (locked, cards and PINs refused until
// released; the exit button still opens), hold one door open (unlocked until released), and
// release. Each is a door command (POST /api/doors/:id/commands, audited by the services as
// `door.command`); lockdown and hold ask first. What the doors are in now comes from the doors
// themselves over the live stream, not from what was sent.
import { LitElement, css, html, nothing } from 'lit';
import type { DoorView } from '../../../contracts/api/index.ts';
import type { CommandAction } from '../../../contracts/payloads.ts';
import { api } from '../api.ts';
import { emergencyActive, emergencyState } from '../data/emergency.ts';
import { errorText } from '../error-words.ts';
import { LocaleController, t } from '../words/locale.ts';
import { baseStyles, buttonStyles, panelStyles, textStyles } from './shared-styles.ts';

/** What is being asked before it is sent: lockdown, release of all, or hold of one door. */
type Confirming = { what: 'lockdown' } | { what: 'release-all' } | { what: 'hold'; door: string } | null;
type Note = { ok: boolean; lines: string[] } | null;

export class EmergencyPanel extends LitElement {
  static override properties = {
    doors: { attribute: false },
    confirming: { state: true },
    busy: { state: true },
    note: { state: true },
  };
  declare doors: readonly DoorView[];
  declare confirming: Confirming;
  declare busy: boolean;
  declare note: Note;

  /** Sends one door command (replaceable in tests). */
  send: (door: string, action: CommandAction, reason: string) => Promise<unknown> = (door, action, reason) => api.doorCommand(door, action, reason);

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    textStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      button.danger {
        background: var(--ss-open, #a1260d);
        border-color: var(--ss-open, #a1260d);
      }
      button.danger:hover {
        background: #7d1d0a;
      }
      .confirm {
        border: 2px solid var(--ss-open, #a1260d);
        border-radius: 0.5rem;
        padding: 0.75rem;
        background: var(--ss-open-tint, #fbeae6);
      }
      .confirm p {
        font-weight: 600;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.75rem;
      }
      li {
        display: grid;
        gap: 0.5rem;
        padding-top: 0.75rem;
        border-top: 1px solid var(--ss-line, #dedbd2);
      }
      .door {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0.25rem 1rem;
      }
      .mode {
        font-weight: 700;
      }
      [data-mode='lockdown'] .mode {
        color: var(--ss-open, #a1260d);
      }
      [data-mode='held'] .mode {
        color: var(--ss-unlocked, #8a4b00);
      }
      .note {
        margin: 0.75rem 0 0;
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.doors = [];
    this.confirming = null;
    this.busy = false;
    this.note = null;
  }

  /** Sends `action` to each of `doors`; says how many went and, per door, what failed. */
  async #run(action: CommandAction, doors: readonly DoorView[]): Promise<void> {
    const m = t().emergency;
    this.confirming = null;
    this.busy = true;
    this.note = null;
    const results = await Promise.allSettled(doors.map((d) => this.send(d.id, action, m.reason)));
    const failed: string[] = [];
    results.forEach((r, i) => {
      if (r.status === 'rejected') failed.push(m.failed(doors[i]!.name, errorText(r.reason, { kind: 'command' })));
    });
    const sent = doors.length - failed.length;
    this.note = { ok: failed.length === 0, lines: [...(sent > 0 ? [m.sent(sent)] : []), ...failed] };
    this.busy = false;
  }

  #confirmBlock(question: string, yes: string, action: string, onYes: () => void) {
    const m = t().emergency;
    return html`<div class="confirm" role="alertdialog" aria-labelledby="confirm-q" data-testid="confirm">
      <p id="confirm-q">${question}</p>
      <div class="actions">
        <button type="button" class="danger" data-action=${action} @click=${onYes}>${yes}</button>
        <button type="button" class="secondary" data-action="cancel" @click=${() => (this.confirming = null)}>${m.cancel}</button>
      </div>
    </div>`;
  }

  protected override updated(): void {
    // The question takes the focus when it appears, so a keyboard or screen reader is at it.
    const yes = this.renderRoot.querySelector<HTMLElement>('.confirm button.danger');
    if (yes && this.shadowRoot?.activeElement !== yes && this.#focusConfirm) {
      this.#focusConfirm = false;
      yes.focus();
    }
  }

  #focusConfirm = false;

  #ask(c: Confirming): void {
    this.confirming = c;
    this.note = null;
    this.#focusConfirm = true;
  }

  #lockdown() {
    const m = t().emergency;
    const s = emergencyState(this.doors);
    const c = this.confirming;
    return html`<section class="panel" aria-labelledby="lockdown-title">
      <h2 id="lockdown-title">${m.lockdownTitle}</h2>
      <p class="muted">${m.lockdownText}</p>
      ${
        c?.what === 'lockdown'
          ? this.#confirmBlock(m.lockdownConfirm, m.lockdownYes, 'lockdown-confirm', () => void this.#run('lockdown', this.doors))
          : c?.what === 'release-all'
            ? this.#confirmBlock(m.releaseConfirm, m.releaseYes, 'release-all-confirm', () => void this.#run('release', [...s.lockdown, ...s.held]))
            : html`<div class="actions">
                <button
                  type="button"
                  class="danger"
                  data-action="lockdown"
                  ?disabled=${this.busy || this.doors.length === 0}
                  @click=${() => this.#ask({ what: 'lockdown' })}
                >
                  ${m.lockdown}
                </button>
                ${
                  emergencyActive(s)
                    ? html`<button type="button" data-action="release-all" ?disabled=${this.busy} @click=${() => this.#ask({ what: 'release-all' })}>
                        ${m.releaseAll}
                      </button>`
                    : nothing
                }
              </div>`
      }
      ${this.busy ? html`<p class="note muted" role="status">${m.sending}</p>` : nothing}
      ${
        this.note
          ? html`<div class="note ${this.note.ok ? 'done' : 'failed'}" role=${this.note.ok ? 'status' : 'alert'} data-testid="command-note">
              ${this.note.lines.map((l) => html`<p>${l}</p>`)}
            </div>`
          : nothing
      }
    </section>`;
  }

  #door(d: DoorView) {
    const m = t().emergency;
    const mode = d.gatewayOnline && d.state ? d.state.mode : 'unknown';
    const c = this.confirming;
    return html`<li data-emergency-door=${d.id} data-mode=${mode}>
      <div class="door"><strong>${d.name}</strong><span class="mode">${m.mode[mode]}</span></div>
      ${
        c?.what === 'hold' && c.door === d.id
          ? this.#confirmBlock(m.holdConfirm(d.name), m.holdYes, 'hold-confirm', () => void this.#run('hold', [d]))
          : html`<div class="actions">
              ${
                mode === 'normal' || mode === 'unknown'
                  ? html`<button
                      type="button"
                      class="secondary"
                      data-action="hold"
                      ?disabled=${this.busy}
                      @click=${() => this.#ask({ what: 'hold', door: d.id })}
                    >
                      ${m.hold(d.name)}
                    </button>`
                  : html`<button type="button" data-action="release" ?disabled=${this.busy} @click=${() => void this.#run('release', [d])}>
                      ${m.release(d.name)}
                    </button>`
              }
            </div>`
      }
    </li>`;
  }

  override render() {
    const m = t().emergency;
    return html`
      <section class="panel" aria-labelledby="emergency-title">
        <h2 id="emergency-title">${m.title}</h2>
        <p class="muted">${m.intro}</p>
      </section>
      ${this.#lockdown()}
      <section class="panel" aria-labelledby="doors-title">
        <h2 id="doors-title">${m.doorsTitle}</h2>
        <p class="muted">${m.holdText}</p>
        <ul>
          ${this.doors.map((d) => this.#door(d))}
        </ul>
      </section>
    `;
  }
}

customElements.define('ss-emergency', EmergencyPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-emergency': EmergencyPanel;
  }
}
