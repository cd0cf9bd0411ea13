// The outgoing webhooks' API (services/webhooks/outbox.ts): hosts see the subscriptions' health
// and the dead letters; operators send dead letters again or delete them.
import { apiError } from '../../../contracts/errors.ts';
import type { WebhookOutbox } from '../../webhooks/outbox.ts';
import { route, routePlugin } from '../route.ts';

export interface WebhookRoutesOptions {
  webhooks: WebhookOutbox;
}

export const webhookRoutes = routePlugin<WebhookRoutesOptions>((app, { webhooks }) => {
  route(app, 'webhooks', () => webhooks.subscriptions());
  route(app, 'deadLetters', (request) => webhooks.deadLetters(request.query.limit ?? 100));
  route(app, 'retryDeadLetter', (request) => {
    if (!webhooks.retry(request.params.id)) throw apiError('not-found', `There is no dead letter ${request.params.id}.`);
    return { retried: 1 };
  });
  route(app, 'retryDeadLetters', () => ({ retried: webhooks.retryAll() }));
  route(app, 'deleteDeadLetter', (request) => {
    if (!webhooks.delete(request.params.id)) throw apiError('not-found', `There is no dead letter ${request.params.id}.`);
  });
});
