import 'reflect-metadata';
import { describeMigrationReport, migrateAll } from '../db/migrate-all';
import { loadConfig } from '../shared/config';
import { runSubgraphProcess } from '../shared/subgraph/main';
import { parseSigningKey } from '../hub/config';
import { partnerAgenciesEnvironment, tokenEndpointOf } from './partner-agencies/config';
import { loadSigningKey } from './partner-agencies/oauth/signing-key';
import { tokenRoutes } from './partner-agencies/oauth/token.routes';
import { SUBGRAPHS } from '.';

/** `node dist/subgraphs/main.js <name>`: one subgraph as its own process (see docker-compose.yml). */

const name = process.argv[2];
const entry = SUBGRAPHS.find((s) => s.module.name === name);
if (!entry) {
  console.error(`usage: subgraphs/main <${SUBGRAPHS.map((s) => s.module.name).join('|')}>`);
  process.exit(2);
}

void runSubgraphProcess(entry.module, entry.defaultPort, {
  migrate: async (databaseUrl) => describeMigrationReport(await migrateAll(databaseUrl)),
  extraRoutes:
    entry.module.name === 'partner-agencies'
      ? async (subgraphEnv) => {
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
        }
      : undefined,
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
