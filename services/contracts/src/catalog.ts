/** One candy the shop sells. Prices are integer cents, never floats. */
export interface Product {
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  /** A CSS colour the storefront uses when drawing the candy. */
  color: string;
}

/** The SweetGiggles catalog: thirty candies, the same in every service and in the storefront. */
export const catalog: readonly Product[] = [
  { sku: 'gummy-bears', name: 'Gummy Bears', description: 'Chewy fruit bears in five flavours.', priceCents: 299, color: '#e63946' },
  { sku: 'sour-worms', name: 'Sour Worms', description: 'Tangy sugar-dusted gummy worms.', priceCents: 349, color: '#8ac926' },
  {
    sku: 'chocolate-truffles',
    name: 'Chocolate Truffles',
    description: 'Dark ganache rolled in cocoa.',
    priceCents: 899,
    color: '#6f4e37',
  },
  { sku: 'lollipop-swirl', name: 'Lollipop Swirl', description: 'A rainbow spiral on a stick.', priceCents: 199, color: '#ff70a6' },
  { sku: 'peppermint-drops', name: 'Peppermint Drops', description: 'Cool striped mints.', priceCents: 249, color: '#f1faee' },
  { sku: 'caramel-chews', name: 'Caramel Chews', description: 'Buttery caramels wrapped by hand.', priceCents: 429, color: '#c68b59' },
  { sku: 'licorice-twists', name: 'Licorice Twists', description: 'Red licorice ropes.', priceCents: 279, color: '#9d0208' },
  { sku: 'jelly-beans', name: 'Jelly Beans', description: 'Forty flavours in one bag.', priceCents: 329, color: '#ffbe0b' },
  { sku: 'cotton-candy', name: 'Cotton Candy', description: 'Spun sugar clouds, pink and blue.', priceCents: 399, color: '#ffc8dd' },
  { sku: 'marshmallow-puffs', name: 'Marshmallow Puffs', description: 'Soft vanilla pillows.', priceCents: 259, color: '#fdf0d5' },
  { sku: 'rock-candy', name: 'Rock Candy', description: 'Sugar crystals grown on a stick.', priceCents: 229, color: '#a2d2ff' },
  { sku: 'toffee-crunch', name: 'Toffee Crunch', description: 'Brittle English toffee with almonds.', priceCents: 549, color: '#b5838d' },
  { sku: 'fudge-squares', name: 'Fudge Squares', description: 'Creamy chocolate fudge.', priceCents: 649, color: '#582f0e' },
  { sku: 'candy-corn', name: 'Candy Corn', description: 'The three-striped autumn classic.', priceCents: 219, color: '#fb8500' },
  { sku: 'gumdrops', name: 'Gumdrops', description: 'Sugar-coated jelly domes.', priceCents: 239, color: '#06d6a0' },
  { sku: 'butterscotch-discs', name: 'Butterscotch Discs', description: 'Golden hard candies.', priceCents: 269, color: '#e9c46a' },
  { sku: 'nougat-bars', name: 'Nougat Bars', description: 'Honey nougat with pistachios.', priceCents: 579, color: '#f4e1c1' },
  { sku: 'chocolate-coins', name: 'Chocolate Coins', description: 'Milk chocolate in gold foil.', priceCents: 379, color: '#d4a017' },
  { sku: 'gummy-sharks', name: 'Gummy Sharks', description: 'Blue raspberry sharks.', priceCents: 319, color: '#219ebc' },
  { sku: 'fizzy-cola-bottles', name: 'Fizzy Cola Bottles', description: 'Sour cola gummies that fizz.', priceCents: 309, color: '#7f5539' },
  { sku: 'sherbet-lemons', name: 'Sherbet Lemons', description: 'Lemon drops with a fizzy heart.', priceCents: 289, color: '#ffe66d' },
  { sku: 'mint-humbugs', name: 'Mint Humbugs', description: 'Striped boiled mints.', priceCents: 259, color: '#adb5bd' },
  { sku: 'salted-caramels', name: 'Salted Caramels', description: 'Soft caramels with sea salt.', priceCents: 699, color: '#bc6c25' },
  { sku: 'strawberry-laces', name: 'Strawberry Laces', description: 'Long strawberry strings.', priceCents: 249, color: '#ef476f' },
  { sku: 'candy-canes', name: 'Candy Canes', description: 'Peppermint hooks, red and white.', priceCents: 199, color: '#d00000' },
  {
    sku: 'praline-hearts',
    name: 'Praline Hearts',
    description: 'Hazelnut praline in chocolate hearts.',
    priceCents: 799,
    color: '#9c6644',
  },
  { sku: 'gummy-rings', name: 'Gummy Rings', description: 'Peach rings with a sugar crust.', priceCents: 299, color: '#ffb703' },
  {
    sku: 'chocolate-raisins',
    name: 'Chocolate Raisins',
    description: 'Raisins dipped in milk chocolate.',
    priceCents: 359,
    color: '#432818',
  },
  { sku: 'bubblegum-balls', name: 'Bubblegum Balls', description: 'Big round gumballs.', priceCents: 179, color: '#cdb4db' },
  { sku: 'maple-leaves', name: 'Maple Leaves', description: 'Maple sugar candies shaped like leaves.', priceCents: 499, color: '#bb3e03' },
];

const bySku = new Map(catalog.map((product) => [product.sku, product]));

/** The product with this SKU, or undefined when the shop does not sell it. */
export function findProduct(sku: string): Product | undefined {
  return bySku.get(sku);
}
