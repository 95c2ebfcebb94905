import { Repository, type VersionedStore } from '@sweetgiggles/platform';
import type { Shipment } from './domain/shipment.ts';

/** The shipments, one record per order (`shipment-<orderId>`) with the events its steps produced. */
export type ShipmentRepository = Repository<Shipment>;

export const shipmentRepository = (store: Pick<VersionedStore, 'get' | 'save'>): ShipmentRepository =>
  new Repository<Shipment>(store, 'shipment');
