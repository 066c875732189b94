// The attribution consumer's batch benchmark, run by `scripts/benchmark attribution-consumer`;
// it lives beside the service it measures: services/attribution/bench/attribution-consumer.bench.ts.
import '../../services/attribution/bench/attribution-consumer.bench.ts';
