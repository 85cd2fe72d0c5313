import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { RequestAudit } from '../../shared/audit';
import type { Scope } from '../../shared/auth/scopes';
import { ConflictError } from '../../shared/errors';
import {
  insertAgreement,
  insertApiClient,
  newSecret,
  refuseAgreementsBeyondPolicy,
  replaceClientSecret,
  validClientInput,
} from './admin.service';
import { Agency } from './agency.entity';
import { DataSharingAgreement, isAgreementActive } from './agreement.entity';
import { ApiClient } from './api-client.entity';

/** What the first administrator holds: it registers agencies, grants agreements, creates clients, reads the trail. */
export const BOOTSTRAP_SCOPES: readonly Scope[] = ['agencies:admin', 'audit:read'];

/** The code the General Secretariat gets when bootstrap creates it (the demo data uses the same). */
const GENERAL_SECRETARIAT_CODE = 'GS';

/** The `operation` of the audit rows bootstrap writes: no client called, so this names who did it. */
const BOOTSTRAP_OPERATION = 'bootstrap';

export interface BootstrapOptions {
  clientId: string;
  /** Replace the secret of an existing client instead of refusing. */
  rotate: boolean;
  description?: string | null;
}

export interface BootstrapResult {
  clientId: string;
  /** Shown once: only its hash is stored. */
  clientSecret: string;
  agencyId: string;
  agencyCreated: boolean;
  agreementCreated: boolean;
  /** True when an existing client's secret was replaced (`--rotate`), false when the client was created. */
  rotated: boolean;
}

/**
 * The first administrator of a fresh production database (`npm run bootstrap`): the General Secretariat agency
 * (created if missing), an agreement granting it BOOTSTRAP_SCOPES (unless one in force already does) and one API
 * client of it with a new secret. Everything after that goes through the admin mutations with this client.
 *
 * It writes with the admin mutations' own functions (same validation, hashing and audit rows), in one
 * transaction, without a caller: the audit rows name the operation `bootstrap` and no client. Two runs at once
 * are serialised by the lock on the General Secretariat's row; the client table's primary key decides the rest.
 */
export async function bootstrapAdministrator(
  db: DataSource,
  options: BootstrapOptions,
): Promise<BootstrapResult> {
  const description = validClientInput(
    options.clientId,
    options.description ?? 'first administrator (bootstrap)',
  );
  // Hashing is slow on purpose: done before the transaction, which then holds its locks for milliseconds.
  const { secret, hash } = await newSecret();
  const audit = new RequestAudit('partner-agencies', `bootstrap-${randomUUID()}`, null);
  audit.operationName = BOOTSTRAP_OPERATION;
  return db.transaction(async (tx) => {
    const { agency, created } = await lockGeneralSecretariat(tx, audit);
    const agreementCreated = await ensureAgreement(tx, audit, agency);
    const existing = await tx.getRepository(ApiClient).findOneBy({ clientId: options.clientId });
    if (existing && !options.rotate) {
      throw new ConflictError(
        `The client ${options.clientId} exists already: run again with --rotate to replace its secret`,
        'clientId',
      );
    }
    if (existing && existing.agencyId !== agency.id) {
      // Bootstrap recovers the administrator's access; other agencies' clients are rotated by the administrator.
      throw new ConflictError(
        `The client ${options.clientId} belongs to another agency than the General Secretariat`,
        'clientId',
      );
    }
    if (existing) {
      await replaceClientSecret(tx, audit, options.clientId, hash);
    } else {
      await refuseAgreementsBeyondPolicy(tx, agency);
      await insertApiClient(tx, audit, agency.id, options.clientId, hash, description);
    }
    return {
      clientId: options.clientId,
      clientSecret: secret,
      agencyId: agency.id,
      agencyCreated: created,
      agreementCreated,
      rotated: existing !== null,
    };
  });
}

/**
 * The General Secretariat's row, locked until the transaction ends; inserted first when missing. Two first runs
 * at once both insert: the unique code lets one through, and the other then finds (and waits for) its row.
 */
async function lockGeneralSecretariat(
  tx: EntityManager,
  audit: RequestAudit,
): Promise<{ agency: Agency; created: boolean }> {
  const find = () =>
    tx
      .getRepository(Agency)
      .createQueryBuilder('a')
      .setLock('pessimistic_write')
      .where('a.kind = :kind', { kind: 'GENERAL_SECRETARIAT' })
      .orderBy('a.created_at')
      .getOne();
  const found = await find();
  if (found) return { agency: found, created: false };
  const inserted = await tx
    .createQueryBuilder()
    .insert()
    .into(Agency)
    .values({ code: GENERAL_SECRETARIAT_CODE, name: 'General Secretariat', kind: 'GENERAL_SECRETARIAT' })
    .orIgnore()
    .returning(['id'])
    .execute();
  const agency = await find();
  if (!agency) {
    throw new ConflictError(
      `An agency with code ${GENERAL_SECRETARIAT_CODE} exists and is not the General Secretariat`,
      'code',
    );
  }
  const created = inserted.identifiers.length > 0 && inserted.identifiers[0]?.id === agency.id;
  if (created) {
    await audit.write(tx, {
      action: 'CREATE',
      recordType: 'Agency',
      recordId: agency.id,
      ownerAgencyId: agency.id,
      fields: ['code', 'kind', 'name'],
    });
  }
  return { agency, created };
}

/** Grants BOOTSTRAP_SCOPES unless an agreement in force already grants them all. Returns whether it granted. */
async function ensureAgreement(tx: EntityManager, audit: RequestAudit, agency: Agency): Promise<boolean> {
  const now = new Date();
  const agreements = await tx.getRepository(DataSharingAgreement).findBy({ agencyId: agency.id });
  const held = new Set(agreements.filter((a) => isAgreementActive(a, now)).flatMap((a) => a.scopes));
  if (BOOTSTRAP_SCOPES.every((scope) => held.has(scope))) return false;
  await insertAgreement(tx, audit, agency.id, [...BOOTSTRAP_SCOPES], now, null);
  return true;
}
