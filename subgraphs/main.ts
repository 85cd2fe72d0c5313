import 'reflect-metadata';
import { describeMigrationReport, migrateAll } from '../db/migrate-all';
import { loadConfig } from '../shared/config';
import { runSubgraphProcess } from '../shared/subgraph/main';
import { parseSigningKey } from '../hub/config';
import { partnerAgenciesEnvironment, tokenEndpointOf } from './partner-agencies/config';
import { loadSigningKey } from './partner-agencies/oauth/signing-key';
import { tokenRoutes } from './partner-agencies/oauth/token.routes';
import { SUBGRAPHS } from '.';

/**
 * `node dist/subgraphs/main.js <name>`: one subgraph as its own process (see docker-compose.yml).
 * `node dist/subgraphs/main.js <name> <name>…` or `all`: several in one process, each on its own port (npm start's
 * `pair` layout, hub/processes.ts).
 */

const names = process.argv.slice(2);
const wanted = names.length === 1 && names[0] === 'all' ? SUBGRAPHS.map((s) => s.module.name) : names;
const entries = wanted.map((name) => SUBGRAPHS.find((s) => s.module.name === name));
if (entries.length === 0 || entries.some((entry) => entry === undefined)) {
  console.error(`usage: subgraphs/main <${SUBGRAPHS.map((s) => s.module.name).join('|')}>… | all`);
  process.exit(2);
}

void runSubgraphProcess(
  entries.filter((entry) => entry !== undefined),
  {
    migrate: async (databaseUrl) => describeMigrationReport(await migrateAll(databaseUrl)),
    extraRoutes: async (name, subgraphEnv) => {
      if (name !== 'partner-agencies') return undefined;
      const env = loadConfig(partnerAgenciesEnvironment);
      const key = await loadSigningKey(parseSigningKey(env.AUTH_SIGNING_KEY));
      const options = {
        token: {
          issuer: env.AUTH_ISSUER,
          audience: env.AUTH_AUDIENCE,
          ttlSeconds: env.TOKEN_TTL_SECONDS,
        },
        endpoint: tokenEndpointOf(env),
        gatewayCredential: subgraphEnv.GATEWAY_CREDENTIAL,
      };
      return (db) => tokenRoutes(db, key, options);
    },
  },
).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
