// What the manage screens say after something is done or has failed: a result line, and a load
// that failed with the way to try again. One piece of code for members, plans, cards, a
// member's credentials and the reports.
import { html, nothing } from 'lit';
import { errorText, type FailedAction } from '../error-words.ts';
import { t } from '../words/locale.ts';

export type Note = { ok: boolean; text: string } | null;

/** A result line: `role=status` for good news, `alert` for a failure (both announced). */
export function noteLine(note: Note, testid: string) {
  if (!note) return nothing;
  return html`<p class=${note.ok ? 'done' : 'failed'} role=${note.ok ? 'status' : 'alert'} data-testid=${testid}>${note.text}</p>`;
}

/** A load that failed: what and why (announced), and "Try again", which calls `retry`. */
export function loadFailed(err: unknown, action: FailedAction, retry: () => void, testid?: string) {
  return html`<div role="alert" data-testid=${testid ?? nothing}>
    <p class="failed">${errorText(err, action)}</p>
    <button type="button" class="secondary" @click=${retry}>${t().app.tryAgain}</button>
  </div>`;
}
