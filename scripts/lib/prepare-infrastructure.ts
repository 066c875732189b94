// Makes the database, its schemas and the Kafka topics ready for the services; safe to run again.
import pg from 'pg';
import { ensureTopics } from '@l2o/bus';
import { Topics } from '@l2o/contracts';
import { migrateEventStore } from '@l2o/event-store';
import { migrateProjections } from '@l2o/projections/migrations';
import { migrateTenancy } from '@l2o/tenancy';

export async function prepareInfrastructure(options: {
  databaseUrl: string;
  schema?: string;
  brokers?: string[];
  partitions?: number;
  log: (message: string) => void;
}): Promise<void> {
  const schema = options.schema ?? process.env.DATABASE_SCHEMA ?? 'l2o';
  const brokers = options.brokers ?? (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const partitions = options.partitions ?? Number(process.env.L2O_TOPIC_PARTITIONS ?? 6);

  await createDatabaseIfMissing(options.databaseUrl, options.log);
  options.log(`migrating schema ${schema}`);
  await migrateEventStore({ databaseUrl: options.databaseUrl, schema });
  await migrateProjections({ databaseUrl: options.databaseUrl, schema });
  await migrateTenancy({ databaseUrl: options.databaseUrl, schema });
  options.log(`creating topics with ${partitions} partitions on ${brokers.join(',')}`);
  await ensureTopics({
    brokers,
    topics: [Topics.lead, Topics.opportunity, Topics.attribution, Topics.leadIntake].map((topic) => ({
      topic,
      partitions,
    })),
  });
}

/** Creates the database `databaseUrl` names unless it exists, connected to the server's `postgres` database. */
export async function createDatabaseIfMissing(databaseUrl: string, log: (message: string) => void): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      log(`creating database ${name}`);
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    }
  } finally {
    await client.end();
  }
}
