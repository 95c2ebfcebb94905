import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './system.ts';

/** How an operator's command reaches a running shop: the order service's sidecar and its Dapr API token. */
export interface OperatorAccess {
  orderSidecarUrl: string;
  daprApiToken: string;
}

/** Where `npm start` leaves its access for `npm run dead-letters` (git-ignored, readable by its owner only). */
export const operatorAccessFile = join(repoRoot, '.cache', 'run', 'default', 'operator-access.json');

/** Writes the access of a shop that just started (its tokens are new at every start). */
export function writeOperatorAccess(access: OperatorAccess, file = operatorAccessFile): void {
  writeFileSync(file, JSON.stringify(access), { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function removeOperatorAccess(file = operatorAccessFile): void {
  rmSync(file, { force: true });
}

/**
 * The access from `ORDER_DAPR_URL` and `DAPR_API_TOKEN` (Compose, `dapr run`, a port-forward in
 * Kubernetes), or else from the file `npm start` wrote; undefined when neither is there.
 */
export function readOperatorAccess(
  env: Record<string, string | undefined> = process.env,
  file = operatorAccessFile,
): OperatorAccess | undefined {
  const token = env['DAPR_API_TOKEN'];
  if (token) return { orderSidecarUrl: env['ORDER_DAPR_URL'] ?? 'http://127.0.0.1:3501', daprApiToken: token };
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<OperatorAccess>;
    if (typeof saved.orderSidecarUrl === 'string' && typeof saved.daprApiToken === 'string') {
      return { orderSidecarUrl: saved.orderSidecarUrl, daprApiToken: saved.daprApiToken };
    }
  } catch {
    // No shop started by `npm start` here.
  }
  return undefined;
}
