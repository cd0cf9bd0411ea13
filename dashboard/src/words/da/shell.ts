// Danske ord. Appen omkring skærmene: sprog, navigation, live-mærket og login. Samme nøgler som de engelske (typen er deres).
import type { shellWords as english } from '../en/shell.ts';

export const shellWords: typeof english = {
  lang: {
    label: 'Sprog',
  },
  app: {
    loading: 'Henter…',
    tryAgain: 'Prøv igen',
    skip: 'Gå til indholdet',
    logout: 'Log ud',
    nav: 'Sektioner',
    more: 'Mere',
    roles: { member: 'Medlem', host: 'Vært', operator: 'Driftsansvarlig' },
    signedInAs: (name, role) => `Logget ind som ${name}, ${role}`,
  },
  routes: {
    home: { member: 'Nu', host: 'Overblik', operator: 'Overblik' },
    floor: 'Plantegning',
    bookings: 'Bookinger',
    activity: 'Aktivitet',
    today: 'Hvem er her',
    members: 'Medlemmer',
    plans: 'Planer',
    cards: 'Kort',
    audit: 'Revisionslog',
    reports: 'Rapporter',
    network: 'Netværk',
    mine: 'Mine data',
    emergency: 'Nødstyring',
    gateways: 'Gateways',
  },
  live: {
    connecting: 'forbinder…',
    live: 'live',
    reconnecting: 'genforbinder…',
    title: 'Direkte opdateringer',
  },
  login: {
    title: (site) => `Log ind på ${site}`,
    titlePlain: 'Log ind',
    email: 'E-mail',
    password: 'Adgangskode',
    submit: 'Log ind',
    busy: 'Logger ind…',
    missing: 'Skriv din e-mail og adgangskode.',
    sessionEnded: 'Din session er udløbet. Log ind igen for at fortsætte, hvor du var.',
  },
};
