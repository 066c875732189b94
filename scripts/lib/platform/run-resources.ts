// What a script's run leaves on the shared broker and database, removed at its end: the topics under
// its namespace and its throw-away schemas.
import kafkajs from 'kafkajs';
import pg from 'pg';
import { quoteIdent } from '@l2o/pg';

const { Kafka, logLevel } = kafkajs;

async function withAdmin<T>(brokers: string[], work: (admin: kafkajs.Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ brokers, clientId: 'l2o-script-admin', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The topics whose names start with `prefix`, sorted. */
export async function topicsWithPrefix(options: { brokers: string[]; prefix: string }): Promise<string[]> {
  const topics = await withAdmin(options.brokers, (admin) => admin.listTopics());
  return topics.filter((topic) => topic.startsWith(options.prefix)).sort();
}

/** Deletes every topic whose name starts with `prefix`. */
export async function deleteTopicsWithPrefix(options: { brokers: string[]; prefix: string }): Promise<void> {
  await withAdmin(options.brokers, async (admin) => {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(options.prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  });
}

/** Drops the schemas that exist among `schemas`, with all they hold, in one statement. */
export async function dropSchemas(options: { databaseUrl: string; schemas: readonly string[] }): Promise<void> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${options.schemas.map(quoteIdent).join(', ')} CASCADE`);
  } finally {
    await client.end();
  }
}
