// Database, schemas and topics, without starting anything: for containers and operators.
import { prepareInfrastructure } from './lib/prepare-infrastructure.ts';

await prepareInfrastructure({
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/l2o',
  log: (message) => console.log(message),
});
