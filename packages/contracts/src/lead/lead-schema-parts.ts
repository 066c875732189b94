import { z } from 'zod';
import { storableString } from '../storable-text.ts';

/** A non-empty string of at most `max` characters that PostgreSQL can store (no NUL, no lone surrogate). */
export const text = (max: number) => storableString().min(1).max(max);

/** An ISO 8601 timestamp with an offset (`Z` or `+01:00`). */
export const isoDateTime = z.iso.datetime({ offset: true });
