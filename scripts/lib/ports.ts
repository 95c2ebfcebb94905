/** The services of SweetGiggles, each an app with its own daprd sidecar. */
export type ServiceName = 'order' | 'payment' | 'delivery' | 'notifier';
export const serviceNames: readonly ServiceName[] = ['order', 'payment', 'delivery', 'notifier'];

/** The ports of one service and its sidecar. */
export interface ServicePorts {
  /** The app's port: the shop for the notifier; for the others, the routes their sidecar calls. */
  app: number;
  /**
   * The notifier's second port, where its sidecar calls it (subscriptions, health, metrics), so
   * none of that is on the shop's port. Unset for the other services, whose sidecar uses `app`.
   */
  appInternal?: number;
  daprHttp: number;
  daprGrpc: number;
  daprMetrics: number;
  /**
   * The port sidecars call each other on (service invocation). Fixed rather than left to daprd: two
   * sidecars starting at once can otherwise pick the same free port, and the second registration in
   * the name-resolution database then evicts the first ("Host registration lost").
   */
  daprInternalGrpc: number;
}

/** The standard ports `npm start` uses: the shop on 8080, sidecars on Dapr's usual 3500 range. */
export function standardPorts(): Record<ServiceName, ServicePorts> {
  const plan = (app: number, i: number): ServicePorts => ({
    app,
    daprHttp: 3500 + i,
    daprGrpc: 50001 + i * 10,
    daprMetrics: 9090 + i,
    daprInternalGrpc: 50002 + i * 10,
  });
  return { notifier: { ...plan(8080, 0), appInternal: 3000 }, order: plan(3001, 1), payment: plan(3002, 2), delivery: plan(3003, 3) };
}

/**
 * Ports from a base, for tests that must not collide with a running shop: base+0..3 the apps, then
 * +10, +20, +30 and +40 the sidecars' HTTP, gRPC, metrics and internal ports. Replica `r` of a service
 * adds 4·r; the notifier's internal app port is base+9 (replica `r`: base+9−r). A system uses at most
 * 50 ports.
 */
export function portPlan(base: number): Record<ServiceName, ServicePorts> {
  const first = (name: ServiceName) => replicaPorts(base, name, 0);
  return { notifier: first('notifier'), order: first('order'), payment: first('payment'), delivery: first('delivery') };
}

/** The ports of replica `replica` (0 is the first) of a service, in the plan of `portPlan(base)`. */
export function replicaPorts(base: number, name: ServiceName, replica: number): ServicePorts {
  const i = { notifier: 0, order: 1, payment: 2, delivery: 3 }[name] + 4 * replica;
  return {
    app: base + i,
    ...(name === 'notifier' ? { appInternal: base + 9 - replica } : {}),
    daprHttp: base + 10 + i,
    daprGrpc: base + 20 + i,
    daprMetrics: base + 30 + i,
    daprInternalGrpc: base + 40 + i,
  };
}
