// `smartspace import members.csv`, the part without files: what each row of the spreadsheet
// would become (a member and their cards), every error per row and column, and applying the
// plan in one transaction. Cards are fingerprinted as the gateway does (contracts/signing.ts):
// the card number itself is never stored, nor printed in an error.
import { matches, normaliseEmail, normaliseName } from '../contracts/patterns.ts';
import { fingerprint, networkFingerprint } from '../contracts/signing.ts';
import type { Role } from '../contracts/api/index.ts';
import type { Store } from '../services/db/store.ts';
import { newMemberId } from '../services/http/admin.ts';
import { NO_LOGIN } from '../services/http/routes/members.ts';
import type { Csv } from './csv.ts';

export const COLUMNS = ['name', 'email', 'role', 'plan', 'cards', 'language', 'active'] as const;
export type Column = (typeof COLUMNS)[number];

/** Header words a spreadsheet may use, Danish ones included, for each column. */
const ALIASES: Record<string, Column> = {
  name: 'name',
  navn: 'name',
  email: 'email',
  'e-mail': 'email',
  mail: 'email',
  role: 'role',
  rolle: 'role',
  plan: 'plan',
  abonnement: 'plan',
  cards: 'cards',
  card: 'cards',
  kort: 'cards',
  language: 'language',
  sprog: 'language',
  active: 'active',
  aktiv: 'active',
};

const ROLES: readonly Role[] = ['member', 'host', 'operator'];
const LANGUAGES = ['en', 'da'];
const YES = new Set(['', 'yes', 'y', 'true', '1', 'ja', 'j', 'x']);
const NO = new Set(['no', 'n', 'false', '0', 'nej']);

export interface RowError {
  /** Line in the file (the header is line 1). */
  line: number;
  column: Column | 'header';
  reason: string;
}

export interface PlannedMember {
  line: number;
  id: string;
  name: string;
  email: string;
  role: Role;
  plan: string | null;
  active: boolean;
  fingerprints: string[];
  /**
   * At a site in a network of spaces: each card's network fingerprint, in the order of
   * `fingerprints` (as the seed and enrolment by tap record it; only a network member's is ever
   * published). Empty at a site in no network.
   */
  netFingerprints: string[];
}

export interface ImportPlan {
  members: PlannedMember[];
  errors: RowError[];
  /** Lines that have at least one error (skipped by --skip-errors). */
  badLines: Set<number>;
  /** A language column was given: smartspace keeps no per-member language (yet), so it is only checked. */
  languageIgnored: boolean;
}

/** Card numbers in one cell, separated by spaces or `;`. Not `,`: a w26 number is printed 123,45678. */
export function splitCards(cell: string): string[] {
  return cell.split(/[\s;]+/).filter((c) => c !== '');
}

function cardProblem(card: string): string | undefined {
  // Excel shows a long number as 1.23457E+11 and writes it so: the digits are gone.
  if (/^\d+(\.\d+)?E\+\d+$/i.test(card)) return 'written in scientific notation by the spreadsheet (format the column as text and export again)';
  if (card.length > 64) return 'longer than 64 characters';
  if (!/^[0-9A-Za-z:,._-]+$/.test(card)) return 'not a card number (letters, digits and : , . _ - only)';
  return undefined;
}

/** `networkKey`: secrets `network.key`, at a site in a network of spaces. */
export function planImport(csv: Csv, store: Store, siteKey: string, networkKey?: string): ImportPlan {
  const errors: RowError[] = [];
  const header: (Column | undefined)[] = csv.header.map((h) => ALIASES[h.toLowerCase()]);
  csv.header.forEach((h, i) => {
    if (header[i] === undefined && h !== '') errors.push({ line: 1, column: 'header', reason: `unknown column "${h}" (columns: ${COLUMNS.join(', ')})` });
    else if (header[i] && header.indexOf(header[i]) !== i) errors.push({ line: 1, column: 'header', reason: `column "${h}" given twice` });
  });
  for (const required of ['name', 'email'] as const) {
    if (!header.includes(required)) errors.push({ line: 1, column: 'header', reason: `missing column "${required}"` });
  }
  const plan: ImportPlan = { members: [], errors, badLines: new Set(), languageIgnored: header.includes('language') };
  if (errors.length > 0) {
    plan.badLines.add(1);
    return plan;
  }

  const emails = new Map<string, number>();
  const cards = new Map<string, number>(); // fingerprint → line
  const ids = new Set<string>();
  const taken = (id: string) => ids.has(id) || store.members.byId(id) !== undefined || store.erasures.pseudonymOf(id) !== undefined;
  for (const row of csv.rows) {
    const cell = (c: Column) => {
      const i = header.indexOf(c);
      return i < 0 ? '' : (row.cells[i] ?? '').trim();
    };
    const bad = (column: Column, reason: string) => {
      errors.push({ line: row.line, column, reason });
      plan.badLines.add(row.line);
    };
    if (row.cells.length > header.length && row.cells.slice(header.length).some((c) => c.trim() !== '')) {
      errors.push({ line: row.line, column: 'header', reason: `${row.cells.length} cells, the header has ${header.length}` });
      plan.badLines.add(row.line);
    }
    // Names and e-mails as the API stores them (contracts/patterns.ts): a bidi override from an
    // old system's export would spoof the feeds as well as one typed into the dashboard.
    const name = normaliseName(cell('name'));
    if (name === '') bad('name', 'empty');
    else if (name.length > 100) bad('name', 'longer than 100 characters');
    else if (!matches('name', name)) bad('name', 'has a control or text-direction character');

    const email = normaliseEmail(cell('email'));
    const key = email.toLowerCase();
    if (email === '') bad('email', 'empty');
    else if (!matches('email', email) || email.length > 254) bad('email', `"${email}" is not an e-mail address`);
    else if (emails.has(key)) bad('email', `duplicate: also on line ${emails.get(key)}`);
    else if (store.members.withHashByEmail(email)) bad('email', `already a member (${store.members.withHashByEmail(email)!.member.id})`);
    if (email !== '' && !emails.has(key)) emails.set(key, row.line);

    const roleCell = cell('role').toLowerCase();
    const role = (roleCell === '' ? 'member' : roleCell) as Role;
    if (!ROLES.includes(role)) bad('role', `"${roleCell}" is not one of ${ROLES.join(', ')}`);

    const planId = cell('plan');
    if (planId !== '' && !store.plans.byId(planId)) {
      const known = store.plans.all().map((p) => p.id);
      bad('plan', `unknown plan "${planId}" (${known.length ? `plans: ${known.join(', ')}` : 'no plans yet: make them in the dashboard first'})`);
    }

    const language = cell('language').toLowerCase();
    if (language !== '' && !LANGUAGES.includes(language)) bad('language', `"${language}" is not one of ${LANGUAGES.join(', ')}`);

    const activeCell = cell('active').toLowerCase();
    if (!YES.has(activeCell) && !NO.has(activeCell)) bad('active', `"${activeCell}" is not yes or no`);

    const fingerprints: string[] = [];
    const netFingerprints: string[] = [];
    splitCards(cell('cards')).forEach((card, j) => {
      const what = `card ${j + 1}`;
      const problem = cardProblem(card);
      if (problem) return bad('cards', `${what}: ${problem}`);
      const fp = fingerprint(siteKey, card);
      const other = cards.get(fp);
      if (other !== undefined) return bad('cards', `${what}: also on line ${other}${other === row.line ? ' (same row)' : ''}`);
      cards.set(fp, row.line);
      const holder = store.credentials.liveByFingerprint(fp);
      if (holder) return bad('cards', `${what}: already enrolled (member ${holder.member})`);
      fingerprints.push(fp);
      if (networkKey !== undefined) netFingerprints.push(networkFingerprint(networkKey, card));
    });

    if (plan.badLines.has(row.line)) continue;
    const id = newMemberId(taken);
    ids.add(id);
    plan.members.push({ line: row.line, id, name, email, role, plan: planId || null, active: !NO.has(activeCell), fingerprints, netFingerprints });
  }
  return plan;
}

/** Writes the planned members and cards in one transaction; returns how many cards were added. */
export function applyImport(store: Store, members: readonly PlannedMember[], audit: { actor: string; source: string }, now: number): number {
  return store.db.transaction(() => {
    let cards = 0;
    for (const m of members) {
      // No password: the member logs in once a host sets one (dashboard, or smartspace reset-password).
      store.members.insert(
        { id: m.id, name: m.name, email: m.email, role: m.role, plan: m.plan, presenceOptIn: false, active: m.active, passwordHash: NO_LOGIN },
        now,
      );
      m.fingerprints.forEach((fp, i) => {
        store.credentials.insert({ member: m.id, fingerprint: fp, label: 'imported' }, now);
        const netFp = m.netFingerprints[i];
        if (netFp !== undefined) store.network.setNetFingerprint(fp, netFp);
      });
      cards += m.fingerprints.length;
      store.audit.write({
        ts: now,
        ...audit,
        action: 'member.create',
        target: m.id,
        detail: { via: 'import', role: m.role, plan: m.plan, cards: m.fingerprints.length },
      });
    }
    return cards;
  })();
}
