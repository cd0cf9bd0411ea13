// Builds the demo site's signed access list the way the services do: members × plans × cards.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { AccessList, AclEntry, TimeWindow } from '../../../contracts/payloads.ts';
import { fingerprint, sign } from '../../../contracts/signing.ts';
import { DEMO_DIR } from '../../helpers/site.ts';

interface DemoPlan {
  id: string;
  doors: string[];
  windows?: TimeWindow[];
  offline: boolean;
}
interface DemoMember {
  id: string;
  role: 'member' | 'host' | 'operator';
  plan: string;
  cards: string[];
}
export interface DemoMembers {
  plans: DemoPlan[];
  members: DemoMember[];
  unknownCards: string[];
}

export function demoMembers(): DemoMembers {
  return parse(readFileSync(join(DEMO_DIR, 'members.yaml'), 'utf8')) as DemoMembers;
}

export function demoEntries(siteKey: string): AclEntry[] {
  const { plans, members } = demoMembers();
  return members.flatMap((m) => {
    const plan = plans.find((p) => p.id === m.plan)!;
    return m.cards.map((uid) => {
      const e: AclEntry = { fp: fingerprint(siteKey, uid), member: m.id, doors: plan.doors, offline: plan.offline };
      if (plan.windows) e.windows = plan.windows;
      if (m.role !== 'member') e.host = true;
      return e;
    });
  });
}

export function signedList(opts: { gateway: string; key: string; version: number; entries: AclEntry[]; ts?: number; timeZone?: string }): AccessList {
  return sign(
    {
      v: 1 as const,
      ts: opts.ts ?? Date.now(),
      gateway: opts.gateway,
      version: opts.version,
      timeZone: opts.timeZone ?? 'Europe/Copenhagen',
      entries: opts.entries,
    },
    opts.key,
  );
}
