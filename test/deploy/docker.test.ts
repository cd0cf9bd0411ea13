// The facts of Dockerfile and docker-compose.yml that matter at a site and could quietly regress:
// who the processes run as, what the healthchecks ask, that the image installs what
// scripts/release/stage.sh stages, that data lives in named volumes, that no container is
// privileged and no port is open beyond what a space needs. No Docker engine runs here; the
// linters run in docker-lint.process.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROUTES } from '../../contracts/routes.ts';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');

interface Stage {
  name: string;
  from: string;
  lines: string[];
}

/** Dockerfile stages with their instructions (continuation lines joined, comments dropped). */
function stages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const out: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) out.push({ from: from[1] ?? '', name: from[2] ?? '', lines: [] });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

interface Service {
  image?: string;
  build?: { target?: string };
  profiles?: string[];
  privileged?: boolean;
  cap_add?: string[];
  restart?: string;
  volumes?: string[];
  ports?: string[];
  devices?: string[];
  group_add?: (string | number)[];
  healthcheck?: { test: string[] };
  network_mode?: string;
  user?: string;
  environment?: Record<string, string>;
}

const dockerfile = stages(read('Dockerfile'));
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const stage = (name: string) => {
  const s = dockerfile.find((x) => x.name === name);
  if (!s) throw new Error(`Dockerfile has no stage ${name}`);
  return s;
};
const RUNTIME_TARGETS = ['app', 'node-red'];
const LONG_RUNNING = Object.entries(compose.services).filter(([, s]) => s.restart !== 'no');

describe('Dockerfile', () => {
  it('runs every image a site runs as the non-root user node, on the base without a compiler', () => {
    for (const name of RUNTIME_TARGETS) {
      const s = stage(name);
      expect(s.from, name).toBe('base');
      const users = s.lines.filter((l) => /^USER\s/i.test(l));
      expect(users.at(-1), name).toBe('USER node');
    }
    const base = stage('base');
    expect(base.from).toMatch(/^alpine:/);
    expect(base.lines.join('\n')).not.toMatch(/\b(g\+\+|gcc|make|python3|npm)\b/);
    expect(base.lines.join('\n')).toMatch(/adduser -u 1000 -G node/);
    expect(base.lines).toContain('ENTRYPOINT ["/sbin/tini", "--"]');
    // The default target (the last stage) is the services + gateway image.
    expect(dockerfile.at(-1)?.name).toBe('app');
  });

  it('installs what scripts/release/stage.sh stages, without the optional Node, on the runtime node', () => {
    const s = stage('stage');
    const run = s.lines.filter((l) => l.startsWith('RUN ')).join('\n');
    expect(run).toMatch(/SMARTSPACE_OMIT_OPTIONAL=1 scripts\/release\/stage\.sh \/stage\/node-red/);
    expect(run).toMatch(/deploy\/docker\/services-only\.sh \/stage\/app/);
    // The runtime's node binary comes from the image epoll was compiled against.
    expect(stage('base').lines).toContain('COPY --from=stage /usr/local/bin/node /usr/local/bin/node');
    expect(stage('app').lines).toContain('COPY --from=stage /stage/app /app');
    expect(stage('node-red').lines).toContain('COPY --from=stage /stage/node-red /app');
    expect(stage('build').lines).toContain('RUN npm run build');
  });

  it("checks health on the contract's health route, with node's fetch (no curl)", () => {
    const check = stage('app').lines.find((l) => l.startsWith('HEALTHCHECK')) ?? '';
    expect(check).toContain(`${ROUTES.health.path}'`);
    expect(check).toMatch(/CMD \["node", "-e"/);
    expect(dockerfile.flatMap((x) => x.lines).join('\n')).not.toMatch(/\bcurl\b/);
  });

  it('puts smartspace on PATH in both images', () => {
    for (const name of RUNTIME_TARGETS) expect(stage(name).lines).toContain('RUN ln -s /app/bin/smartspace.js /usr/local/bin/smartspace');
  });

  it('keeps node_modules, builds, data and secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const p of ['node_modules', 'dist', 'data', 'site', '**/secrets.yaml', '.env', '.git']) expect(ignored).toContain(p);
  });
});

describe('docker-compose.yml', () => {
  it('runs services, gateway and Node-RED from the two images, restarting them', () => {
    const { services, gateway } = compose.services;
    expect(services?.build?.target).toBe('app');
    expect(gateway?.build?.target).toBe('app');
    expect(compose.services['node-red']?.build?.target).toBe('node-red');
    for (const [name, s] of LONG_RUNNING) expect(s.restart, name).toBe('unless-stopped');
  });

  it('has a healthcheck on every long-running service, the services on the health route', () => {
    for (const [name, s] of LONG_RUNNING) expect(s.healthcheck?.test, name).toBeDefined();
    expect(compose.services.services?.healthcheck?.test.join(' ')).toContain(`:8080${ROUTES.health.path}'`);
    expect(compose.services.gateway?.healthcheck?.test.join(' ')).toContain(`http://services:8080${ROUTES.health.path}'`);
  });

  it('mounts every named volume it declares and declares every one it mounts', () => {
    const declared = Object.keys(compose.volumes).sort();
    const mounted = new Set<string>();
    for (const s of Object.values(compose.services))
      for (const v of s.volumes ?? []) {
        const src = v.split(':')[0] ?? '';
        if (!src.startsWith('.') && !src.startsWith('/')) mounted.add(src);
      }
    expect([...mounted].sort()).toEqual(declared);
    for (const name of ['services', 'gateway', 'node-red']) expect(compose.services[name]?.volumes, name).toContain('data:/data');
    expect(compose.services.services?.volumes).toContain('./site:/config');
  });

  it('runs nothing privileged and passes hardware in by device node', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.privileged, name).not.toBe(true);
      expect(s.cap_add ?? [], name).toEqual([]);
      expect(s.network_mode ?? 'bridge', name).not.toBe('host');
    }
    const gw = compose.services.gateway;
    expect(gw?.devices).toContain('/dev/gpiochip0:/dev/gpiochip0');
    expect(gw?.devices?.some((d) => d.startsWith('/dev/tty'))).toBe(true);
    expect(gw?.group_add).toContain('dialout');
    expect(gw?.volumes).toContain('./site:/config:ro');
  });

  it('opens no port beyond what a space needs', () => {
    const published = Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => `${name} ${p}`));
    expect(published.sort()).toEqual([
      'caddy 0.0.0.0:443:443',
      'caddy 0.0.0.0:443:443/udp',
      'caddy 0.0.0.0:80:80',
      'grafana ${SMARTSPACE_GRAFANA_BIND:-127.0.0.1}:3000:3000',
      'node-red 127.0.0.1:1880:1880',
      'services ${SMARTSPACE_HTTP_BIND:-0.0.0.0}:8080:8080',
    ]);
    expect(compose.services.caddy?.profiles).toEqual(['https']);
    expect(compose.services.grafana?.profiles).toEqual(['grafana']);
  });

  it('runs Grafana from the provisioning folder, read-only, with an admin password nobody shipped', () => {
    const g = compose.services.grafana;
    expect(g?.volumes).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
    const env = g?.environment ?? {};
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{SMARTSPACE_GRAFANA_ADMIN_PASSWORD:\?[^}]+\}$/);
    // Every variable the provisioned data sources read is handed to the container.
    const wanted = new Set(
      [
        ...read('deploy/grafana/provisioning/datasources/influxdb1.yaml').matchAll(/\$\{(\w+)\}/g),
        ...read('deploy/grafana/provisioning/datasources/influxdb2.yaml').matchAll(/\$\{(\w+)\}/g),
      ].map((m) => m[1]),
    );
    for (const name of wanted) expect(Object.keys(env), name).toContain(name);
  });

  it('gives Caddy the fixed address the services are told to trust', () => {
    const text = read('docker-compose.yml');
    const ip = /ipv4_address: (\S+)/.exec(text)?.[1];
    expect(ip).toBeDefined();
    expect(text).toContain(`trustProxy: [${ip}]`);
    expect(read('deploy/caddy/Caddyfile')).toMatch(/reverse_proxy services:8080/);
  });
});
