/** Mixes a `#rrggbb` colour towards white (amount > 0) or black (amount < 0); amount is -1 to 1. */
export function shade(hex: string, amount: number): string {
  const value = /^#[0-9a-f]{6}$/i.test(hex) ? parseInt(hex.slice(1), 16) : 0x999999;
  const target = amount >= 0 ? 255 : 0;
  const weight = Math.min(1, Math.abs(amount));
  const channel = (shift: number) => Math.round(((value >> shift) & 0xff) * (1 - weight) + target * weight);
  return `#${[16, 8, 0].map((shift) => channel(shift).toString(16).padStart(2, '0')).join('')}`;
}
