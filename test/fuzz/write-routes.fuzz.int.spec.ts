import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFailures, formatReport } from './fuzz-report.ts';
import type { FuzzFailure, RouteReport } from './fuzz-report.ts';
import { answerDeadlineMs, fuzzRoute, within } from './fuzz-route.ts';
import { orphanCounts, tablesOf } from './row-counts.ts';
import { servicesUnderTest } from './service-apps.fixture.ts';
import type { ServiceUnderTest } from './service-apps.fixture.ts';
import { writeOperationsOf } from './write-operations.ts';
import type { OpenApiDocument } from './write-operations.ts';

// Fixed, so a failure found once is found again; L2O_FUZZ_SEED and L2O_FUZZ_RUNS explore further.
const seed = Number(process.env.L2O_FUZZ_SEED ?? 20_251_204);
// With the ~50 fixed edge cases, about 150 inputs per route: the whole file runs in well under two minutes.
const generatedPerRoute = Number(process.env.L2O_FUZZ_RUNS ?? 100);

describe('write routes under fuzzing', () => {
  for (const { name, start } of servicesUnderTest) {
    describe(name, () => {
      let service: ServiceUnderTest;
      beforeAll(async () => {
        service = await start();
      });
      afterAll(async () => {
        // After a hang the pool cannot end (a client is still out); the failure says so already.
        if (service !== undefined) await within(answerDeadlineMs, service.close());
      });

      it('answers every POST, PUT and PATCH input generated from its OpenAPI document without a 5xx, and stores nothing it refuses', async () => {
        const documentResponse = await service.app.inject({ method: 'GET', url: '/docs/json' });
        expect(documentResponse.statusCode).toBe(200);
        const document = documentResponse.json<OpenApiDocument>();
        expect(Object.keys(document.paths ?? {}), 'routes in the OpenAPI document').not.toEqual([]);
        const tables = await tablesOf(service.pool, service.schema);
        const failures: FuzzFailure[] = [];
        const reports: RouteReport[] = [];

        for (const operation of writeOperationsOf(document)) {
          const outcome = await fuzzRoute({ service, operation, tables, seed, generated: generatedPerRoute });
          reports.push(outcome.report);
          failures.push(...outcome.failures);
          if (outcome.hung) break;
        }

        console.log(formatReport(name, reports));
        expect(
          failures.length,
          `seed ${seed}, ${generatedPerRoute} generated per route\n${formatFailures(failures)}`,
        ).toBe(0);
        const orphans = await orphanCounts(service.pool, tables);
        const none = Object.fromEntries(Object.keys(orphans).map((table) => [table, 0]));
        expect(orphans, 'rows that point at nothing stored').toEqual(none);
      });
    });
  }
});
