// Pipeline's opportunity view batch benchmark, run by `scripts/benchmark pipeline-view`;
// it lives beside the service it measures: services/pipeline/bench/opportunity-view.bench.ts.
import '../../services/pipeline/bench/opportunity-view.bench.ts';
