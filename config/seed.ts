// The seed file (services.seed in the site config): members, plans and cards for an empty
// database, e.g. the demo's config/demo/members.yaml. Read and checked here like the rest of the
// config, so a bad seed file stops the process naming the key; services/seed.ts loads it.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Email, Id } from '../contracts/patterns.ts';
import { TimeWindow } from '../contracts/payloads.ts';
import { Role, BookingRules } from '../contracts/api/index.ts';
import { ConfigError, describeSchema, jsonPointerToKey } from './load.ts';
import type { SiteConfig } from './schema.ts';

const strict = { additionalProperties: false } as const;

const SeedMember = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    email: Email,
    /** Absent: the member cannot log in (cards only) until a host sets a password. */
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 1024 })),
    role: Role,
    plan: Id,
    presenceOptIn: Type.Boolean(),
    /** Agreed to be a network member (network of spaces): their cards get visas. Default false. */
    networkMember: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
    cards: Type.Array(Type.String({ minLength: 1, maxLength: 64 })),
  },
  strict,
);

export const SeedFile = Type.Object(
  {
    plans: Type.Array(
      Type.Object(
        {
          id: Id,
          name: Type.String({ minLength: 1, maxLength: 100 }),
          doors: Type.Array(Id),
          windows: Type.Optional(Type.Array(TimeWindow)),
          offline: Type.Boolean(),
          /** What its members may book (contracts/api/plans.ts BookingRules). */
          booking: Type.Optional(BookingRules),
        },
        strict,
      ),
    ),
    members: Type.Array(SeedMember),
    /**
     * Made-up past for the demo (services/demo-history.ts): this many weeks of door events and
     * desk occupancy, from this PRNG seed, written once into a new data dir.
     */
    history: Type.Optional(
      Type.Object(
        {
          weeks: Type.Integer({ minimum: 1, maximum: 52 }),
          seed: Type.Integer({ minimum: 0, maximum: 4_294_967_295 }),
          /** The name of the holiday closure inside it. */
          closureName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          /** More members who come and go in the history (loaded with it, never without). */
          members: Type.Optional(Type.Array(SeedMember)),
        },
        strict,
      ),
    ),
    /** Cards nobody holds, for the simulator: ignored here. */
    unknownCards: Type.Optional(Type.Array(Type.String())),
  },
  strict,
);
export type SeedFile = Static<typeof SeedFile>;
export type SeedMember = Static<typeof SeedMember>;

/** Everyone the seed loads: its members, and the history's when it brings history. */
export const seedMembers = (seed: SeedFile): SeedMember[] => [...seed.members, ...(seed.history?.members ?? [])];

const checker = TypeCompiler.Compile(SeedFile);

function fail(key: string, what: string, file: string): never {
  throw new ConfigError(`${key}: ${what} (seed file ${file})`, key);
}

/** Parses and checks a seed file; errors name the key, e.g. `members[2].plan: unknown plan "x"`. */
export function readSeed(path: string, config: SiteConfig): SeedFile {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read seed file ${path}: ${(err as Error).message}`, 'services.seed', { cause: err });
  }
  if (!checker.Check(raw)) {
    const errors = [...checker.Errors(raw)].sort((a, b) => b.path.length - a.path.length);
    const e = errors[0]!;
    const what = /unexpected property/i.test(e.message)
      ? 'unknown key'
      : e.value === undefined
        ? `missing, expected ${describeSchema(e.schema)}`
        : `expected ${describeSchema(e.schema)}`;
    fail(jsonPointerToKey(e.path), what, path);
  }
  const seed = raw;
  const doors = new Set(config.doors.map((d) => d.id));
  const plans = new Set<string>();
  seed.plans.forEach((p, i) => {
    if (plans.has(p.id)) fail(`plans[${i}].id`, `duplicate id "${p.id}"`, path);
    plans.add(p.id);
    p.doors.forEach((d, j) => {
      if (!doors.has(d)) fail(`plans[${i}].doors[${j}]`, `unknown door "${d}"`, path);
    });
  });
  const ids = new Set<string>();
  const emails = new Set<string>();
  const cards = new Set<string>();
  const everyone = [
    ...seed.members.map((m, i) => ({ m, key: `members[${i}]` })),
    ...(seed.history?.members ?? []).map((m, i) => ({ m, key: `history.members[${i}]` })),
  ];
  everyone.forEach(({ m, key }) => {
    if (ids.has(m.id)) fail(`${key}.id`, `duplicate id "${m.id}"`, path);
    ids.add(m.id);
    const email = m.email.toLowerCase();
    if (emails.has(email)) fail(`${key}.email`, 'duplicate email', path);
    emails.add(email);
    if (!plans.has(m.plan)) fail(`${key}.plan`, `unknown plan "${m.plan}"`, path);
    m.cards.forEach((c, j) => {
      // Never echo a card UID into an error message: it ends up in logs.
      const norm = c.trim().toUpperCase();
      if (cards.has(norm)) fail(`${key}.cards[${j}]`, 'card already given to another member', path);
      cards.add(norm);
    });
  });
  return seed;
}
