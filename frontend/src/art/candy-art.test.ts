import { html, render } from 'lit';
import { expect, test } from 'vitest';
import { catalog } from '@sweetgiggles/contracts';
import { candyArt, shapeNameOf } from './candy-art.ts';
import { shade } from './colors.ts';

test('every candy in the catalog has a drawing of its own', () => {
  const shapes = catalog.map((product) => shapeNameOf(product.sku));
  expect(new Set(shapes).size).toBe(catalog.length);
});

test('a drawing is a decorative SVG in the product’s colour', () => {
  const container = document.createElement('div');
  document.body.append(container);
  render(html`${candyArt('gummy-bears', '#e63946')}`, container);
  const svg = container.querySelector('svg');
  expect(svg?.getAttribute('aria-hidden')).toBe('true');
  expect(svg?.getAttribute('viewBox')).toBe('0 0 100 100');
  expect([...container.querySelectorAll('[fill]')].some((shape) => shape.getAttribute('fill') === '#e63946')).toBe(true);
  expect(svg?.getBBox().width).toBeGreaterThan(0);
  container.remove();
});

test('shades go towards white and black', () => {
  expect(shade('#808080', 1)).toBe('#ffffff');
  expect(shade('#808080', -1)).toBe('#000000');
  expect(shade('#000000', 0.5)).toBe('#808080');
  expect(shade('not a colour', 0)).toBe('#999999');
});
