import { z } from 'zod';

/** What partner-agencies reads beyond every subgraph's variables: how it signs access tokens. */
const partnerAgenciesFields = z.object({
  AUTH_SIGNING_KEY: z.string({ error: 'is required: a private EC P-256 JWK in JSON' }),
  AUTH_ISSUER: z.string().default('http://localhost:4000'),
  AUTH_AUDIENCE: z.string().default('border-data-hub'),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(900).default(300),
});

export const PARTNER_AGENCIES_VARIABLES = Object.keys(partnerAgenciesFields.shape);
export const partnerAgenciesEnvironment = partnerAgenciesFields;
