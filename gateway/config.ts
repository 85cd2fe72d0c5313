import { z } from 'zod';
import { logLevel, nodeEnv, optionalString, port } from '../shared/config';
import { operationLimitFields } from '../shared/limits/config';
import { observabilityFields } from '../shared/observability/config';
import { DEV_GATEWAY_CREDENTIAL } from '../shared/subgraph/config';

/** Environment of the gateway process (validated at start; see .env.example). */
const gatewayEnvironmentFields = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  PORT: port(4000),
  HOST: z.string().default('0.0.0.0'),
  SUPERGRAPH_PATH: z.string().default('supergraph.graphql'),
  NOTICES_URL: z.string().url().default('http://localhost:4001/graphql'),
  TRAVEL_DOCUMENTS_URL: z.string().url().default('http://localhost:4002/graphql'),
  DOCUMENT_ALERTS_URL: z.string().url().default('http://localhost:4003/graphql'),
  PARTNER_AGENCIES_URL: z.string().url().default('http://localhost:4004/graphql'),
  GATEWAY_CREDENTIAL: optionalString,
  AUTH_ISSUER: z.string().default('http://localhost:4000'),
  AUTH_AUDIENCE: z.string().default('border-data-hub'),
  AUTH_JWKS_URL: z.string().url().default('http://localhost:4004/.well-known/jwks.json'),
  AUTHORIZATION_MODE: z.enum(['filter', 'reject']).default('filter'),
  ...operationLimitFields,
  ...observabilityFields(9400),
});

/** Every variable this process reads, for .env.example and the docker-compose check. */
export const GATEWAY_VARIABLES = Object.keys(gatewayEnvironmentFields.shape);

export const gatewayEnvironment = gatewayEnvironmentFields
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && (!env.GATEWAY_CREDENTIAL || env.GATEWAY_CREDENTIAL.length < 32)) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY_CREDENTIAL'],
        message: 'is required in production (32+ characters)',
      });
    }
  })
  .transform((env) => ({ ...env, GATEWAY_CREDENTIAL: env.GATEWAY_CREDENTIAL ?? DEV_GATEWAY_CREDENTIAL }));

export type GatewayEnvironment = z.infer<typeof gatewayEnvironment>;
