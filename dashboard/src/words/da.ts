// Danske ord til alt, hvad dashboardet viser, én fil pr. område (words/da/*.ts). Hver del har
// typen fra den engelske del: en manglende eller ekstra nøgle får typecheck til at fejle.
import type { Messages } from './en.ts';
import { bookingsWords } from './da/bookings.ts';
import { networkWords } from './da/network.ts';
import { errorsWords } from './da/errors.ts';
import { liveWords } from './da/live.ts';
import { manageWords } from './da/manage.ts';
import { peopleWords } from './da/people.ts';
import { safetyWords } from './da/safety.ts';
import { shellWords } from './da/shell.ts';
import { sensorsWords } from './da/sensors.ts';

export const da: Messages = {
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
