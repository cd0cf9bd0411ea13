// The demo's cast, from members.yaml: member ids, plans and card UIDs, and the cards nobody
// knows. UIDs are only ever sent to the sim reader, never printed.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from '../../config/load.ts';

export interface DemoMember {
  id: string;
  plan: string;
  /** Card UIDs (first one is tapped). */
  cards: string[];
}

export interface DemoCast {
  members: DemoMember[];
  unknownCards: string[];
}

export function loadDemoCast(path: string): DemoCast {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`, '--cards', { cause: err });
  }
  const doc = (raw ?? {}) as { members?: unknown; unknownCards?: unknown };
  if (!Array.isArray(doc.members)) throw new ConfigError(`${path}: members: expected a list`, 'members');
  const members = doc.members.map((m: unknown, i: number): DemoMember => {
    const r = (m ?? {}) as Record<string, unknown>;
    const cards = Array.isArray(r.cards) ? r.cards.filter((c): c is string => typeof c === 'string') : [];
    if (typeof r.id !== 'string') throw new ConfigError(`${path}: members[${i}].id: expected string`, `members[${i}].id`);
    return { id: r.id, plan: typeof r.plan === 'string' ? r.plan : '', cards };
  });
  const unknownCards = Array.isArray(doc.unknownCards) ? doc.unknownCards.filter((c): c is string => typeof c === 'string') : [];
  return { members: members.filter((m) => m.cards.length > 0), unknownCards };
}
