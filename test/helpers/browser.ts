// Debian's Chromium driven by playwright-core (no browser download). The flags keep Chromium
// off the network: it may only talk to our loopback servers.
import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * `lang` sets Chromium's own UI language, which is what formats date and time fields (26.11.2026
 * in Danish): on Linux it comes from the environment Chromium starts in; a context's `locale`
 * does not reach it. Needs Debian's chromium-l10n (scripts/setup-system.sh installs it).
 */
export async function launchChromium(opts: { lang?: 'da' | 'en' } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/setup-system.sh (npm test does)`);
  const env = opts.lang
    ? { ...process.env, LANGUAGE: opts.lang === 'da' ? 'da_DK' : 'en_GB', LANG: opts.lang === 'da' ? 'da_DK.UTF-8' : 'en_GB.UTF-8' }
    : undefined;
  return chromium.launch({
    executablePath: CHROMIUM,
    ...(env ? { env: env as Record<string, string> } : {}),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
