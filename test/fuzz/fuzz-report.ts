import type { FuzzRequest } from './fuzz-requests.ts';

/** How one route answered the inputs it was sent. */
/** `statuses` counts answers by HTTP status; 0 counts requests that got no answer. */
export type RouteReport = { route: string; inputs: number; statuses: Map<number, number> };

/** A response that breaks the rules: a 5xx, or a refusal that still stored something. */
export type FuzzFailure = {
  route: string;
  request: FuzzRequest;
  status: number;
  problem: string;
  responseBody: string;
};

function excerpt(text: string, max = 300): string {
  const visible = JSON.stringify(text.length > max ? text.slice(0, max) : text);
  return text.length > max ? `${visible}… (${text.length} characters)` : visible;
}

function payloadText(payload: FuzzRequest['payload']): string {
  if (payload === undefined) return '(none)';
  return typeof payload === 'string' ? excerpt(payload) : `bytes ${payload.subarray(0, 60).toString('hex')}`;
}

/** The table printed per service: each route, how many inputs it got and how it answered them. */
export function formatReport(service: string, reports: readonly RouteReport[]): string {
  const width = Math.max(5, ...reports.map((report) => report.route.length));
  const total = reports.reduce((sum, report) => sum + report.inputs, 0);
  const lines = reports.map((report) => {
    const statuses = [...report.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status === 0 ? 'no answer' : status}×${count}`)
      .join(' ');
    return `  ${report.route.padEnd(width)}  ${String(report.inputs).padStart(6)}  ${statuses}`;
  });
  return [
    `${service}: ${reports.length} write routes, ${total} inputs`,
    `  ${'route'.padEnd(width)}  ${'inputs'.padStart(6)}  statuses`,
    ...lines,
  ].join('\n');
}

/** Each failure with the route, the input and the answer, so it can be replayed by hand. */
export function formatFailures(failures: readonly FuzzFailure[], shown = 40): string {
  const lines = failures
    .slice(0, shown)
    .map((failure) =>
      [
        `${failure.route} — ${failure.problem} (${failure.status}) — ${failure.request.label}`,
        `  ${failure.request.method} ${excerpt(failure.request.url, 200)}`,
        `  headers ${excerpt(JSON.stringify(failure.request.headers), 200)}`,
        `  body ${payloadText(failure.request.payload)}`,
        `  answered ${excerpt(failure.responseBody)}`,
      ].join('\n'),
    );
  const more = failures.length > shown ? [`… and ${failures.length - shown} more`] : [];
  return [`${failures.length} failures:`, ...lines, ...more].join('\n');
}
