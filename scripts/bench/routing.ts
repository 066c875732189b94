// The routing service's batch assignment benchmark, run by `scripts/benchmark routing`;
// it lives beside the service it measures: services/routing/bench/assign-leads.bench.ts.
import '../../services/routing/bench/assign-leads.bench.ts';
