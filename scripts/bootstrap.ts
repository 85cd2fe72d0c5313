import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { z } from 'zod';
import { createSubgraphDataSource } from '../db/data-source';
import { ConfigError, loadConfig } from '../shared/config';
import { Agency } from '../subgraphs/partner-agencies/agency.entity';
import { DataSharingAgreement } from '../subgraphs/partner-agencies/agreement.entity';
import { ApiClient } from '../subgraphs/partner-agencies/api-client.entity';
import { BOOTSTRAP_SCOPES, bootstrapAdministrator } from '../subgraphs/partner-agencies/bootstrap.service';

/** Environment of `npm run bootstrap` (see .env.example). */
const bootstrapEnvironment = z.object({
  DATABASE_URL: z.string().url('must be a postgres:// URL'),
});

const USAGE = `usage: npm run bootstrap -- --client-id <id> [--rotate] [--description <text>]
  (image: node dist/scripts/bootstrap.js --client-id <id>)
Creates the General Secretariat agency if missing, an agreement granting it ${BOOTSTRAP_SCOPES.join(' ')}
and the API client <id>, and prints the client's secret once. --rotate replaces the secret of an existing client.`;

const UNDEFINED_TABLE = '42P01';

/**
 * `npm run bootstrap` (image: `node dist/scripts/bootstrap.js`): the first administrator of a database prepared
 * by `npm run migrate`, in production too (subgraphs/partner-agencies/bootstrap.service.ts). Exit codes: 0 done,
 * 1 refused or failed (the reason on stderr), 2 bad usage or configuration.
 */
async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        'client-id': { type: 'string' },
        rotate: { type: 'boolean', default: false },
        description: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (args.help || !args['client-id']) {
    console.error(USAGE);
    return args.help ? 0 : 2;
  }
  let env;
  try {
    env = loadConfig(bootstrapEnvironment);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    return 2;
  }
  const db = createSubgraphDataSource({
    url: env.DATABASE_URL,
    schema: 'partners',
    entities: [Agency, DataSharingAgreement, ApiClient],
    migrations: [],
    pool: { size: 1 },
    applicationName: 'bootstrap',
  });
  await db.initialize();
  try {
    const result = await bootstrapAdministrator(db, {
      clientId: args['client-id'],
      rotate: args.rotate,
      description: args.description,
    });
    console.log(
      `General Secretariat agency ${result.agencyId}: ${result.agencyCreated ? 'created' : 'already there'}`,
    );
    console.log(
      `agreement granting ${BOOTSTRAP_SCOPES.join(' ')}: ${result.agreementCreated ? 'granted' : 'already in force'}`,
    );
    console.log(`client ${result.clientId}: ${result.rotated ? 'secret replaced' : 'created'}`);
    console.log(
      'The secret is shown this once (only its hash is kept): store it in your secret manager now.',
    );
    console.log(`client_id=${result.clientId}`);
    console.log(`client_secret=${result.clientSecret}`);
    return 0;
  } catch (error) {
    if (error instanceof GraphQLError) {
      console.error(`refused: ${error.message}`);
      return 1;
    }
    if (
      error instanceof QueryFailedError &&
      (error.driverError as { code?: string } | undefined)?.code === UNDEFINED_TABLE
    ) {
      console.error(`${error.message}: run \`npm run migrate\` (node dist/scripts/migrate.js) first`);
      return 1;
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
