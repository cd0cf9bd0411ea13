// The CLI's requests to this site's own services over loopback (`smartspace check`, `smartspace
// osdp enrol`): HTTP, or HTTPS to our own port without verifying the certificate (it is for the
// site's public name, not 127.0.0.1; `check` verifies the certificate files themselves).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SiteConfig } from '../config/schema.ts';

/** The address a local client uses for a listener bound to `host`. */
export const loopback = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);

/** The services' base URL on loopback, from the config. */
export function servicesUrl(config: SiteConfig): string {
  const { host, port, tls } = config.services.http;
  return `${tls ? 'https' : 'http'}://${loopback(host)}:${port}`;
}

export interface JsonReply {
  status: number;
  body: unknown;
}

/** One request with a JSON answer; rejects on a network error, a timeout or a body that is not JSON. */
export function requestJson(method: 'GET' | 'POST', url: string, headers: Record<string, string>, timeoutMs: number): Promise<JsonReply> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((done, fail) => {
    const req = request(url, { method, headers, rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          done({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch (err) {
          fail(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end();
  });
}
