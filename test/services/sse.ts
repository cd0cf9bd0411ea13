// A Server-Sent Events client for the live stream tests: collects the `data:` messages.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { LiveMessage } from '../../contracts/api/index.ts';

export function openLive(base: string, cookie: string) {
  const messages: LiveMessage[] = [];
  const req = httpRequest(`${base}/api/live`, { headers: { cookie, accept: 'text/event-stream' } });
  const ready = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (block.startsWith('data: ')) messages.push(JSON.parse(block.slice(6)) as LiveMessage);
        }
      });
      resolve(res);
    });
    req.on('error', reject);
  });
  req.end();
  return { messages, ready, close: () => req.destroy() };
}
