// English words. The app around the screens: language, navigation, the live mark and the login.
import type { Role } from '../../../../contracts/api/index.ts';

export const shellWords = {
  lang: {
    label: 'Language',
  },
  app: {
    loading: 'Loading…',
    tryAgain: 'Try again',
    skip: 'Skip to content',
    logout: 'Log out',
    nav: 'Sections',
    more: 'More',
    roles: { member: 'Member', host: 'Host', operator: 'Operator' } satisfies Record<Role, string>,
    signedInAs: (name: string, role: string) => `Logged in as ${name}, ${role}`,
  },
  routes: {
    home: { member: 'Now', host: 'Overview', operator: 'Overview' } satisfies Record<Role, string>,
    floor: 'Floor plan',
    bookings: 'Bookings',
    activity: 'Activity',
    today: 'Who’s in',
    gateways: 'Gateways',
    members: 'Members',
    plans: 'Plans',
    cards: 'Cards',
    audit: 'Audit log',
    reports: 'Reports',
    network: 'Network',
    mine: 'My data',
    emergency: 'Emergency',
  },
  live: {
    connecting: 'connecting…',
    live: 'live',
    reconnecting: 'reconnecting…',
    title: 'Live updates',
  },
  login: {
    title: (site: string) => `Log in to ${site}`,
    titlePlain: 'Log in',
    email: 'Email',
    password: 'Password',
    submit: 'Log in',
    busy: 'Logging in…',
    missing: 'Enter your email and password.',
    sessionEnded: 'Your session has ended. Log in again to carry on where you were.',
  },
};
