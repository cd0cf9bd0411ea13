// Types for site-settings.cjs, for `npm start` and the tests.
export interface NodeRedSite {
  configPath: string;
  secretsPath: string;
  siteId: string;
  siteName: string;
  timeZone: string;
  brokerUrl: string;
  servicesUrl: string;
  userDir: string;
  host: string;
  port: number;
  layout: { zones: Array<{ id: string; name: string; capacity?: number }>; desks: Record<string, string> };
  mqttUsername: string;
  mqttPassword: string;
  automationToken: string;
  adminUser: string;
  adminPassword: string;
  credentialSecret: string;
  clockOffsetMs: number;
}

export declare class NodeRedConfigError extends Error {
  readonly code: 'SS_ERR_NODE_RED_CONFIG';
}

export declare const ROOT: string;

export declare function loadNodeRedSite(opts?: { configPath?: string; secretsPath?: string; env?: NodeJS.ProcessEnv; nowMs?: number }): NodeRedSite;
