// The projections service's report queries benchmark, run by `scripts/benchmark report-queries`;
// it lives beside the service it measures: services/projections/bench/report-queries.bench.ts.
import '../../services/projections/bench/report-queries.bench.ts';
