import { describeEventStoreContract } from './event-store.contract.ts';
import { createKurrentDbEventStore } from './kurrentdb-event-store.ts';

// Needs a KurrentDB server (25.1 or later for the atomic multi-stream append); skipped without one.
const url = process.env.KURRENTDB_URL;

describeEventStoreContract(
  'KurrentDbEventStore',
  async () => {
    if (!url) throw new Error('KURRENTDB_URL is not set');
    const store = createKurrentDbEventStore({ connectionString: url, pollIntervalMs: 10 });
    return { store, teardown: () => store.close() };
  },
  { skip: !url },
);
