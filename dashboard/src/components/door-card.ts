// One door: its state in words and colour, and an Unlock button for those allowed. Feedback is
// honest: "Sending…" until the door itself reports unlocked over the live stream, then "Locked
// again" when it relocks; a refusal says what failed and what to do (error-words.ts); silence
// past the command's expiry says the unlock did not arrive. A 401 is the app's business
// (api.ts onSessionEnded): it shows the login.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { DoorView, UnlockAccepted } from '../../../contracts/api/index.ts';
import { api } from '../api.ts';
import { doorNotes, doorStatus, knownLock, unknownReason } from '../data/door-status.ts';
import { errorText } from '../error-words.ts';
import { LocaleController, t } from '../words/locale.ts';
import { baseStyles, buttonStyles } from './shared-styles.ts';

export type UnlockPhase = 'idle' | 'sending' | 'unlocked' | 'relocked' | 'expired' | 'failed';
/** How long "Locked again" stays before the card goes quiet. */
const RELOCKED_SHOWN_MS = 15_000;
/** Bounds for the wait until `exp`, in case this phone's clock is far from the server's. */
const WAIT_MIN_MS = 3_000;
const WAIT_MAX_MS = 60_000;

export class DoorCard extends LitElement {
  static override properties = {
    door: { attribute: false },
    phase: { state: true },
    failure: { state: true },
  };
  declare door: DoorView;
  declare phase: UnlockPhase;
  /** Why the last unlock failed (an ApiRequestError), put in words at render time. */
  declare failure: unknown;

  /** Sends the unlock command (replaceable in tests). */
  unlock: (doorId: string) => Promise<UnlockAccepted> = api.unlock;

  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  static override styles = [
    baseStyles,
    buttonStyles,
    css`
      article {
        background: var(--ss-surface, #fff);
        border-radius: 0.75rem;
        border-left: 0.5rem solid var(--status);
        padding: 0.875rem 1rem;
        box-shadow: 0 1px 2px rgb(0 0 0 / 12%);
        display: grid;
        gap: 0.6rem;
      }
      [data-state='locked'] {
        --status: var(--ss-locked, #1e6b3a);
      }
      [data-state='unlocked'] {
        --status: var(--ss-unlocked, #8a4b00);
      }
      /* Open after an unlock or the exit button: information, not an alarm. */
      [data-state='open'] {
        --status: var(--ss-door-open, #1f4e8c);
      }
      [data-state='alarm'] {
        --status: var(--ss-open, #a1260d);
      }
      [data-state='unknown'] {
        --status: var(--ss-unknown, #5b6169);
      }
      .head {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0.75rem;
      }
      h3 {
        margin: 0;
        font-size: 1.125rem;
      }
      .badge {
        font-weight: 700;
        padding: 0.25rem 0.75rem;
        border-radius: 999px;
        background: var(--status);
        color: #fff;
        border: 2px solid var(--status);
        white-space: nowrap;
      }
      [data-state='unknown'] .badge {
        background: var(--ss-surface, #fff);
        color: var(--status);
        border-style: dashed;
      }
      .detail {
        margin: 0;
        color: var(--ss-muted, #4a525c);
        font-size: 0.9375rem;
      }
      .notes {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
      .notes li {
        font-size: 0.875rem;
        font-weight: 700;
        padding: 0.1rem 0.55rem;
        border-radius: 0.3rem;
        border: 2px solid var(--ss-unlocked, #8a4b00);
        color: var(--ss-unlocked, #8a4b00);
      }
      .notes li.alarm {
        border-color: var(--ss-open, #a1260d);
        background: var(--ss-open, #a1260d);
        color: #fff;
      }
      button {
        width: 100%;
        min-height: 3.5rem;
        font-size: 1.125rem;
      }
      .feedback {
        margin: 0;
        min-height: 1.5em;
        font-weight: 600;
      }
      .feedback[data-phase='unlocked'] {
        color: var(--ss-unlocked, #8a4b00);
      }
      .feedback[data-phase='relocked'] {
        color: var(--ss-locked, #1e6b3a);
      }
      .feedback[data-phase='failed'],
      .feedback[data-phase='expired'] {
        color: var(--ss-open, #a1260d);
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.phase = 'idle';
    this.failure = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#clearTimer();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('door') || !this.door) return;
    const before: DoorView | undefined = changed.get('door');
    const lock = knownLock(this.door);
    if (this.phase === 'sending') {
      // A fresh unlocked report (new lock state or a new report while already unlocked).
      const fresh = before?.state?.lock !== 'unlocked' || before.state.ts !== this.door.state?.ts;
      if (lock === 'unlocked' && fresh) this.#enter('unlocked');
    } else if (this.phase === 'unlocked') {
      if (lock === 'locked') this.#enter('relocked');
      else if (lock === undefined) this.#enter('idle'); // gateway gone: we no longer know
    }
  }

  async #onUnlock(): Promise<void> {
    const attempt = ++this.#attempt;
    this.#enter('sending');
    try {
      const accepted = await this.unlock(this.door.id);
      if (attempt !== this.#attempt || this.phase !== 'sending') return;
      const waitMs = Math.min(Math.max(accepted.exp - Date.now(), WAIT_MIN_MS), WAIT_MAX_MS);
      this.#timer = setTimeout(() => {
        this.#timer = null;
        if (attempt === this.#attempt && this.phase === 'sending') this.#enter('expired');
      }, waitMs);
    } catch (err) {
      if (attempt !== this.#attempt || this.phase !== 'sending') return;
      this.failure = err;
      this.#enter('failed');
    }
  }

  #enter(phase: UnlockPhase): void {
    this.#clearTimer();
    this.phase = phase;
    if (phase === 'relocked') {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        if (this.phase === 'relocked') this.phase = 'idle';
      }, RELOCKED_SHOWN_MS);
    }
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #feedbackWords(): string {
    const m = t().door;
    switch (this.phase) {
      case 'sending':
        return m.sending;
      case 'unlocked':
        return m.unlocked;
      case 'relocked':
        return m.relocked;
      case 'expired':
        return m.expired;
      case 'failed':
        return errorText(this.failure, { kind: 'unlock', door: this.door.name });
      default:
        return '';
    }
  }

  override render() {
    const door = this.door;
    if (!door) return nothing;
    const m = t().door;
    const status = doorStatus(door);
    const detail = unknownReason(door);
    const notes = doorNotes(door);
    return html`
      <article data-door=${door.id} data-state=${status} data-mode=${(door.gatewayOnline && door.state?.mode) || 'unknown'} aria-labelledby="name">
        <div class="head">
          <h3 id="name">${door.name}</h3>
          <span class="badge">${m.status[status]}</span>
        </div>
        ${detail ? html`<p class="detail">${detail}</p>` : nothing}
        ${
          notes.length
            ? html`<ul class="notes">
                ${notes.map((n) => html`<li class=${n.alarm ? 'alarm' : ''} data-note=${n.alarm ? 'alarm' : 'mode'}>${n.text}</li>`)}
              </ul>`
            : nothing
        }
        ${
          door.canUnlock
            ? html`
                <button type="button" data-action="unlock" aria-describedby="feedback" ?disabled=${this.phase === 'sending'} @click=${this.#onUnlock}>
                  ${m.unlock}<span class="visually-hidden"> ${door.name}</span>
                </button>
                <p id="feedback" class="feedback" data-testid="unlock-feedback" data-phase=${this.phase} role="status">${this.#feedbackWords()}</p>
              `
            : nothing
        }
      </article>
    `;
  }
}

customElements.define('ss-door-card', DoorCard);

declare global {
  interface HTMLElementTagNameMap {
    'ss-door-card': DoorCard;
  }
}
