// The read-model rebuild benchmark, run by `scripts/benchmark rebuild`; it lives beside the service it
// measures: services/projections/bench/rebuild.bench.ts.
import '../../services/projections/bench/rebuild.bench.ts';
