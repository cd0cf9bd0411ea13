// `GET /api/me/network`: what a member's home site knows of their place in the network: the
// other spaces (names from the config, rules for visitors from their announcements), their visit
// days there as the visited sites reported them home, and the home site's own cap.
import type { MyNetwork } from '../../contracts/api/index.ts';
import { localDate } from '../../contracts/local-time.ts';
import type { NetworkConfig } from '../../config/schema.ts';
import type { NetworkRepo } from '../db/network-repo.ts';
import { daysInMonth } from './home-quota.ts';

export function myNetwork(o: {
  network: NetworkConfig | undefined;
  timeZone: string;
  repo: NetworkRepo;
  member: { id: string; networkMember: boolean };
  now: number;
}): MyNetwork {
  const { network, repo, member } = o;
  const month = localDate(o.now, o.timeZone).slice(0, 7);
  const visits = repo.visitsOf(member.id);
  const announced = new Map(repo.announces().map((a) => [a.site, a]));
  const spaces = (network?.sites ?? [])
    .filter((s) => s.id !== network?.site)
    .map((s) => {
      const a = announced.get(s.id);
      return {
        id: s.id,
        name: s.name,
        visiting: a?.shares.visiting && a.visiting ? a.visiting : null,
        daysThisMonth: daysInMonth(
          visits.filter((v) => v.site === s.id),
          month,
        ).length,
      };
    });
  return {
    network: network?.id ?? null,
    networkMember: member.networkMember,
    visits: visits.map((v) => ({ site: v.site, date: v.day })),
    month,
    homeDaysPerMonth: network?.homeDaysPerMonth ?? null,
    daysThisMonth: daysInMonth(visits, month).length,
    spaces,
  };
}
