// The attribution service's models benchmark, run by `scripts/benchmark attribution-models`;
// it lives beside the service it measures: services/attribution/bench/attribution-models.bench.ts.
import '../../services/attribution/bench/attribution-models.bench.ts';
