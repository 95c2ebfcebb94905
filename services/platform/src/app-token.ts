import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/** The header daprd reads the Dapr API token from, and sends the app API token in. */
export const daprTokenHeader = 'dapr-api-token';

/**
 * Lets through only requests that carry the app API token, which daprd sends on every call it makes
 * to the app (`/dapr/subscribe`, each delivery, service invocation). Any other caller gets a 401 and
 * never reaches a handler. daprd's app health probe carries no token (1.18, `HealthProbe` in
 * `pkg/channel/http/http_channel.go`), so the health routes must stay in front of this check.
 */
export function requireAppToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const given = req.header(daprTokenHeader);
    if (given !== undefined && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res.status(401).json({ error: { code: 'unauthorized', message: 'this route answers the Dapr sidecar only' } });
  };
}

// Equal-length digests, so the comparison takes the same time whatever was sent.
const digest = (value: string) => createHash('sha256').update(value).digest();
