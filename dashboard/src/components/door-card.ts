// One door: its state in words and colour, and an Unlock button for those allowed. Feedback is
// honest: "Sending…" until the door itself reports unlocked over the live stream, then "Locked
// again" when it relocks; a refusal shows the server's words; silence past the command's
// expiry says the unlock did not arrive.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { DoorView, UnlockAccepted } from '../../../contracts/api.ts';
import { api, isApiError } from '../api.ts';
import { DOOR_STATUS_WORDS, doorDetail, doorStatus, knownLock } from '../door-status.ts';
import { baseStyles, buttonStyles } from './shared-styles.ts';

export type UnlockPhase = 'idle' | 'sending' | 'unlocked' | 'relocked' | 'expired' | 'failed';

const EXPIRED_WORDS = 'The unlock did not arrive at the door in time. Try again, use your card or call the host.';
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
  declare failure: string;

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
      [data-state='open'] {
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
    this.phase = 'idle';
    this.failure = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#clearTimer();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('door') || !this.door) return;
    const before = changed.get('door') as DoorView | undefined;
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
      this.failure = isApiError(err) ? err.message : 'Something went wrong. Try again, use your card or call the host.';
      this.#enter('failed');
      if (isApiError(err, 401)) {
        this.dispatchEvent(new CustomEvent('session-expired', { bubbles: true, composed: true }));
      }
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
    switch (this.phase) {
      case 'sending':
        return 'Sending…';
      case 'unlocked':
        return 'Unlocked';
      case 'relocked':
        return 'Locked again';
      case 'expired':
        return EXPIRED_WORDS;
      case 'failed':
        return this.failure;
      default:
        return '';
    }
  }

  override render() {
    const door = this.door;
    if (!door) return nothing;
    const status = doorStatus(door);
    const detail = doorDetail(door);
    return html`
      <article data-door=${door.id} data-state=${status} aria-labelledby="name">
        <div class="head">
          <h3 id="name">${door.name}</h3>
          <span class="badge">${DOOR_STATUS_WORDS[status]}</span>
        </div>
        ${detail ? html`<p class="detail">${detail}</p>` : nothing}
        ${door.canUnlock
          ? html`
              <button
                type="button"
                data-action="unlock"
                aria-describedby="feedback"
                ?disabled=${this.phase === 'sending'}
                @click=${this.#onUnlock}
              >
                Unlock<span class="visually-hidden"> ${door.name}</span>
              </button>
              <p id="feedback" class="feedback" data-testid="unlock-feedback" data-phase=${this.phase} role="status">${this.#feedbackWords()}</p>
            `
          : nothing}
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
