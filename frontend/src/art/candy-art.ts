import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { shade } from './colors.ts';

/** Draws one candy in a 100 × 100 box, from its main colour. */
type Shape = (color: string, dark: string, light: string) => SVGTemplateResult;

const stripes = (count: number, draw: (i: number) => SVGTemplateResult) => Array.from({ length: count }, (_, i) => draw(i));

const wrapper = (body: SVGTemplateResult, color: string, dark: string) => svg`
  <path d="M22 50 L6 36 L10 50 L6 64 Z M78 50 L94 36 L90 50 L94 64 Z" fill=${color} stroke=${dark} stroke-width="2" stroke-linejoin="round"/>
  ${body}`;

/**
 * One drawing per kind of candy, original to SweetGiggles: simple shapes in the product's colour,
 * with a darker outline and a lighter highlight.
 */
const shapes: Record<string, Shape> = {
  bear: (c, d, l) => svg`
    <circle cx="34" cy="24" r="9" fill=${c} stroke=${d} stroke-width="2"/><circle cx="66" cy="24" r="9" fill=${c} stroke=${d} stroke-width="2"/>
    <circle cx="50" cy="38" r="20" fill=${c} stroke=${d} stroke-width="2"/>
    <ellipse cx="50" cy="70" rx="24" ry="22" fill=${c} stroke=${d} stroke-width="2"/>
    <circle cx="30" cy="88" r="8" fill=${c} stroke=${d} stroke-width="2"/><circle cx="70" cy="88" r="8" fill=${c} stroke=${d} stroke-width="2"/>
    <circle cx="43" cy="35" r="2.5" fill=${d}/><circle cx="57" cy="35" r="2.5" fill=${d}/><ellipse cx="44" cy="62" rx="6" ry="9" fill=${l} opacity=".6"/>`,
  worm: (c, d, l) => svg`
    <path d="M12 70 C 24 40, 40 40, 50 60 S 76 80, 88 40" fill="none" stroke=${d} stroke-width="20" stroke-linecap="round"/>
    <path d="M12 70 C 24 40, 40 40, 50 60 S 76 80, 88 40" fill="none" stroke=${c} stroke-width="15" stroke-linecap="round"/>
    <path d="M12 70 C 24 40, 40 40, 50 60 S 76 80, 88 40" fill="none" stroke=${l} stroke-width="4" stroke-dasharray="2 8" stroke-linecap="round"/>`,
  truffle: (c, d, l) => svg`
    <circle cx="50" cy="54" r="32" fill=${c} stroke=${d} stroke-width="2"/>
    ${stripes(9, (i) => svg`<circle cx=${30 + ((i * 37) % 42)} cy=${36 + ((i * 23) % 36)} r="2" fill=${d}/>`)}
    <ellipse cx="40" cy="40" rx="9" ry="6" fill=${l} opacity=".5"/>`,
  lollipop: (c, d, l) => svg`
    <rect x="47" y="60" width="6" height="36" rx="3" fill="#f4f1de" stroke="#8d99ae" stroke-width="1.5"/>
    <circle cx="50" cy="38" r="30" fill=${c} stroke=${d} stroke-width="2"/>
    <path d="M50 38 m0 -4 a4 4 0 1 1 -4 4 a8 8 0 1 1 8 8 a12 12 0 1 1 -12 -12 a16 16 0 1 1 16 16 a20 20 0 1 1 -20 -20 a24 24 0 0 1 24 24" fill="none" stroke=${l} stroke-width="4"/>`,
  mint: (c, d) => svg`
    <circle cx="50" cy="50" r="34" fill=${c} stroke=${d} stroke-width="2"/>
    ${stripes(6, (i) => svg`<path d="M50 50 L${50 + 34 * Math.cos((i * Math.PI) / 3)} ${50 + 34 * Math.sin((i * Math.PI) / 3)} A34 34 0 0 1 ${50 + 34 * Math.cos((i * Math.PI) / 3 + 0.5)} ${50 + 34 * Math.sin((i * Math.PI) / 3 + 0.5)} Z" fill="#d62839"/>`)}
    <circle cx="50" cy="50" r="8" fill=${c}/>`,
  wrapped: (c, d, l) =>
    wrapper(
      svg`<ellipse cx="50" cy="50" rx="30" ry="20" fill=${c} stroke=${d} stroke-width="2"/><ellipse cx="42" cy="43" rx="10" ry="5" fill=${l} opacity=".6"/>`,
      c,
      d,
    ),
  twist: (c, d, l) => svg`
    <g transform="rotate(-35 50 50)"><rect x="38" y="8" width="24" height="84" rx="10" fill=${c} stroke=${d} stroke-width="2"/>
    ${stripes(7, (i) => svg`<path d="M38 ${16 + i * 11} L62 ${22 + i * 11}" stroke=${l} stroke-width="3" opacity=".6"/>`)}</g>`,
  bean: (c, d, l) => svg`
    ${stripes(
      3,
      (i) => svg`<g transform="translate(${[8, 34, 20][i]} ${[18, 42, 58][i]}) rotate(${[20, -25, 10][i]} 30 16)">
      <path d="M6 16 C 6 2, 28 0, 32 8 C 36 2, 56 4, 54 18 C 52 32, 8 32, 6 16 Z" fill=${shade(c, [-0.1, 0.15, 0][i]!)} stroke=${d} stroke-width="2"/>
      <ellipse cx="20" cy="10" rx="6" ry="3" fill=${l} opacity=".7"/></g>`,
    )}`,
  cloud: (c, d) => svg`
    <rect x="47" y="62" width="6" height="34" rx="3" fill="#f4f1de" stroke="#8d99ae" stroke-width="1.5"/>
    <path d="M26 58 a14 14 0 0 1 4 -26 a18 18 0 0 1 32 -8 a16 16 0 0 1 18 20 a12 12 0 0 1 -6 22 Z" fill=${c} stroke=${d} stroke-width="2"/>
    <circle cx="40" cy="40" r="8" fill="#bde0fe" opacity=".8"/>`,
  puff: (c, d, l) => svg`
    <rect x="24" y="30" width="52" height="46" rx="16" fill=${c} stroke=${d} stroke-width="2"/>
    <ellipse cx="50" cy="32" rx="26" ry="10" fill=${l} stroke=${d} stroke-width="2"/>`,
  crystal: (c, d, l) => svg`
    <rect x="47" y="4" width="6" height="92" rx="3" fill="#ddb892"/>
    ${stripes(7, (i) => svg`<polygon points="${36 + (i % 2) * 18},${22 + i * 9} ${46 + (i % 2) * 18},${14 + i * 9} ${56 + (i % 2) * 18 - 8},${30 + i * 9}" fill=${i % 3 ? c : l} stroke=${d} stroke-width="1.5"/>`)}`,
  shard: (c, d, l) => svg`
    <polygon points="14,60 30,28 58,20 86,38 80,70 44,82" fill=${c} stroke=${d} stroke-width="2" stroke-linejoin="round"/>
    ${stripes(5, (i) => svg`<ellipse cx=${30 + i * 11} cy=${48 + ((i * 7) % 14)} rx="5" ry="3" fill=${l}/>`)}`,
  square: (c, d, l) => svg`
    <polygon points="20,40 50,26 80,40 50,54" fill=${l} stroke=${d} stroke-width="2"/>
    <polygon points="20,40 50,54 50,84 20,70" fill=${c} stroke=${d} stroke-width="2"/>
    <polygon points="80,40 50,54 50,84 80,70" fill=${shade(c, -0.2)} stroke=${d} stroke-width="2"/>`,
  corn: (c, d) => svg`
    <path d="M50 10 L82 80 Q50 92 18 80 Z" fill="#fff8e7" stroke=${d} stroke-width="2" stroke-linejoin="round"/>
    <path d="M28 58 L72 58 L82 80 Q50 92 18 80 Z" fill=${c}/><path d="M22 70 L78 70 L82 80 Q50 92 18 80 Z" fill="#ffd60a"/>
    <path d="M50 10 L82 80 Q50 92 18 80 Z" fill="none" stroke=${d} stroke-width="2" stroke-linejoin="round"/>`,
  dome: (c, d, l) => svg`
    <path d="M18 78 C 18 30, 82 30, 82 78 Z" fill=${c} stroke=${d} stroke-width="2"/>
    ${stripes(10, (i) => svg`<circle cx=${28 + ((i * 29) % 46)} cy=${50 + ((i * 13) % 24)} r="1.8" fill=${l}/>`)}`,
  disc: (c, d, l) => svg`
    <ellipse cx="50" cy="56" rx="36" ry="26" fill=${shade(c, -0.25)} stroke=${d} stroke-width="2"/>
    <ellipse cx="50" cy="48" rx="36" ry="26" fill=${c} stroke=${d} stroke-width="2"/><ellipse cx="38" cy="40" rx="12" ry="6" fill=${l} opacity=".7"/>`,
  bar: (c, d) => svg`
    <rect x="10" y="34" width="80" height="32" rx="6" fill=${c} stroke=${d} stroke-width="2"/>
    ${stripes(8, (i) => svg`<circle cx=${20 + i * 9.5} cy=${44 + (i % 3) * 7} r="3.5" fill="#90be6d"/>`)}`,
  coin: (c, d, l) => svg`
    <circle cx="50" cy="50" r="36" fill=${c} stroke=${d} stroke-width="3"/><circle cx="50" cy="50" r="27" fill="none" stroke=${l} stroke-width="3"/>
    <path d="M50 32 L55 45 L68 45 L57 53 L61 66 L50 58 L39 66 L43 53 L32 45 L45 45 Z" fill=${l}/>`,
  shark: (c, d, l) => svg`
    <path d="M8 56 C 30 34, 66 34, 84 50 L96 38 L92 58 L96 76 L84 64 C 64 78, 30 76, 8 56 Z" fill=${c} stroke=${d} stroke-width="2" stroke-linejoin="round"/>
    <path d="M44 40 L54 20 L60 42 Z" fill=${c} stroke=${d} stroke-width="2" stroke-linejoin="round"/>
    <path d="M12 58 C 34 68, 62 70, 82 62 C 62 74, 30 74, 12 58 Z" fill=${l}/><circle cx="24" cy="52" r="2.5" fill=${d}/>`,
  bottle: (c, d, l) => svg`
    <path d="M42 10 h16 v14 c 0 8, 12 12, 12 28 v34 a8 8 0 0 1 -8 8 h-24 a8 8 0 0 1 -8 -8 v-34 c 0 -16, 12 -20, 12 -28 Z" fill=${c} stroke=${d} stroke-width="2"/>
    <path d="M30 52 h40 v18 h-40 Z" fill=${l} opacity=".8"/>`,
  lemon: (c, d, l) => svg`
    <path d="M10 50 C 20 20, 80 20, 90 50 C 80 80, 20 80, 10 50 Z" fill=${c} stroke=${d} stroke-width="2"/>
    <ellipse cx="36" cy="40" rx="12" ry="5" fill=${l}/>`,
  humbug: (c, d) => svg`
    <path d="M50 14 L84 50 L50 86 L16 50 Z" fill=${c} stroke=${d} stroke-width="2" stroke-linejoin="round"/>
    ${stripes(3, (i) => svg`<path d="M${30 + i * 14} ${36 + i * 0} L${50 + i * 14 - 14} ${76 - i * 0}" stroke="#212529" stroke-width="5" opacity=".55" transform="rotate(-45 50 50)"/>`)}`,
  caramel: (c, d, l) => svg`
    <rect x="22" y="26" width="56" height="48" rx="10" fill=${c} stroke=${d} stroke-width="2"/>
    ${stripes(6, (i) => svg`<rect x=${32 + ((i * 17) % 36)} y=${34 + ((i * 11) % 30)} width="4" height="4" fill="#fff" transform="rotate(45 ${34 + ((i * 17) % 36)} ${36 + ((i * 11) % 30)})"/>`)}
    <ellipse cx="36" cy="34" rx="8" ry="3" fill=${l} opacity=".7"/>`,
  laces: (c, d) => svg`
    ${stripes(3, (i) => svg`<path d="M6 ${30 + i * 18} C 30 ${10 + i * 18}, 60 ${50 + i * 18}, 94 ${30 + i * 18}" fill="none" stroke=${i === 1 ? d : c} stroke-width="7" stroke-linecap="round"/>`)}`,
  cane: (c, d) => svg`
    <path d="M62 94 V36 a16 16 0 0 0 -32 0" fill="none" stroke="#fff" stroke-width="14" stroke-linecap="round"/>
    <path d="M62 94 V36 a16 16 0 0 0 -32 0" fill="none" stroke=${c} stroke-width="14" stroke-dasharray="8 8" stroke-linecap="butt"/>
    <path d="M62 94 V36 a16 16 0 0 0 -32 0" fill="none" stroke=${d} stroke-width="1" transform="translate(7 0)"/>`,
  heart: (c, d, l) => svg`
    <path d="M50 86 C 16 62, 8 42, 20 26 C 32 12, 48 20, 50 32 C 52 20, 68 12, 80 26 C 92 42, 84 62, 50 86 Z" fill=${c} stroke=${d} stroke-width="2"/>
    <path d="M28 34 C 32 26, 40 26, 42 32" fill="none" stroke=${l} stroke-width="4" stroke-linecap="round"/>`,
  ring: (c, d, l) => svg`
    <circle cx="50" cy="50" r="30" fill="none" stroke=${d} stroke-width="22"/><circle cx="50" cy="50" r="30" fill="none" stroke=${c} stroke-width="18"/>
    <circle cx="50" cy="50" r="30" fill="none" stroke="#ff6b6b" stroke-width="8" stroke-dasharray="94 200"/>
    ${stripes(12, (i) => svg`<circle cx=${50 + 30 * Math.cos(i / 1.9)} cy=${50 + 30 * Math.sin(i / 1.9)} r="1.6" fill=${l}/>`)}`,
  cluster: (c, d, l) => svg`
    ${stripes(6, (i) => svg`<ellipse cx=${[32, 52, 70, 40, 60, 50][i]} cy=${[40, 34, 44, 60, 62, 48][i]} rx="13" ry="11" fill=${c} stroke=${d} stroke-width="2"/>`)}
    <ellipse cx="46" cy="30" rx="6" ry="3" fill=${l} opacity=".6"/>`,
  ball: (c, d, l) => svg`
    <circle cx="50" cy="50" r="34" fill=${c} stroke=${d} stroke-width="2"/><ellipse cx="38" cy="36" rx="12" ry="8" fill=${l} opacity=".8"/>`,
  leaf: (c, d) => svg`
    <path d="M50 8 L58 28 L76 20 L70 42 L90 44 L74 58 L82 70 L58 66 L54 86 L50 92 L46 86 L42 66 L18 70 L26 58 L10 44 L30 42 L24 20 L42 28 Z" fill=${c} stroke=${d} stroke-width="2" stroke-linejoin="round"/>
    <path d="M50 92 V40" stroke=${d} stroke-width="2"/>`,
};

/** Which drawing each product gets; anything new falls back to a wrapped sweet. */
const shapeOf: Record<string, keyof typeof shapes> = {
  'gummy-bears': 'bear',
  'sour-worms': 'worm',
  'chocolate-truffles': 'truffle',
  'lollipop-swirl': 'lollipop',
  'peppermint-drops': 'mint',
  'caramel-chews': 'wrapped',
  'licorice-twists': 'twist',
  'jelly-beans': 'bean',
  'cotton-candy': 'cloud',
  'marshmallow-puffs': 'puff',
  'rock-candy': 'crystal',
  'toffee-crunch': 'shard',
  'fudge-squares': 'square',
  'candy-corn': 'corn',
  gumdrops: 'dome',
  'butterscotch-discs': 'disc',
  'nougat-bars': 'bar',
  'chocolate-coins': 'coin',
  'gummy-sharks': 'shark',
  'fizzy-cola-bottles': 'bottle',
  'sherbet-lemons': 'lemon',
  'mint-humbugs': 'humbug',
  'salted-caramels': 'caramel',
  'strawberry-laces': 'laces',
  'candy-canes': 'cane',
  'praline-hearts': 'heart',
  'gummy-rings': 'ring',
  'chocolate-raisins': 'cluster',
  'bubblegum-balls': 'ball',
  'maple-leaves': 'leaf',
};

/** The name of the drawing a product gets (tests check that every product has its own). */
export function shapeNameOf(sku: string): string {
  return shapeOf[sku] ?? 'wrapped';
}

/**
 * The product's picture as an inline SVG, decorative (the product's name is next to it). Pale
 * candies get a darker outline so they stand out on the light card.
 */
export function candyArt(sku: string, color: string): TemplateResult {
  const draw = shapes[shapeNameOf(sku)] ?? shapes['wrapped']!;
  const dark = shade(color, -0.45);
  const light = shade(color, 0.55);
  return html`<svg viewBox="0 0 100 100" width="100%" height="100%" aria-hidden="true" focusable="false" data-shape=${shapeNameOf(sku)}>
    ${draw(color, dark, light)}
  </svg>`;
}
