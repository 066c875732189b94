/**
 * Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`
 * with `description` and the last error. Tests wait for a condition this way, never for a fixed time.
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await probe();
      if (result !== undefined && result !== false) return result;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
  const cause = lastError instanceof Error ? `: last error ${lastError.message}` : '';
  throw new Error(`timed out after ${options.timeoutMs ?? 30_000} ms waiting for ${description}${cause}`);
}
