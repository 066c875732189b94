import { z } from 'zod';

/** A non-empty string of at most `max` characters. */
export const text = (max: number) => z.string().min(1).max(max);

/** An ISO 8601 timestamp with an offset (`Z` or `+01:00`). */
export const isoDateTime = z.iso.datetime({ offset: true });
