// CSV import benchmark; it lives with the ingestion service (see its header for what it measures).
//   scripts/benchmark import-csv [--rows 100000] [--concurrency 8] [--pool 20]
await import('../../services/ingestion/bench/import-csv.bench.ts');
