import { z } from 'zod';
import { databasePoolFields } from '../../db/pool';
import { checkReadReplica, readReplicaFields } from '../../db/read-router';
import { logLevel, nodeEnv, optionalFlag, optionalString, port } from '../config';
import { tokenVerificationFields } from '../auth/config';
import { operationLimitFields } from '../limits/config';
import { observabilityFields } from '../observability/config';
import { auditChainFields, checkAuditChainKeys } from '../audit/config';

export const DEV_GATEWAY_CREDENTIAL = 'development-only-gateway-credential';

/** A subgraph's metrics port is its GraphQL port + 5400 (4001 → 9401). */
const METRICS_PORT_OFFSET = 5400;

/** Environment of one subgraph process (one zod schema, validated at start; see .env.example). */
const subgraphEnvironmentFields = (defaultPort: number) =>
  z.object({
    NODE_ENV: nodeEnv,
    LOG_LEVEL: logLevel,
    PORT: port(defaultPort),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.string().url('must be a postgres:// URL'),
    // Optional streaming replica for read-only statements (db/replication/read-router.ts).
    ...readReplicaFields,
    ...databasePoolFields,
    // Unset: migrate at start outside production only; production runs `npm run migrate` before the subgraphs.
    MIGRATE_ON_START: optionalFlag,
    GATEWAY_CREDENTIAL: optionalString,
    AUTH_ISSUER: z.string().default('http://localhost:4000'),
    AUTH_AUDIENCE: z.string().default('border-data-hub'),
    AUTH_JWKS_URL: z.string().url().default('http://localhost:4004/.well-known/jwks.json'),
    ...tokenVerificationFields,
    ...operationLimitFields,
    ...auditChainFields,
    // Metrics on 9401-9404 next to the subgraphs' 4001-4004.
    ...observabilityFields(defaultPort === 0 ? 0 : defaultPort + METRICS_PORT_OFFSET),
  });

/** Every variable a subgraph process reads, for .env.example and the docker-compose check. */
export const SUBGRAPH_VARIABLES = Object.keys(subgraphEnvironmentFields(0).shape);

export const subgraphEnvironment = (defaultPort: number) =>
  subgraphEnvironmentFields(defaultPort)
    .superRefine((env, ctx) => {
      checkAuditChainKeys(env, ctx);
      checkReadReplica(env, ctx);
      if (env.NODE_ENV === 'production' && (!env.GATEWAY_CREDENTIAL || env.GATEWAY_CREDENTIAL.length < 32)) {
        ctx.addIssue({
          code: 'custom',
          path: ['GATEWAY_CREDENTIAL'],
          message: 'is required in production (32+ characters)',
        });
      }
    })
    .transform((env) => ({
      ...env,
      GATEWAY_CREDENTIAL: env.GATEWAY_CREDENTIAL ?? DEV_GATEWAY_CREDENTIAL,
      MIGRATE_ON_START: env.MIGRATE_ON_START ?? env.NODE_ENV !== 'production',
    }));

export type SubgraphEnvironment = z.infer<ReturnType<typeof subgraphEnvironment>>;
