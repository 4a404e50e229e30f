// Axis arithmetic shared by the charts: a round top for the axis and evenly spaced ticks.

/** The smallest "nice" number (1, 2, 5 × 10ⁿ steps) at or above `max`, at least 1. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 4, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

/** Tick values from 0 to `top`: whole steps when `top` is a small whole number (a 1–5 score), else quarters. */
export function ticks(top: number): number[] {
  const count = Number.isInteger(top) && top <= 10 ? top : top % 5 === 0 ? 5 : 4;
  return Array.from({ length: count + 1 }, (_, i) => (top * i) / count);
}

/** A tick label without noise: 2.5 stays 2.5, 2.0 becomes 2. */
export const tickLabel = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** Text cut to `max` characters with an ellipsis (SVG text does not wrap). */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
