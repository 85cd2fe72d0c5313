import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { databaseErrorAsGraphQL, isDatabaseUnavailable } from './database-errors';

const pgError = (code: string) => Object.assign(new Error('db said no'), { code });

describe('a unique violation of a natural key is CONFLICT naming the field', () => {
  const violation = (constraint: string, detail: string) =>
    new QueryFailedError(
      'INSERT',
      [],
      Object.assign(new Error('duplicate key'), { code: '23505', constraint, detail }),
    );

  test.each([
    [
      'records_document_owner_key',
      'Key (issuing_country, document_number, owner_agency_id)=(FRA, 19FR1, 6f1c2b9e-0d7a-4a53-9a43-6b1f3c2d9e01)',
      "FRA 19FR1 is already on file as your agency's record",
      'input.documentNumber',
    ],
    ['agencies_code_key', 'Key (code)=(NCB-FRA)', 'An agency with code NCB-FRA already exists', 'input.code'],
    ['agencies_one_ncb_per_country', 'Key (country)=(ISL)', 'ISL already has an NCB', 'input.country'],
    ['api_clients_pkey', 'Key (client_id)=(ncb-fra)', 'The client id ncb-fra is taken', 'clientId'],
  ])('%s', (constraint, key, message, field) => {
    const error = databaseErrorAsGraphQL(violation(constraint, `${key} already exists.`));
    expect(error?.message).toBe(message);
    expect(error?.extensions).toEqual({ code: 'CONFLICT', field });
  });

  test('an unknown constraint stays unexpected', () => {
    expect(databaseErrorAsGraphQL(violation('some_other_key', 'Key (x)=(1) already exists.'))).toBeNull();
  });
});

describe('database failures a client can act on', () => {
  test.each([
    ['a full pool (pg-pool)', new Error('timeout exceeded when trying to connect')],
    ['a connection that could not open', new Error('Connection terminated due to connection timeout')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['statement_timeout', new QueryFailedError('SELECT 1', [], pgError('57014'))],
    ['a deadlock', new QueryFailedError('UPDATE', [], pgError('40P01'))],
    ['a server shutting down', pgError('57P01')],
    ['a connection exception class', pgError('08006')],
    ['a transaction whose connection failed under it', new QueryRunnerProviderAlreadyReleasedError()],
    ['the COMMIT of a transaction whose connection failed under it', new QueryRunnerAlreadyReleasedError()],
  ])('%s is SERVICE_UNAVAILABLE', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(databaseErrorAsGraphQL(error)?.extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds: 2,
    });
  });

  test.each([
    ['a syntax error', new QueryFailedError('SELEC', [], pgError('42601'))],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an error', 'boom'],
  ])('%s stays unexpected', (_name, error) => {
    expect(databaseErrorAsGraphQL(error)).toBeNull();
  });
});
