import type { IncomingMessage } from 'node:http';
import type { DataSource } from 'typeorm';
import { RequestAudit } from '../../shared/audit';
import { GATEWAY_CREDENTIAL_HEADER, isGatewayCredential } from '../../shared/auth/gateway-credential';
import { callerOfRequest } from '../../shared/auth/request-caller';
import { HttpError, readBody, sendJson, type Route } from '../../shared/http/server';
import { acceptRequestId, REQUEST_ID_HEADER } from '../../shared/observability/request-log';
import type { SubgraphServices } from '../../shared/subgraph/module';
import { readRefusalReport, REFUSALS_PATH } from '../../shared/audit/field-refusals';

const MAX_BODY_BYTES = 16 * 1024;

/**
 * `POST /internal/refusals`: the gateway's field refusals (UNAUTHORIZED_FIELD_OR_TYPE) become audit rows. The
 * gateway has no database; it removes the fields a caller may not see before planning, then sends this route one
 * report per request (gateway/refusal-audit.ts). Only the gateway may call it (its credential), and the caller
 * named on the row is the one of the bearer token it forwards, verified here again: the gateway cannot name a
 * client other than the token's. The gateway does not expose this path (it forwards only the token routes).
 *
 * The row: action REFUSE, record type `Field`, the client and agency of the token, the operation name, the refused
 * schema coordinates (`Type.field`) as its fields, `details.refusal = UNAUTHORIZED_FIELD_OR_TYPE`. It names no
 * record and no owner, so only the General Secretariat reads it (docs/security.md, "What is audited").
 */
export function refusalRoutes(db: DataSource, services: SubgraphServices): Route[] {
  return [
    {
      method: 'POST',
      path: REFUSALS_PATH,
      handler: async (req, res) => {
        const credential = req.headers[GATEWAY_CREDENTIAL_HEADER];
        if (
          !isGatewayCredential(
            typeof credential === 'string' ? credential : undefined,
            services.gatewayCredential,
          )
        )
          throw new HttpError(401, 'Requests must come through the gateway');
        const caller = await callerOfRequest(req, services.verifyToken);
        if (!caller) throw new HttpError(401, 'A refusal names the caller: its bearer token is required');
        if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
          throw new HttpError(415, 'application/json only');
        const report = readRefusalReport(await readJsonBodyBounded(req));
        const audit = new RequestAudit('gateway', acceptRequestId(req.headers[REQUEST_ID_HEADER]), {
          clientId: caller.clientId,
          agencyId: caller.agencyId,
        });
        audit.operationName = report.operation;
        await audit.write(db, {
          action: 'REFUSE',
          recordType: 'Field',
          fields: report.fields,
          details: {
            refusal: 'UNAUTHORIZED_FIELD_OR_TYPE',
            ...(report.omitted > 0 ? { omitted: report.omitted } : {}),
          },
        });
        sendJson(res, 201, { written: 1 });
      },
    },
  ];
}

async function readJsonBodyBounded(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req, MAX_BODY_BYTES);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON');
  }
}
