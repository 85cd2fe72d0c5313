import { auditRefusal } from '../../shared/record-gate';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { refusalOf } from '../../shared/auth/agency-policy';
import type { RequestAudit } from '../../shared/audit';
import type { SubgraphContext } from '../../shared/context';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
} from '../../shared/errors';
import { isUuid } from '../../shared/loaders';
import { InputValidator } from '../../shared/validation';
import type { RegisterAgencyInput } from './admin.input';
import { Agency } from './agency.entity';
import type { PartnerLoaders } from './agency.loader';
import { DataSharingAgreement, isAgreementActive } from './agreement.entity';
import { ApiClient } from './api-client.entity';
import type { ApiClientCredentials, ApiClientInfo } from './api-client.type';
import { hashSecret } from './oauth/token.service';
import { participationFor } from './operation.repository';

type Context = SubgraphContext<PartnerLoaders>;

const AGENCY_CODE = /^[A-Z0-9][A-Z0-9-]+$/;
// As the api_clients table's CHECK constraint says.
const CLIENT_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

/**
 * Agencies, agreements and API clients are administered by the General Secretariat only: the field rule asks for
 * `agencies:admin`, and this asks that the caller's agency be the General Secretariat (an agreement granting the
 * scope to anyone else gives it nothing here).
 */
function adminOf(ctx: Context, recordType: string, mutation: string): Caller {
  const caller = ctx.caller;
  if (!caller) throw new UnauthenticatedError();
  if (caller.agencyKind !== 'GENERAL_SECRETARIAT') {
    auditRefusal(ctx, recordType, mutation, 'FORBIDDEN');
    throw new ForbiddenError('Only the General Secretariat administers agencies, agreements and API clients');
  }
  return caller;
}

async function findAgency(db: Pick<EntityManager, 'getRepository'>, id: string): Promise<Agency | null> {
  return isUuid(id) ? db.getRepository(Agency).findOneBy({ id }) : null;
}

export async function registerAgency(ctx: Context, input: RegisterAgencyInput): Promise<Agency> {
  adminOf(ctx, 'Agency', 'registerAgency');
  const v = new InputValidator('input');
  const code = v.text('code', input.code, 40)?.toUpperCase() ?? null;
  if (code && !AGENCY_CODE.test(code))
    v.problem('code', 'must be at least 2 letters A-Z, digits or dashes, and not start with a dash');
  const name = v.text('name', input.name, 200);
  const kind = input.kind;
  if (kind === 'GENERAL_SECRETARIAT')
    v.problem('kind', 'the General Secretariat exists once and is not registered');
  const national = kind === 'NCB' || kind === 'NATIONAL_ENTITY';
  if (national && !input.country?.trim()) v.problem('country', `is required for an agency of kind ${kind}`);
  const problems = v.problems.length;
  const country = v.isoCountry('country', input.country, true);
  const countryValid = country !== null && v.problems.length === problems;
  let authorisedBy: string | null = null;
  if (kind === 'NATIONAL_ENTITY') {
    if (!input.authorisedBy) {
      v.problem('authorisedBy', 'is required for a national entity: the NCB of its country');
    } else {
      // Judged against the country only when the country itself is right (its own problem is named already).
      const ncb = await findAgency(ctx.db, input.authorisedBy);
      if (!ncb || ncb.kind !== 'NCB') v.problem('authorisedBy', 'must be an NCB');
      else if (countryValid && ncb.country !== country)
        v.problem('authorisedBy', `must be the NCB of ${country}`);
      else authorisedBy = ncb.id;
    }
  } else if (input.authorisedBy) {
    v.problem('authorisedBy', 'only a national entity is authorised by an NCB');
  }
  v.throwIfInvalid();
  return ctx.db.transaction(async (tx) => {
    // A taken code, or a second NCB for a country, is refused by a unique index, also between two registrations
    // at once: CONFLICT on input.code or input.country (shared/database-errors.ts).
    const saved = await tx
      .getRepository(Agency)
      .save(Object.assign(new Agency(), { code, name, kind, country, authorisedById: authorisedBy }));
    await ctx.audit.write(tx, {
      action: 'CREATE',
      recordType: 'Agency',
      recordId: saved.id,
      ownerAgencyId: saved.id,
      fields: Object.keys(input).sort(),
    });
    return saved;
  });
}

/** Grants an agency scopes for a period. Tokens issued while it is in force carry them. */
export async function grantAgreement(
  ctx: Context,
  agencyId: string,
  scopes: string[],
  validFrom: Date | null | undefined,
  validUntil: Date | null | undefined,
): Promise<DataSharingAgreement> {
  adminOf(ctx, 'DataSharingAgreement', 'grantAgreement');
  const agency = await findAgency(ctx.db, agencyId);
  if (!agency) throw new NotFoundError('Agency');
  const now = new Date();
  const v = new InputValidator('', now);
  if (scopes.length === 0) v.problem('scopes', 'must list at least one scope');
  // What the agency's kind may ever hold (shared/auth/agency-policy.ts), whatever the agreement says.
  scopes.forEach((scope, i) => {
    const refusal = refusalOf(agency.kind, scope);
    if (refusal) v.problem(`scopes.${i}`, refusal);
  });
  const from = validFrom ?? now;
  if (validUntil && validUntil <= from) v.problem('validUntil', 'must be after validFrom');
  else if (validUntil && validUntil <= now) v.problem('validUntil', 'must be in the future');
  v.throwIfInvalid();
  return ctx.db.transaction((tx) =>
    insertAgreement(tx, ctx.audit, agency.id, scopes, from, validUntil ?? null),
  );
}

/** Writes an agreement (scopes already judged against the agency's kind) and its audit row, inside `tx`. */
export async function insertAgreement(
  tx: EntityManager,
  audit: RequestAudit,
  agencyId: string,
  scopes: string[],
  validFrom: Date,
  validUntil: Date | null,
): Promise<DataSharingAgreement> {
  const granted = [...new Set(scopes)].sort();
  const saved = await tx.getRepository(DataSharingAgreement).save(
    Object.assign(new DataSharingAgreement(), {
      agencyId,
      scopes: granted,
      validFrom,
      validUntil,
      revokedAt: null,
      revocationReason: null,
    }),
  );
  await audit.write(tx, {
    action: 'CREATE',
    recordType: 'DataSharingAgreement',
    recordId: saved.id,
    ownerAgencyId: agencyId,
    fields: ['scopes', 'validFrom', 'validUntil'],
    details: { scopes: granted },
  });
  return saved;
}

function reasonOf(reason: string): string {
  const v = new InputValidator('');
  const clean = v.text('reason', reason, 500);
  v.throwIfInvalid();
  return clean ?? '';
}

/**
 * Revokes an agreement. Tokens already issued keep their scopes until they expire (minutes: TOKEN_TTL_SECONDS);
 * the token endpoint reads the agreements in force at each issue, so the next token lacks them.
 */
export async function revokeAgreement(
  ctx: Context,
  id: string,
  reason: string,
): Promise<DataSharingAgreement> {
  adminOf(ctx, 'DataSharingAgreement', 'revokeAgreement');
  const cleanReason = reasonOf(reason);
  return ctx.db.transaction(async (tx) => {
    const agreement = isUuid(id)
      ? await tx
          .getRepository(DataSharingAgreement)
          .createQueryBuilder('g')
          .setLock('pessimistic_write')
          .where('g.id = :id', { id })
          .getOne()
      : null;
    if (!agreement) throw new NotFoundError('Data-sharing agreement');
    if (agreement.revokedAt) throw new ConflictError('The agreement was already revoked', 'id');
    agreement.revokedAt = new Date();
    agreement.revocationReason = cleanReason;
    const saved = await tx.getRepository(DataSharingAgreement).save(agreement);
    await ctx.audit.write(tx, {
      action: 'WITHDRAW',
      recordType: 'DataSharingAgreement',
      recordId: saved.id,
      ownerAgencyId: saved.agencyId,
      fields: ['revokedAt'],
      details: { reason: cleanReason },
    });
    return saved;
  });
}

/**
 * A new client is not handed to an agency whose agreements in force grant what its kind may not hold (made before
 * the policy changed): its tokens would leave those scopes out anyway, and the agreement must be revoked and
 * granted again within the policy first, so what the agency was promised and what it gets agree.
 */
export async function refuseAgreementsBeyondPolicy(db: Pick<EntityManager, 'getRepository'>, agency: Agency) {
  const now = new Date();
  const agreements = await db.getRepository(DataSharingAgreement).findBy({ agencyId: agency.id });
  for (const agreement of agreements.filter((a) => isAgreementActive(a, now))) {
    const beyond = agreement.scopes.filter((scope) => refusalOf(agency.kind, scope) !== null);
    if (beyond.length > 0) {
      throw new ConflictError(
        `Agreement ${agreement.id} grants ${beyond.join(', ')}, which an agency of kind ${agency.kind} may not hold: revoke it and grant one within the policy first`,
        'agencyId',
      );
    }
  }
}

/** A random secret, shown once; argon2 makes its hash slow to attack if the table ever leaks. */
export async function newSecret(): Promise<{ secret: string; hash: string }> {
  const secret = randomBytes(32).toString('base64url');
  return { secret, hash: await hashSecret(secret) };
}

/**
 * A new client of an agency. With `operation`, a deployed team's device bound to it (docs/architecture.md,
 * "Operation-bound API clients"): the agency must take part in the operation, which must not be over; the client's
 * tokens carry that operation's grant only and stop when it is no longer ACTIVE.
 */
export async function createApiClient(
  ctx: Context,
  agencyId: string,
  clientId: string,
  description: string | null | undefined,
  operation: string | null | undefined = null,
): Promise<ApiClientCredentials> {
  adminOf(ctx, 'ApiClient', 'createApiClient');
  const agency = await findAgency(ctx.db, agencyId);
  if (!agency) throw new NotFoundError('Agency');
  if (!operation) await refuseAgreementsBeyondPolicy(ctx.db, agency);
  const cleanDescription = validClientInput(clientId, description);
  const operationCode = operation?.trim().toUpperCase() || null;
  const { secret, hash } = await newSecret();
  await ctx.db.transaction(async (tx) => {
    if (operationCode) {
      // Read under a share lock: the operation cannot close, nor the agency leave it, before this commits.
      const found = await participationFor(tx, operationCode, agency.id);
      if (!found) throw badInput('operation', 'is not an operation');
      if (!found.participant) throw badInput('operation', 'the agency does not take part in it');
      if (found.status !== 'PLANNED' && found.status !== 'ACTIVE')
        throw badInput('operation', `it is ${found.status}`);
    }
    await insertApiClient(tx, ctx.audit, agency.id, clientId, hash, cleanDescription, operationCode);
  });
  return { clientId, clientSecret: secret };
}

function badInput(field: string, reason: string): BadUserInputError {
  return new BadUserInputError([{ field, reason }]);
}

/** The client id and description of a new client, checked (BAD_USER_INPUT naming each problem). */
export function validClientInput(clientId: string, description: string | null | undefined): string | null {
  const v = new InputValidator('');
  if (!CLIENT_ID.test(clientId))
    v.problem('clientId', 'must be 2 to 63 lower-case letters, digits or dashes, and not start with a dash');
  const cleanDescription = v.text('description', description, 200, true);
  v.throwIfInvalid();
  return cleanDescription;
}

/** Writes a new client of `agencyId` with its secret's hash, and its audit row, inside `tx`. */
export async function insertApiClient(
  tx: EntityManager,
  audit: RequestAudit,
  agencyId: string,
  clientId: string,
  secretHash: string,
  description: string | null,
  operationCode: string | null = null,
): Promise<void> {
  // A taken client id is refused by the primary key, also between two creations at once: CONFLICT on clientId
  // (shared/database-errors.ts).
  await tx.getRepository(ApiClient).insert({ clientId, agencyId, secretHash, description, operationCode });
  await audit.write(tx, {
    action: 'CREATE',
    recordType: 'ApiClient',
    recordId: clientId,
    ownerAgencyId: agencyId,
    fields: operationCode
      ? ['clientId', 'description', 'operation', 'secret']
      : ['clientId', 'description', 'secret'],
    ...(operationCode ? { details: { operation: operationCode } } : {}),
  });
}

async function lockClient(tx: EntityManager, clientId: string): Promise<ApiClient> {
  const client = await tx
    .getRepository(ApiClient)
    .createQueryBuilder('c')
    .setLock('pessimistic_write')
    .where('c.client_id = :clientId', { clientId })
    .getOne();
  if (!client) throw new NotFoundError('API client');
  if (client.disabledAt) throw new ConflictError('The client is disabled', 'clientId');
  return client;
}

/** Issues a new secret; the old one stops working at once (tokens already issued run until they expire). */
export async function rotateClientSecret(ctx: Context, clientId: string): Promise<ApiClientCredentials> {
  adminOf(ctx, 'ApiClient', 'rotateClientSecret');
  const { secret, hash } = await newSecret();
  await ctx.db.transaction((tx) => replaceClientSecret(tx, ctx.audit, clientId, hash));
  return { clientId, clientSecret: secret };
}

/** Replaces an enabled client's secret hash and writes its audit row, inside `tx`; returns the client as it was. */
export async function replaceClientSecret(
  tx: EntityManager,
  audit: RequestAudit,
  clientId: string,
  secretHash: string,
): Promise<ApiClient> {
  const client = await lockClient(tx, clientId);
  await tx.getRepository(ApiClient).update({ clientId: client.clientId }, { secretHash });
  await audit.write(tx, {
    action: 'UPDATE',
    recordType: 'ApiClient',
    recordId: client.clientId,
    ownerAgencyId: client.agencyId,
    fields: ['secret'],
  });
  return client;
}

/** The token endpoint refuses a disabled client (invalid_client); tokens already issued run until they expire. */
export async function disableApiClient(ctx: Context, clientId: string): Promise<ApiClientInfo> {
  adminOf(ctx, 'ApiClient', 'disableApiClient');
  return ctx.db.transaction(async (tx) => {
    const client = await lockClient(tx, clientId);
    client.disabledAt = new Date();
    await tx
      .getRepository(ApiClient)
      .update({ clientId: client.clientId }, { disabledAt: client.disabledAt });
    await ctx.audit.write(tx, {
      action: 'WITHDRAW',
      recordType: 'ApiClient',
      recordId: client.clientId,
      ownerAgencyId: client.agencyId,
      fields: ['disabledAt'],
    });
    return {
      clientId: client.clientId,
      agencyId: client.agencyId,
      description: client.description,
      createdAt: client.createdAt,
      disabledAt: client.disabledAt,
    };
  });
}
