/**
 * Whether a browser page at `origin` may open the notification socket: the shop's own origin (the
 * host the request was sent to) or one of `allowed`. A request without `Origin` does not come from
 * a browser page, so no cross-site page can use a visitor's connection through it.
 */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  if (!host) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}
