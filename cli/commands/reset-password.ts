// `smartspace reset-password <email>`: a new password for a locked-out operator (or anyone),
// written straight into the services' database, which is safe while they run (WAL, busy
// timeout). Every session of that member ends: whoever knew the old password is logged out.
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../services/auth/password.ts';
import { EXIT, UsageError, siteConfigPath, type CliCommand } from '../command.ts';
import { parseFlags } from '../flags.ts';
import { cliActor, loadSite, openSiteStore } from '../site.ts';
import { MIN_PASSWORD } from './init.ts';

const usage = `usage: smartspace reset-password <email> [--password <password>] [--config <site.yaml>]

Sets a new password for the member with this e-mail (an operator locked out, or anyone) and ends
their sessions. Without --password one is generated and printed once. A suspended member stays
suspended (the dashboard, or the member's operator, turns them back on). Works while the
services run.`;

export const resetPassword: CliCommand = {
  name: 'reset-password',
  summary: "set a member's password (generated when not given) and end their sessions",
  usage,
  async run(args, io) {
    const { values: f, positionals } = parseFlags(args, { config: { type: 'string' }, password: { type: 'string' } }, 1);
    const email = positionals[0];
    if (!email) throw new UsageError('the e-mail of the member is required');
    if (f.password !== undefined && f.password.length < MIN_PASSWORD) throw new UsageError(`--password: at least ${MIN_PASSWORD} characters`);
    const site = loadSite(siteConfigPath(f.config, io), io);
    const store = openSiteStore(site.config);
    try {
      const member = store.members.withHashByEmail(email)?.member;
      if (!member) {
        io.err(`smartspace reset-password: no member has the e-mail ${email}`);
        return EXIT.failed;
      }
      const password = f.password ?? randomBytes(12).toString('base64url');
      const hash = await hashPassword(password);
      const ended = store.db.transaction(() => {
        store.members.update(member.id, { passwordHash: hash });
        const n = store.sessions.removeForMember(member.id);
        store.audit.write({ ts: Date.now(), ...cliActor(io.env), action: 'member.password-reset', target: member.id, detail: { sessionsEnded: n } });
        return n;
      })();
      io.out(`${member.name} <${member.email}> (${member.role}): password set; ${ended} session${ended === 1 ? '' : 's'} ended.`);
      if (!f.password) io.out(`New password (shown once): ${password}`);
      if (!member.active) io.out('Note: this member is suspended and cannot log in until made active again.');
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
