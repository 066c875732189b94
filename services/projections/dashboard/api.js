/* global window, fetch, URL */
/**
 * The query API as the dashboard calls it: GET with the stored API key. A 401 or 403 means the key is
 * wrong, revoked or lacks read_reports, so `onUnauthorized` asks for another.
 * @param {{ getKey: () => string | null, onUnauthorized: (reason: string) => void }} options
 */
export function createApi({ getKey, onUnauthorized }) {
  return {
    /**
     * @param {string} path
     * @param {Record<string, string | undefined>} [params] empty and undefined values are left out
     */
    async get(path, params = {}) {
      const url = new URL(path, window.location.origin);
      for (const [name, value] of Object.entries(params)) {
        if (value !== undefined && value !== '') url.searchParams.set(name, value);
      }
      const response = await fetch(url, { headers: { authorization: `Bearer ${getKey() ?? ''}` } });
      const body = await response.json().catch(() => ({}));
      if (response.status === 401 || response.status === 403) {
        onUnauthorized(body.reason ?? 'the API key was refused');
        throw new Error(body.reason ?? `HTTP ${response.status}`);
      }
      if (!response.ok) throw new Error(body.reason ?? `HTTP ${response.status}`);
      return body;
    },
  };
}
