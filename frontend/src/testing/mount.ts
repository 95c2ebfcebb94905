import { render, type TemplateResult } from 'lit';
import { afterEach } from 'vitest';

const containers: HTMLElement[] = [];

afterEach(() => {
  for (const container of containers.splice(0)) container.remove();
});

/** Renders a Lit template into the page for one test, and returns the first element it made. */
export async function mount<T extends Element>(template: TemplateResult): Promise<T> {
  const container = document.createElement('div');
  document.body.append(container);
  containers.push(container);
  render(template, container);
  const element = container.firstElementChild as T;
  await (element as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  return element;
}

/** Collects the details of one kind of event an element fires. */
export function recordEvents<Detail>(target: EventTarget, name: string): Detail[] {
  const details: Detail[] = [];
  target.addEventListener(name, (event) => details.push((event as CustomEvent<Detail>).detail));
  return details;
}

/** The text of what a locator finds now ('' when nothing), for `expect.poll(() => textOf(…))`. */
export function textOf(locator: { query(): Element | null }): string {
  return locator.query()?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}
