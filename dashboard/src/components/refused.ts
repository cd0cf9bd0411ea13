// A save the services refused: the field it is about gets the words (and, after a render, the
// focus), the form a line saying what failed and why.
import { errorField, errorReason, errorText, type FailedAction } from '../error-words.ts';
import type { FieldErrors } from './form-bits.ts';
import type { Note } from './notes.ts';

export function refused(
  err: unknown,
  action: FailedAction,
  fields: readonly string[],
  set: (e: FieldErrors) => void,
  note: (n: Note) => void,
  rename: (field: string) => string = (f) => f,
): void {
  const field = errorField(err, fields);
  set(field ? { [rename(field)]: errorReason(err) } : {});
  note({ ok: false, text: errorText(err, action) });
}
