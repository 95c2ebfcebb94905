import { parseEvent, type EventName } from '@sweetgiggles/contracts';
import { crashPoint } from './faults.ts';
import { KeyedLock } from './keyed-lock.ts';
import type { EventPublisher, OutgoingEvent } from './dapr/publisher.ts';
import type { VersionedStore } from './dapr/state-store.ts';

/** An event a decision produces. Its id is derived from the order and the step (see `eventIdOf`). */
export interface NewEvent {
  name: EventName;
  data: { orderId: string; attempt?: number };
}

/** What a use case decided about one aggregate: its new state and the events that report the change. */
export interface Decision<State> {
  state: State;
  events: NewEvent[];
}

/** An event kept with the state that produced it, and what caused it (a CloudEvent id or a request). */
export interface KeptEvent extends OutgoingEvent {
  cause: string;
}

/** An aggregate as it is stored: its state and the events its latest changes produced. */
export interface Stored<State> {
  state: State;
  events: KeptEvent[];
}

/** How many produced events an aggregate keeps, newest last: enough to republish any recent step. */
const keptEvents = 16;

/**
 * The CloudEvent id of a saga event: the order, the event and (for repeated delivery steps) the
 * attempt. The same fact always has the same id, so a republished event is a duplicate every consumer
 * can recognise.
 */
export function eventIdOf(event: NewEvent): string {
  const { orderId, attempt } = event.data;
  return attempt === undefined ? `${orderId}.${event.name}` : `${orderId}.${event.name}.${attempt}`;
}

/** One aggregate type in a Dapr state store: records under `<prefix>-<id>`, each with its kept events. */
export class Repository<State> {
  readonly #store: Pick<VersionedStore, 'get' | 'save'>;
  readonly #prefix: string;

  constructor(store: Pick<VersionedStore, 'get' | 'save'>, prefix: string) {
    this.#store = store;
    this.#prefix = prefix;
  }

  /** The aggregate with its ETag, or undefined when there is none. */
  async load(id: string): Promise<(Stored<State> & { etag: string }) | undefined> {
    const found = await this.#store.get<Stored<State>>(this.#key(id));
    return found && { ...found.value, etag: found.etag };
  }

  /** Writes a new version; with an ETag only over that version, without one only as a creation. */
  save(id: string, stored: Stored<State>, etag: string | undefined): Promise<void> {
    return this.#store.save(this.#key(id), stored, etag);
  }

  #key(id: string): string {
    return `${this.#prefix}-${id}`;
  }
}

/** What one pass of the loop did: the state after it, its kept events, and the decision when there was one. */
export interface StepResult<State> {
  state: State | undefined;
  events: KeptEvent[];
  decision: Decision<State> | undefined;
}

/**
 * The loop every use case runs: load, decide, commit, publish, answer. Changes to one aggregate are
 * serialised in this process (the ETag guards against other replicas).
 *
 * - A decision is committed first, with the events it produces kept in the same record, and only
 *   then are those events published: nothing is published for a write that did not happen.
 * - The caller acknowledges its trigger only after the publish, so a process that dies in between
 *   gets the trigger again; that pass decides nothing (the effect is in the state) and republishes
 *   the kept events of the same cause, with the same ids. Every consumer drops the duplicates.
 */
export class StepRunner {
  readonly #publisher: EventPublisher;
  readonly #lock = new KeyedLock();

  constructor(publisher: EventPublisher) {
    this.#publisher = publisher;
  }

  /**
   * Runs `decide` on the current state of `id` in `repository`. `cause` names the trigger (a
   * CloudEvent id, or a request): the same on a redelivery. `decide` returns undefined when the
   * trigger changes nothing.
   */
  run<State>(
    repository: Repository<State>,
    id: string,
    cause: string,
    decide: (current: State | undefined) => Decision<State> | undefined | Promise<Decision<State> | undefined>,
  ): Promise<StepResult<State>> {
    return this.#lock.run(id, async () => {
      const current = await repository.load(id);
      const decision = await decide(current?.state);
      if (!decision) {
        await this.#publishAll((current?.events ?? []).filter((event) => event.cause === cause));
        return { state: current?.state, events: current?.events ?? [], decision };
      }
      const produced = decision.events.map((event) => keep(event, cause));
      const events = [...(current?.events ?? []), ...produced].slice(-keptEvents);
      await repository.save(id, { state: decision.state, events }, current?.etag);
      for (const event of produced) crashPoint(`after-commit:${event.name}`);
      await this.#publishAll(produced);
      return { state: decision.state, events, decision };
    });
  }

  /** Publishes events kept earlier again (a retried request whose first answer may have been lost). */
  republish(events: KeptEvent[]): Promise<void> {
    return this.#publishAll(events);
  }

  async #publishAll(events: OutgoingEvent[]): Promise<void> {
    for (const event of events) await this.#publisher.publish(event);
  }
}

/** Validates a produced event against its contract and gives it its id. */
export function keep(event: NewEvent, cause: string): KeptEvent {
  return { id: eventIdOf(event), name: event.name, data: parseEvent(event.name, event.data), cause };
}
