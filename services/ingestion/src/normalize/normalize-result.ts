/** The outcome of normalizing one value: the normalized value, or why it cannot be normalized. */
export type NormalizeResult<T> = { ok: true; value: T } | { ok: false; reason: string };
