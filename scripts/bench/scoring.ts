// The scoring service's batch-path benchmark (the consumer kit's handleBatch), run by `scripts/benchmark scoring`;
// it lives beside the service it measures: services/scoring/bench/score-leads.bench.ts.
import '../../services/scoring/bench/score-leads.bench.ts';
