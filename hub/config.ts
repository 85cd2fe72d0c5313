import { z } from 'zod';
import { databasePoolFields } from '../db/pool';
import { checkReadReplica, readReplicaFields } from '../db/read-router';
import { logLevel, nodeEnv, optionalString, port } from '../shared/config';
import { tokenVerificationFields } from '../shared/auth/config';
import { operationLimitFields } from '../shared/limits/config';
import { observabilityFields } from '../shared/observability/config';
import { DEV_GATEWAY_CREDENTIAL } from '../shared/subgraph/config';
import { subgraphResilienceFields } from '../gateway/config';
import { tokenEndpointFields } from '../subgraphs/partner-agencies/config';
import { auditChainFields, checkAuditChainKeys } from '../shared/audit/config';

/** How many processes `npm start` runs the hub in (hub/processes.ts; single: hub/start-hub.ts). */
export const HUB_LAYOUTS = ['single', 'pair', 'split'] as const;
export type HubLayout = (typeof HUB_LAYOUTS)[number];
/** `npm start`'s layout unless HUB_LAYOUT says otherwise: the one the bench measured best on two cores (README). */
export const DEFAULT_HUB_LAYOUT: HubLayout = 'pair';

/** Environment of `npm start`, which runs the whole hub, in one process or several (HUB_LAYOUT; see .env.example). */
const hubEnvironmentFields = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  /**
   * In how many processes `npm start` runs the hub (hub/processes.ts): `single` (one), `pair` (the gateway, and the
   * four subgraphs together) or `split` (the gateway, and one process per subgraph). README "Process layout".
   */
  HUB_LAYOUT: z.enum(HUB_LAYOUTS).default(DEFAULT_HUB_LAYOUT),
  PORT: port(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().url('must be a postgres:// URL').optional(),
  ),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: port(0),
  SUPERGRAPH_PATH: z.string().default('supergraph.graphql'),
  GATEWAY_CREDENTIAL: optionalString,
  AUTH_SIGNING_KEY: optionalString,
  AUTH_ISSUER: z.string().default('http://localhost:4000'),
  AUTH_AUDIENCE: z.string().default('border-data-hub'),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(900).default(300),
  ...tokenVerificationFields,
  ...tokenEndpointFields,
  AUTHORIZATION_MODE: z.enum(['filter', 'reject']).default('filter'),
  ...operationLimitFields,
  ...auditChainFields,
  ...subgraphResilienceFields,
  ...observabilityFields(9400),
  ...databasePoolFields,
  ...readReplicaFields,
});

/** Every variable this process reads, for .env.example and the docker-compose check. */
export const HUB_VARIABLES = Object.keys(hubEnvironmentFields.shape);

export const hubEnvironment = hubEnvironmentFields
  .superRefine((env, ctx) => {
    checkAuditChainKeys(env, ctx);
    checkReadReplica(env, ctx);
    if (env.NODE_ENV !== 'production') return;
    if (!env.DATABASE_URL)
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required in production' });
    if (!env.AUTH_SIGNING_KEY)
      ctx.addIssue({ code: 'custom', path: ['AUTH_SIGNING_KEY'], message: 'is required in production' });
    if (!env.GATEWAY_CREDENTIAL || env.GATEWAY_CREDENTIAL.length < 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY_CREDENTIAL'],
        message: 'is required in production (32+ characters)',
      });
    }
  })
  .transform((env) => ({ ...env, GATEWAY_CREDENTIAL: env.GATEWAY_CREDENTIAL ?? DEV_GATEWAY_CREDENTIAL }));

/** `npm start`'s validated settings, handed to the layout that runs the hub (scripts/start.ts, the bench). */
export type HubEnvironment = z.infer<typeof hubEnvironment>;

/** A private JWK given as JSON in the environment. */
export function parseSigningKey(json: string): import('jose').JWK {
  try {
    const jwk = JSON.parse(json) as import('jose').JWK;
    if (jwk.kty !== 'EC' || !jwk.d) throw new Error('not an EC private key');
    return jwk;
  } catch (error) {
    throw new Error(
      `AUTH_SIGNING_KEY: must be a private EC P-256 JWK in JSON (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
}
