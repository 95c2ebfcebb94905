import { describe, expect, it } from 'vitest';
import { createMetrics, gaugeDeliveriesInFlight } from './metrics.ts';

describe('gaugeDeliveriesInFlight', () => {
  it('reports the deliveries in flight at the moment of each scrape', async () => {
    const metrics = createMetrics('payment');
    const inFlight = { count: 2 };
    gaugeDeliveriesInFlight(metrics, inFlight);
    expect(await metrics.registry.metrics()).toContain('sweetgiggles_deliveries_in_flight{service="payment"} 2');
    inFlight.count = 0;
    expect(await metrics.registry.metrics()).toContain('sweetgiggles_deliveries_in_flight{service="payment"} 0');
  });
});
