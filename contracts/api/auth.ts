// Logging in and out, and who is logged in (POST /api/login, GET /api/me).
import { Type, type Static } from '@sinclair/typebox';
import { NORMALISE } from '../patterns.ts';
import { Id, Role } from './common.ts';

export const LoginBody = Type.Object(
  {
    /** Compared as the members' addresses are stored: trimmed, lower-cased (not checked as an address: a typo is just a wrong login). */
    email: Type.String({ minLength: 3, maxLength: 254, [NORMALISE]: 'email' }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const Me = Type.Object({
  id: Id,
  name: Type.String(),
  email: Type.String(),
  role: Role,
  presenceOptIn: Type.Boolean(),
  /** A coordinator of the site's network (config network.coordinators): sees the Network screen. */
  coordinator: Type.Optional(Type.Boolean()),
});
export type Me = Static<typeof Me>;
