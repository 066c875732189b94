// The scoring service's apply-and-score benchmark, run by `scripts/benchmark scoring`;
// it lives beside the service it measures: services/scoring/bench/score-leads.bench.ts.
import '../../services/scoring/bench/score-leads.bench.ts';
