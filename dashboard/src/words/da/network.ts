// Danske ord. Netværket af steder, som koordinatoren ser det (issue 18): hvert steds ledige
// pladser nu og månedens brug, og netværkets rapport for en måned.
import type { networkWords as en } from '../en/network.ts';

export const networkWords: typeof en = {
  network: {
    title: 'Netværk',
    intro: (network: string) => `Stederne i netværket »${network}«: ledige pladser nu og månedens brug.`,
    loading: 'Henter netværket…',
    thisSpace: 'dette sted',
    free: (free: number, desks: number) => `${free} af ${desks} pladser ledige`,
    asOf: (time: string) => `kl. ${time}`,
    unknown: (n: number) => `${n} uden sensorsvar lige nu`,
    stale: (time: string) => `Intet hørt siden ${time}: stedet er måske offline.`,
    noLive: 'Deler ikke ledige pladser.',
    noUsage: 'Deler ikke brugstal.',
    month: 'Måned',
    visits: 'Besøg',
    visitors: 'Medlemmer',
    networkVisits: 'Netværksbesøg',
    entries: 'Indgange',
    deskHours: 'Pladstimer',
    utilisation: 'Udnyttelse',
    desks: 'Pladser',
    space: 'Sted',
    total: 'I alt',
    noFigures: 'ingen tal',
    reportTitle: 'Rapport for netværket',
    reporting: (n: number, of: number) => `${n} af ${of} steder har tal for måneden.`,
    csv: (month: string) => `Hent ${month} (CSV)`,
    dropped: (invalid: number, unknown: number) => `Afvist fra netværket siden start: ${invalid} ugyldige, ${unknown} fra ukendte steder.`,
  },
};
