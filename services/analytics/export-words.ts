// Words of the exports people read outside the dashboard: the audit CSV, the monthly report as
// CSV and as a printable page (and its PDF). Danish and English; Danish has the English type, so
// a missing word fails the typecheck. Numbers and times: one format in both languages (24-hour
// clock, ISO dates), decimals as the language writes them on the page; CSV cells keep a dot so a
// spreadsheet reads them as numbers.
export type ExportLang = 'da' | 'en';

const en = {
  audit: {
    id: 'No.',
    time: 'Time (ISO 8601 with offset)',
    local: (tz: string) => `Local time (${tz})`,
    actor: 'Who',
    actorName: 'Who (name)',
    action: 'Action',
    target: 'About',
    targetName: 'About (name)',
    source: 'From',
    details: 'Details',
    system: 'system',
  },
  report: {
    title: 'Monthly usage report',
    generated: (at: string) => `Made ${at}`,
    openingHours: 'Opening hours',
    closed: 'closed',
    days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    summary: 'The month in numbers',
    visits: 'Visits',
    visitsNote: 'a member let in, counted once a day',
    entries: 'Entries',
    uniqueMembers: 'Unique members',
    utilisation: 'Desk utilisation within opening hours',
    utilisationShort: 'Utilisation (open hours)',
    peak: 'Peak: most desks in use at once',
    peakAt: 'Peak at',
    deskHours: 'Desk hours in use',
    openHours: 'Open hours',
    trend: 'Compared with',
    lastMonth: 'Last month',
    lastYear: 'Same month last year',
    thisMonth: 'This month',
    noData: 'no data',
    perDay: 'Day by day',
    date: 'Date',
    weekday: 'Weekday',
    total: 'Total',
    desks: (n: number) => (n === 1 ? '1 desk' : `${n} desks`),
    footnote: 'Utilisation is desk time in use while the space is open, out of all desk time while open. Times are local time; the clock is 24-hour.',
    print: 'Print or save as PDF',
  },
  /** The network's report (issue 18): one row per space, then the total. */
  network: {
    columns: ['Space', 'Visits', 'Members', 'Network visits', 'Entries', 'Desk hours', 'Utilisation %', 'Desks'],
    total: 'Total',
    noFigures: 'no figures',
  },
};

export type ExportWords = typeof en;

const da: ExportWords = {
  audit: {
    id: 'Nr.',
    time: 'Tidspunkt (ISO 8601 med forskydning)',
    local: (tz: string) => `Lokal tid (${tz})`,
    actor: 'Hvem',
    actorName: 'Hvem (navn)',
    action: 'Handling',
    target: 'Om',
    targetName: 'Om (navn)',
    source: 'Fra',
    details: 'Detaljer',
    system: 'systemet',
  },
  report: {
    title: 'Månedlig brugsrapport',
    generated: (at: string) => `Udarbejdet ${at}`,
    openingHours: 'Åbningstider',
    closed: 'lukket',
    days: ['man', 'tir', 'ons', 'tor', 'fre', 'lør', 'søn'],
    summary: 'Måneden i tal',
    visits: 'Besøg',
    visitsNote: 'et medlem lukket ind, talt én gang om dagen',
    entries: 'Indgange',
    uniqueMembers: 'Forskellige medlemmer',
    utilisation: 'Udnyttelse af pladser i åbningstiden',
    utilisationShort: 'Udnyttelse (åbningstid)',
    peak: 'Spidsbelastning: flest pladser i brug på én gang',
    peakAt: 'Spidsbelastning kl.',
    deskHours: 'Pladstimer i brug',
    openHours: 'Åbne timer',
    trend: 'Sammenlignet med',
    lastMonth: 'Sidste måned',
    lastYear: 'Samme måned sidste år',
    thisMonth: 'Denne måned',
    noData: 'ingen data',
    perDay: 'Dag for dag',
    date: 'Dato',
    weekday: 'Ugedag',
    total: 'I alt',
    desks: (n: number) => (n === 1 ? '1 plads' : `${n} pladser`),
    footnote: 'Udnyttelse er den tid, pladserne er i brug, mens stedet har åbent, ud af al pladstid i åbningstiden. Tider er lokal tid; uret er 24-timers.',
    print: 'Udskriv eller gem som PDF',
  },
  network: {
    columns: ['Sted', 'Besøg', 'Medlemmer', 'Netværksbesøg', 'Indgange', 'Pladstimer', 'Udnyttelse %', 'Pladser'],
    total: 'I alt',
    noFigures: 'ingen tal',
  },
};

export const EXPORT_WORDS: Record<ExportLang, ExportWords> = { en, da };

/** The words for `lang`, else the site's language, else English. */
export const exportWords = (lang: ExportLang | undefined, site: ExportLang | undefined): { lang: ExportLang; words: ExportWords } => {
  const l = lang ?? site ?? 'en';
  return { lang: l, words: EXPORT_WORDS[l] };
};
