// The ways out of the alert centre: e-mail over SMTP (nodemailer), web push (web-push builds the
// VAPID-signed, encrypted request; we send it), and webhooks (a JSON POST in the shape the
// receiver takes, sent by services/webhooks/send.ts like every outgoing webhook). Each send resolves when the receiver took the message and throws with a
// short reason (never a secret) when it did not; the delivery queue retries.
import nodemailer from 'nodemailer';
import webpush from 'web-push';
import type { AlertView, WebhookFormat } from '../../contracts/api/index.ts';
import type { AlertsConfig, Secrets } from '../../config/schema.ts';
import type { AlertText } from '../../contracts/alert-words.ts';
import { postWebhook } from '../webhooks/send.ts';

const TIMEOUT_MS = 10_000;

export interface OutMessage {
  alert: AlertView;
  text: AlertText;
  site: string;
  /** Where a host opens the dashboard (a link), when configured. */
  url: string | null;
}

/** A push service's answer that the subscription is gone (404, 410): unsubscribe, do not retry. */
export class SubscriptionGone extends Error {}

export interface Channels {
  /** null: e-mail is not configured. */
  email: ((to: { name: string; email: string }, m: OutMessage) => Promise<void>) | null;
  /** null: push is off or has no keys. */
  push: ((sub: { endpoint: string; p256dh: string; auth: string }, m: OutMessage) => Promise<void>) | null;
  pushPublicKey: string | null;
  /** A plain notice to a member (a released booking, a guest's PIN); null: e-mail is not configured. */
  notice?: ((to: { name: string; email: string }, subject: string, text: string) => Promise<void>) | null;
  /** The URL comes from the secrets file (`alerts.webhooks.<id>.url`). Throws WebhookFailed. */
  webhook: (hook: { id: string; format: WebhookFormat }, m: OutMessage) => Promise<void>;
  close(): void;
}

/** A reason for the delivery list: the error's own words, cut, with nothing that looks like a credential. */
export function reasonOf(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const msg = (e.message ?? String(err)).split('\n')[0]!.replace(/(pass(word)?|auth)[=:]\S+/gi, '$1=…');
  return `${e.code ? `${e.code}: ` : ''}${msg}`.slice(0, 200);
}

/** A webhook that did not take the message; `retry: false`: do not try again (a 4xx), `retryAfterMs`: not before. */
export class WebhookFailed extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

/** A webhook body in the receiver's shape. */
export function webhookRequest(format: WebhookFormat, m: OutMessage): { body: string; headers: Record<string, string> } {
  const { alert: a, text } = m;
  switch (format) {
    case 'slack':
      // Slack, Mattermost and Teams incoming webhooks all take `text` (markdown-ish).
      return {
        body: JSON.stringify({ text: `*${text.title}*\n${text.body}${m.url ? `\n${m.url}` : ''}` }),
        headers: { 'content-type': 'application/json' },
      };
    case 'ntfy':
      // A topic URL: the body is the message, the rest are headers (latin-1 only: RFC 2047 for the title).
      return {
        body: text.body,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          title: `=?UTF-8?B?${Buffer.from(text.title).toString('base64')}?=`,
          priority: a.severity === 'critical' ? '5' : '4',
          tags: a.severity === 'critical' ? 'rotating_light' : 'warning',
          ...(m.url ? { click: m.url } : {}),
        },
      };
    case 'json':
      return {
        body: JSON.stringify({
          site: m.site,
          id: a.id,
          kind: a.kind,
          severity: a.severity,
          subject: a.subject,
          door: a.door,
          zone: a.zone,
          gateway: a.gateway,
          name: a.name,
          detail: a.detail,
          title: text.title,
          message: text.body,
          raisedAt: new Date(a.raisedAt).toISOString(),
          ...(m.url ? { url: m.url } : {}),
        }),
        headers: { 'content-type': 'application/json' },
      };
  }
}

export function createChannels(cfg: AlertsConfig, secrets: Secrets['alerts']): Channels {
  const mail = cfg.email;
  const transport = mail
    ? nodemailer.createTransport({
        host: mail.host,
        port: mail.port,
        secure: mail.secure,
        ...(mail.user ? { auth: { user: mail.user, pass: secrets?.smtpPassword ?? '' } } : {}),
        connectionTimeout: TIMEOUT_MS,
        greetingTimeout: TIMEOUT_MS,
        socketTimeout: TIMEOUT_MS,
      })
    : null;
  const vapid =
    cfg.push && secrets?.vapidPublicKey && secrets.vapidPrivateKey
      ? {
          // The push service contacts this address if our pushes misbehave.
          subject: mail ? `mailto:${/<([^>]+)>/.exec(mail.from)?.[1] ?? mail.from}` : (cfg.dashboardUrl ?? 'mailto:alerts@localhost'),
          publicKey: secrets.vapidPublicKey,
          privateKey: secrets.vapidPrivateKey,
        }
      : null;
  return {
    email: transport
      ? async (to, m) => {
          await transport.sendMail({
            from: mail!.from,
            to: { name: to.name, address: to.email },
            subject: m.text.title,
            text: `${m.text.body}${m.url ? `\n\n${m.url}` : ''}\n`,
            headers: { 'X-Smartspace-Alert': `${m.alert.kind} ${m.alert.id}` },
            priority: m.alert.severity === 'critical' ? 'high' : 'normal',
          });
        }
      : null,
    notice: transport
      ? async (to, subject, text) => {
          await transport.sendMail({ from: mail!.from, to: { name: to.name, address: to.email }, subject, text: `${text}\n` });
        }
      : null,
    push: vapid
      ? async (sub, m) => {
          const payload = JSON.stringify({
            title: m.text.title,
            body: m.text.body,
            id: m.alert.id,
            kind: m.alert.kind,
            severity: m.alert.severity,
            url: m.url ?? '/',
          });
          const req = webpush.generateRequestDetails({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, payload, {
            vapidDetails: vapid,
            TTL: 24 * 3600,
            urgency: m.alert.severity === 'critical' ? 'high' : 'normal',
            topic: `alert-${m.alert.id}`,
          });
          const res = await fetch(req.endpoint, {
            method: req.method,
            headers: req.headers as Record<string, string>,
            body: req.body ?? null,
            signal: AbortSignal.timeout(TIMEOUT_MS),
            redirect: 'error',
          });
          await res.arrayBuffer().catch(() => undefined);
          if (res.status === 404 || res.status === 410) throw new SubscriptionGone(`HTTP ${res.status}`);
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
        }
      : null,
    pushPublicKey: vapid?.publicKey ?? null,
    webhook: async (hook, m) => {
      const url = secrets?.webhooks?.[hook.id]?.url;
      if (!url) throw new WebhookFailed(`no URL for webhook "${hook.id}" in the secrets file`, false, null);
      const { body, headers } = webhookRequest(hook.format, m);
      // The same sending code and answer rules as the outgoing webhooks (services/webhooks).
      const out = await postWebhook(url, body, headers, TIMEOUT_MS);
      if (!out.ok) throw new WebhookFailed(out.reason, out.retry, out.retryAfterMs);
    },
    close: () => transport?.close(),
  };
}
