// The network of spaces as its coordinator sees it (README "Network of spaces"): each space's
// live free desks and this month's usage, and the network's monthly report (per space and in
// all). Built from what the sites share (contracts/network.ts NetSummary, NetUsage) and, for
// the coordinator's own site, from its own figures: the same ones it publishes.
import { Type, type Static } from '@sinclair/typebox';
import { Id, Month, strictObject } from './common.ts';
import { ExportLang } from './audit.ts';

/** A month's usage figures of one space, or their sum (a site's funder report totals). */
export const NetworkFigures = Type.Object({
  visits: Type.Integer(),
  visitors: Type.Integer(),
  networkVisits: Type.Integer(),
  entries: Type.Integer(),
  deskHours: Type.Number(),
  openDeskHours: Type.Number(),
  utilisation: Type.Union([Type.Number(), Type.Null()]),
  desks: Type.Integer(),
});
export type NetworkFigures = Static<typeof NetworkFigures>;

export const NetworkSpace = Type.Object({
  site: Id,
  name: Type.String(),
  /** The site answering (the coordinator's own). */
  self: Type.Boolean(),
  /** Live free desks; null when the space shares none (or none has arrived). */
  live: Type.Union([
    Type.Object({
      desks: Type.Integer(),
      free: Type.Integer(),
      unknown: Type.Integer(),
      /** Epoch ms the space counted them. */
      ts: Type.Integer(),
      /** Older than a few minutes (contracts/network.ts NET_STALE_MS): the space may be offline. */
      stale: Type.Boolean(),
    }),
    Type.Null(),
  ]),
  /** This month's usage so far; null when the space shares none (or none has arrived). */
  usage: Type.Union([NetworkFigures, Type.Null()]),
});
export type NetworkSpace = Static<typeof NetworkSpace>;

export const NetworkOverview = Type.Object({
  network: Id,
  /** The current month (YYYY-MM, the answering site's time zone). */
  month: Month,
  spaces: Type.Array(NetworkSpace),
  /** Shared messages refused since start: not matching their schema, or from a site not in `network.sites`. */
  dropped: Type.Object({ invalid: Type.Integer(), unknownSite: Type.Integer() }),
});
export type NetworkOverview = Static<typeof NetworkOverview>;

export const NetworkReportQuery = Type.Object(
  { month: Month, format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])), lang: Type.Optional(ExportLang) },
  strictObject,
);
export type NetworkReportQuery = Static<typeof NetworkReportQuery>;

export const NetworkReport = Type.Object({
  network: Id,
  month: Month,
  /** Every space of the network; `usage` null when it has shared no figures for the month. */
  spaces: Type.Array(Type.Object({ site: Id, name: Type.String(), usage: Type.Union([NetworkFigures, Type.Null()]) })),
  /** The sum over the spaces with figures; utilisation weighted by their open desk hours. */
  total: NetworkFigures,
  /** Spaces with figures for the month, of all. */
  reporting: Type.Integer(),
});
export type NetworkReport = Static<typeof NetworkReport>;
