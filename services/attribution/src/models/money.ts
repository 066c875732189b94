/**
 * Splits `totalCents` (integer minor units) in proportion to `weights` by the largest-remainder method: each
 * share is rounded down, and the cents left over go one each to the largest remainders, ties to the earlier
 * index. The shares are never negative and sum exactly to `totalCents`.
 *
 * The proportions are computed exactly (each weight is read as the binary fraction it is), so the result does
 * not depend on floating-point rounding. When every weight is zero the first share takes the whole amount:
 * money is never lost, and callers that want another rule give non-zero weights.
 */
export function allocate(totalCents: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(totalCents) || totalCents < 0) {
    throw new RangeError(`the amount must be a non-negative whole number of minor units: ${totalCents}`);
  }
  for (const weight of weights) {
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`a weight must be finite and >= 0: ${weight}`);
  }
  if (weights.length === 0) {
    if (totalCents === 0) return [];
    throw new RangeError('cannot allocate an amount over no shares');
  }

  const scaled = exactIntegers(weights);
  const sum = scaled.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map((_, index) => (index === 0 ? totalCents : 0));

  const total = BigInt(totalCents);
  const shares = scaled.map((weight) => ({ floor: (total * weight) / sum, remainder: (total * weight) % sum }));
  const given = shares.reduce((a, share) => a + share.floor, 0n);
  const leftOver = Number(total - given);
  const byRemainder = shares
    .map((share, index) => ({ remainder: share.remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  const result = shares.map((share) => Number(share.floor));
  for (const { index } of byRemainder.slice(0, leftOver)) result[index] = (result[index] ?? 0) + 1;
  return result;
}

/** The weights scaled by one power of two so that all are integers, keeping their ratios exactly. */
function exactIntegers(weights: readonly number[]): bigint[] {
  const fractions = weights.map(binaryFraction);
  const smallest = Math.min(...fractions.filter((f) => f.mantissa !== 0n).map((f) => f.exponent));
  return fractions.map((f) => (f.mantissa === 0n ? 0n : f.mantissa << BigInt(f.exponent - smallest)));
}

/** `value = mantissa × 2^exponent`, exactly, for a finite non-negative double. */
function binaryFraction(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // Subnormal numbers have no implicit leading bit and the smallest exponent.
  if (biasedExponent === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biasedExponent - 1075 };
}
