import { z } from 'zod';

// PostgreSQL refuses NUL in text and jsonb, and lone UTF-16 surrogates in jsonb ("unsupported Unicode
// escape sequence"), so a string holding either would pass validation and fail later as a 500, or
// poison a topic. Every free-text field refuses them at the edge instead.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function codeUnit(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Why a string cannot be stored as PostgreSQL text or jsonb, or `undefined` when it can: it holds a
 * NUL (`\u0000`) or a lone surrogate (a high `\ud800`–`\udbff` without its low half, or a low
 * `\udc00`–`\udfff` without its high half). Valid pairs such as 😀 (`\ud83d\ude00`) are fine.
 */
export function unstorableTextReason(value: string): string | undefined {
  const nul = value.indexOf('\u0000');
  if (nul >= 0) return `contains a NUL character (\\u0000) at position ${nul}, which cannot be stored; remove it`;
  if (value.isWellFormed()) return undefined;
  const match = loneSurrogate.exec(value);
  const found = match === null ? '' : ` ${codeUnit(match[0])} at position ${match.index}`;
  return (
    `contains a lone surrogate${found}, which is not valid Unicode; ` +
    'send whole characters (UTF-8, or a complete \\ud83d\\ude00-style pair)'
  );
}

/**
 * `value` with each character {@link unstorableTextReason} refuses (a NUL, a lone surrogate) replaced by
 * U+FFFD, so PostgreSQL stores it: for text that must be kept as it came, such as the cells of a rejected
 * import row, rather than refused.
 */
export function replaceUnstorableText(value: string): string {
  return value.replaceAll('\u0000', '\uFFFD').toWellFormed();
}

/**
 * The zod check behind {@link storableString}, for string formats that let such characters through
 * (`z.httpUrl()` accepts them in a path): `z.httpUrl().check(refuseUnstorableText)`.
 */
export function refuseUnstorableText(ctx: z.core.ParsePayload<string>): void {
  const reason = unstorableTextReason(ctx.value);
  if (reason !== undefined) ctx.issues.push({ code: 'custom', message: reason, input: ctx.value });
}

/**
 * `z.string()` that also refuses what PostgreSQL cannot store (see {@link unstorableTextReason}), with
 * an issue that says why. Use it for every free-text field, then chain as usual:
 * `storableString().trim().min(1).max(200)`.
 */
export function storableString(params?: Parameters<typeof z.string>[0]): z.ZodString {
  return z.string(params).check(refuseUnstorableText);
}

/**
 * `value` cut to at most `max` UTF-16 code units without splitting a surrogate pair, so a clipped
 * 😀 never leaves a lone half behind; `ellipsis` (default none) ends a clipped value within `max`.
 */
export function clipText(value: string, max: number, ellipsis = ''): string {
  if (value.length <= max) return value;
  let end = Math.max(0, max - ellipsis.length);
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}${ellipsis}`;
}
