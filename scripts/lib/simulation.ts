/**
 * The shop's simulated world for tests and benchmarks: no waiting and no chance (no declined payments
 * or jobs, no aborted drives) unless a test asks for them, so what is measured or checked is the
 * shop's own behaviour.
 */
export const instantSimulation: Record<string, string> = {
  PAYMENT_DELAY_MS: '0',
  WORKER_SEARCH_DELAY_MS: '0',
  WORKER_ANSWER_DELAY_MS: '0',
  PICKUP_DELAY_MS: '0',
  DRIVE_DELAY_MS: '0',
  PAYMENT_DECLINE_PROBABILITY: '0',
  WORKER_DECLINE_PROBABILITY: '0',
  DELIVERY_ABORT_PROBABILITY: '0',
  RANDOM_SEED: '42',
  LOG_LEVEL: 'info',
};

/**
 * Every test or benchmark client connects from 127.0.0.1, so the per-address WebSocket limits a shop
 * needs would throttle the clients themselves: tests and benchmarks raise them, except the test that
 * checks them.
 */
export const oneAddressForAllClients: Record<string, string> = {
  WS_MAX_CONNECTIONS_PER_ADDRESS: '10000',
  WS_MAX_HANDSHAKES_PER_MINUTE: '100000',
};
