import { Router } from 'express';
import { subscriptionRouter, type SubscriptionOptions } from '@sweetgiggles/platform';

export interface SagaSubscriptionOptions extends Omit<SubscriptionOptions, 'deadLetterTopic'> {
  /** The pub/sub component whose consumer is unique per replica, so every replica sees every event. */
  broadcastPubsubName: string;
  /** The handlers of the broadcast subscription; the same events as `handlers`. */
  broadcastHandlers: SubscriptionOptions['handlers'];
}

const broadcastPrefix = '/broadcast';

/** A subscription as `GET /dapr/subscribe` declares it. */
interface Declaration {
  pubsubname: string;
  topic: string;
  routes: { rules: { match: string; path: string }[]; default: string };
  deadLetterTopic?: string;
}

/**
 * Every saga event, twice: on `pubsubName`, the durable subscription shared by all replicas (nothing
 * is lost while notifiers are down), and on `broadcastPubsubName`, which each replica consumes on its
 * own, so each learns of every event and can push it to its own sockets.
 *
 * The platform's router declares and serves one component; the broadcast one is mounted under
 * `/broadcast`, and its declarations are added to the durable ones in the single `/dapr/subscribe`
 * answer daprd reads. Broadcast declarations have no dead-letter topic: a poison event is
 * dead-lettered once, by the durable subscription, not once per replica.
 */
export function sagaSubscriptions(options: SagaSubscriptionOptions): Router {
  const { broadcastPubsubName, broadcastHandlers, ...durable } = options;
  const router = Router();
  router.get('/dapr/subscribe', (_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => json(Array.isArray(body) ? [...body, ...(body as Declaration[]).map(toBroadcast)] : body);
    next();
  });
  router.use(subscriptionRouter(durable));
  router.use(broadcastPrefix, subscriptionRouter({ ...durable, pubsubName: broadcastPubsubName, handlers: broadcastHandlers }));
  return router;

  function toBroadcast(declaration: Declaration): Declaration {
    const { deadLetterTopic: _durableOnly, ...rest } = declaration;
    return {
      ...rest,
      pubsubname: broadcastPubsubName,
      routes: {
        rules: declaration.routes.rules.map((rule) => ({ ...rule, path: broadcastPrefix + rule.path })),
        default: broadcastPrefix + declaration.routes.default,
      },
    };
  }
}
