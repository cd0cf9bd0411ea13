// The members screen's data apart from its elements: the filters, the drafts of the add, edit
// and pass forms, what is wrong with a draft, and what a saved edit sends. The name, email and
// PIN patterns and the normalisation of names and emails are the contract's (contracts/patterns.ts),
// as the services check and store them.
import type { MemberPatchBody, MemberView, NewMemberBody, Role } from '../../../contracts/api/index.ts';
import { normaliseEmail, normaliseName, regex } from '../../../contracts/patterns.ts';
import type { FieldErrors } from '../components/form-bits.ts';
import { t } from '../words/locale.ts';

/** Members per page. */
export const MEMBERS_PAGE = 20;

export const ROLES: readonly Role[] = ['member', 'host', 'operator'];

export interface MemberFilters {
  q: string;
  status: '' | 'active' | 'suspended';
  role: '' | Role;
  plan: string;
}

export interface MemberDraft {
  name: string;
  email: string;
  role: Role;
  plan: string;
  password: string;
  presenceOptIn: boolean;
}

export interface PassDraft {
  kind: 'day' | 'guest';
  plan: string;
  from: string;
  to: string;
  pin: string;
}

export const NO_FILTERS: MemberFilters = { q: '', status: '', role: '', plan: '' };

export const emptyDraft = (): MemberDraft => ({ name: '', email: '', role: 'member', plan: '', password: '', presenceOptIn: false });

/** The edit form of `m` as the services have them. */
export const draftOf = (m: MemberView): MemberDraft => ({
  name: m.name,
  email: m.email ?? '',
  role: m.role,
  plan: m.plan ?? '',
  password: '',
  presenceOptIn: m.presenceOptIn,
});

/** What is wrong with a draft, per field (`password` only when one is typed). */
export function checkMember(d: MemberDraft): FieldErrors {
  const m = t().members;
  const e: FieldErrors = {};
  const name = normaliseName(d.name);
  if (!name) e.name = m.required;
  else if (!regex('name').test(name)) e.name = m.badName;
  // A one-off guest (a plain member without a password) needs no e-mail: login is by e-mail.
  if (!d.email.trim()) {
    if (d.password || d.role !== 'member') e.email = m.emailNeeded;
  } else if (!regex('email').test(d.email.trim())) e.email = m.badEmail;
  if (d.password && d.password.length < 8) e.password = m.shortPassword;
  return e;
}

/** What the add form sends: a role only from an operator, a password only when typed. */
export function newMemberBody(d: MemberDraft, viewer: Role): NewMemberBody {
  const body: NewMemberBody = { name: normaliseName(d.name), plan: d.plan || null, presenceOptIn: d.presenceOptIn };
  if (d.email.trim()) body.email = normaliseEmail(d.email);
  if (viewer === 'operator') body.role = d.role;
  if (d.password) body.password = d.password;
  return body;
}

/** What changed between `m` and the edit form: only those fields are sent (a role only by an operator). */
export function memberPatch(d: MemberDraft, m: MemberView, viewer: Role): MemberPatchBody {
  const body: MemberPatchBody = {};
  // Compared as the services store them, so an unchanged field is not sent.
  if (normaliseName(d.name) !== m.name) body.name = normaliseName(d.name);
  if (d.email.trim() && normaliseEmail(d.email) !== m.email) body.email = normaliseEmail(d.email);
  if ((d.plan || null) !== m.plan) body.plan = d.plan || null;
  if (viewer === 'operator' && d.role !== m.role) body.role = d.role;
  if (d.presenceOptIn !== m.presenceOptIn) body.presenceOptIn = d.presenceOptIn;
  return body;
}

/** What is wrong with a pass draft, per field (the plan's error is `passPlan`: the edit form has a `plan`). */
export function checkPass(p: PassDraft): FieldErrors {
  const m = t().members;
  const e: FieldErrors = {};
  if (!p.plan) e.passPlan = m.required;
  if (!p.from) e.from = m.required;
  if (!p.to) e.to = m.required;
  else if (p.from && p.to < p.from) e.to = m.dateOrder;
  if (p.pin && !regex('pin').test(p.pin)) e.pin = m.badPin;
  return e;
}
