// English words for everything the dashboard shows, one file per area (words/en/*.ts). This
// object is the catalogue's type (`Messages`): the Danish one (da.ts) must have every key with
// the same shape, so a missing or extra translation fails the typecheck. Functions take what the
// sentence needs; word order is theirs.
import { bookingsWords } from './en/bookings.ts';
import { networkWords } from './en/network.ts';
import { errorsWords } from './en/errors.ts';
import { liveWords } from './en/live.ts';
import { manageWords } from './en/manage.ts';
import { peopleWords } from './en/people.ts';
import { safetyWords } from './en/safety.ts';
import { shellWords } from './en/shell.ts';
import { sensorsWords } from './en/sensors.ts';

export const en = {
  ...shellWords,
  ...liveWords,
  ...peopleWords,
  ...manageWords,
  ...errorsWords,
  ...safetyWords,
  ...sensorsWords,
  ...bookingsWords,
  ...networkWords,
};

export type Messages = typeof en;
