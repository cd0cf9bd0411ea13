// What `npm start` prints once everything runs: where the dashboard, the broker and Node-RED
// are, and who can log in. Never a password or any other secret (the output ends up in logs,
// terminal scroll-back and bug reports): it says where each one is kept instead.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse } from 'yaml';
import type { SiteConfig } from '../../config/schema.ts';
import type { NodeRedSite } from '../../config/node-red/site.ts';

/** Where the operators' Node-RED password is, and how to change it. */
export function nodeRedPasswordHint(nodeRed: NodeRedSite): string {
  switch (nodeRed.adminPasswordFrom) {
    case 'env':
      return 'password: $SMARTSPACE_NODE_RED_ADMIN_PASSWORD';
    case 'secrets':
      return `password: nodeRed.adminPassword in ${nodeRed.secretsPath} (0600; edit it and restart Node-RED to change it)`;
    case 'site-key':
      return `password: derived from the site key; to choose one, set nodeRed.adminPassword in ${nodeRed.secretsPath} and restart Node-RED`;
  }
}

/** `config` as loadSiteConfig returns it (the seed path resolved). */
export function bannerLines(config: SiteConfig, nodeRed: NodeRedSite, cwd = process.cwd()): string[] {
  const { http, mqtt } = config.services;
  const url = `${http.tls ? 'https' : 'http'}://${http.host === '0.0.0.0' ? '127.0.0.1' : http.host}:${http.port}/`;
  const seed = config.services.seed;
  const members = seed ? ((parse(readFileSync(seed, 'utf8')) as { members?: Array<{ email: string; role: string }> }).members ?? []) : [];
  return [
    '',
    `  smartspace demo: ${config.site.name}`,
    `  dashboard      ${url}`,
    `  health         ${url}api/health`,
    config.broker.external
      ? `  MQTT broker    ${config.broker.url} (external: start Mosquitto yourself, see npm run mosquitto:config)`
      : `  MQTT broker    mqtt://${mqtt.host}:${mqtt.port} (ws: ${url.replace('http', 'ws')}${mqtt.wsPath.slice(1)})`,
    `  Node-RED       http://${nodeRed.host}:${nodeRed.port}/ (user ${nodeRed.adminUser}; ${nodeRedPasswordHint(nodeRed)})`,
    ...(seed && members.length > 0
      ? [`  logins (passwords in ${relative(cwd, seed) || seed}):`, ...members.map((m) => `    ${m.role.padEnd(9)} ${m.email}`)]
      : []),
    '  A process that dies is started again; Ctrl-C stops everything.',
    '',
  ];
}
