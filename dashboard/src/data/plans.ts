// The plans screen's data apart from its elements: a plan's draft (rows of days and times for
// its windows), what a draft saves as, and what is wrong with a plan or a closure draft.
import type { PlanBody, PlanView } from '../../../contracts/api/index.ts';
import { normaliseName, regex } from '../../../contracts/patterns.ts';
import type { FieldErrors } from '../components/form-bits.ts';
import { t } from '../words/locale.ts';
import { rowProblem, toRows, toWindows, type WindowRow } from './plan-windows.ts';

export interface PlanDraft {
  /** null for a new plan. */
  id: string | null;
  name: string;
  doors: string[];
  rows: WindowRow[];
  offline: boolean;
  validFrom: string;
  validTo: string;
}

export interface ClosureDraft {
  name: string;
  from: string;
  to: string;
  plans: string[];
}

export const emptyClosure = (): ClosureDraft => ({ name: '', from: '', to: '', plans: [] });

export function draftOf(p: PlanView | null): PlanDraft {
  if (!p) return { id: null, name: '', doors: [], rows: [], offline: false, validFrom: '', validTo: '' };
  return { id: p.id, name: p.name, doors: [...p.doors], rows: toRows(p.windows), offline: p.offline, validFrom: p.validFrom ?? '', validTo: p.validTo ?? '' };
}

/** The body a draft saves as (the same for a new plan and a change). */
export function planBody(d: PlanDraft): PlanBody {
  return {
    name: normaliseName(d.name),
    doors: [...d.doors].sort(),
    windows: toWindows(d.rows),
    offline: d.offline,
    validFrom: d.validFrom || null,
    validTo: d.validTo || null,
  };
}

/** An empty name, or one with characters the services refuse (contracts/patterns.ts PATTERNS.name). */
function nameProblem(name: string, e: FieldErrors): void {
  const n = normaliseName(name);
  if (!n) e.name = t().plans.required;
  else if (!regex('name').test(n)) e.name = t().plans.badName;
}

/** What is wrong with a plan draft, per field; a window row's as `row<i>`. */
export function checkPlan(d: PlanDraft): FieldErrors {
  const m = t().plans;
  const e: FieldErrors = {};
  nameProblem(d.name, e);
  if (d.validFrom && d.validTo && d.validTo < d.validFrom) e.validTo = m.dateOrder;
  d.rows.forEach((r, i) => {
    const problem = rowProblem(r);
    if (problem) e[`row${i}`] = m[problem];
  });
  return e;
}

export function checkClosure(c: ClosureDraft): FieldErrors {
  const m = t().plans;
  const e: FieldErrors = {};
  nameProblem(c.name, e);
  if (!c.from) e.from = m.required;
  if (!c.to) e.to = m.required;
  else if (c.from && c.to < c.from) e.to = m.dateOrder;
  return e;
}

export const byName = (a: PlanView, b: PlanView): number => a.name.localeCompare(b.name);
