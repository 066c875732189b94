// Weighted sums of decimals such as 0.3 are inexact in binary, so 59.5 may arrive as
// 59.49999999999999; the tolerance makes such a value round up as it would on paper.
const tolerance = 1e-9;

/** `value` rounded to `decimals` places, halves upwards. */
export function roundHalfUp(value: number, decimals = 0): number {
  const factor = 10 ** decimals;
  return Math.floor(value * factor + 0.5 + tolerance) / factor;
}

/** `value` limited to `min`..`max`. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
