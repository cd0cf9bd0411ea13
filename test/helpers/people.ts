// The demo site's people (config/demo/members.yaml) and their passwords, for tests that log in.
/** The demo site's people (config/demo/members.yaml) and their passwords. */
export const PEOPLE = {
  mette: { email: 'mette@kystkontor.dk', password: 'host-mette', role: 'host' },
  jonas: { email: 'jonas@kystkontor.dk', password: 'member-jonas', role: 'member' },
  sofie: { email: 'sofie@kystkontor.dk', password: 'member-sofie', role: 'member' },
  lars: { email: 'lars@kystkontor.dk', password: 'member-lars', role: 'member' },
  ida: { email: 'ida@kystkontor.dk', password: 'operator-ida', role: 'operator' },
} as const;
export type Person = keyof typeof PEOPLE;
