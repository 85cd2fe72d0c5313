import { QueryFailedError } from 'typeorm';
import { databaseErrorAsGraphQL, isDatabaseUnavailable } from './database-errors';

const pgError = (code: string) => Object.assign(new Error('db said no'), { code });

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
