// The routing service's assignment benchmark, run by `scripts/benchmark routing`;
// it lives beside the service it measures: services/routing/bench/assign-owner.bench.ts.
import '../../services/routing/bench/assign-owner.bench.ts';
