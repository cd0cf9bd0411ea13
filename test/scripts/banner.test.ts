// `npm start`'s banner (scripts/lib/banner.ts) ends up in logs and terminal scroll-back: it
// says where the Node-RED password and the demo logins are, and prints no password or secret.
import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { bannerLines } from '../../scripts/lib/banner.ts';
import { loadNodeRedSite } from '../../config/node-red/site.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';

/** Every string value in a parsed YAML document. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

describe("npm start's banner", () => {
  let site: TestSite;
  afterEach(() => site?.cleanup());

  it('names where the Node-RED password is and prints no password or secret', async () => {
    site = await makeTestSite();
    const nodeRed = loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: {} });
    const text = bannerLines(site.config, nodeRed).join('\n');
    expect(text).toContain(`user operator; password: nodeRed.adminPassword in ${site.secretsPath} (0600`);
    const secrets = strings(parse(readFileSync(site.secretsPath, 'utf8')));
    expect(secrets).toContain(nodeRed.adminPassword);
    const seed = parse(readFileSync(site.config.services.seed!, 'utf8')) as { members: Array<{ email: string; password?: string }> };
    const passwords = seed.members.flatMap((m) => (m.password ? [m.password] : []));
    expect(passwords.length).toBeGreaterThan(0);
    for (const secret of [...secrets, ...passwords]) expect(text, 'a secret in the banner').not.toContain(secret);
    // The demo logins: who, and where their passwords are.
    expect(text).toContain(seed.members[0]!.email);
    expect(text).toMatch(/logins \(passwords in .*members\.yaml\)/);
  });

  it('a password from the environment or derived from the site key is not printed either', async () => {
    site = await makeTestSite();
    const fromEnv = loadNodeRedSite({
      configPath: site.configPath,
      secretsPath: site.secretsPath,
      env: { SMARTSPACE_NODE_RED_ADMIN_PASSWORD: 'admin-from-env-0123456789' },
    });
    const envText = bannerLines(site.config, fromEnv).join('\n');
    expect(envText).toContain('password: $SMARTSPACE_NODE_RED_ADMIN_PASSWORD');
    expect(envText).not.toContain('admin-from-env-0123456789');

    writeFileSync(site.secretsPath, readFileSync(site.secretsPath, 'utf8').replace(/^nodeRed:\n(?: {2}.*\n)+/m, ''));
    const derived = loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: {} });
    expect(derived.adminPasswordFrom).toBe('site-key');
    const derivedText = bannerLines(site.config, derived).join('\n');
    expect(derivedText).toContain(`set nodeRed.adminPassword in ${site.secretsPath}`);
    expect(derivedText).not.toContain(derived.adminPassword);
  });
});
