import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { createLogger, safeErrorFields } from './logger';

/** A failed INSERT as TypeORM throws it: the SQL, the caller's values as parameters, pg's error with its detail. */
function failedInsert() {
  const driverError = Object.assign(
    new Error('duplicate key value violates unique constraint "records_key"'),
    {
      code: '23505',
      constraint: 'records_key',
      table: 'records',
      schema: 'sltd',
      detail: 'Key (document_number)=(61QZ72301) already exists.',
    },
  );
  return new QueryFailedError(
    'INSERT INTO sltd.records (holder_surname) VALUES ($1)',
    ['Qwertyzanova'],
    driverError,
  );
}

/** A logger of the hub's kind whose lines land in `out`. */
function capturedLogger() {
  const out: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk.toString());
      done();
    },
  });
  return { out, log: createLogger('test', 'info', destination) };
}

test('a failed statement is logged by class, SQLSTATE, constraint and table; never its SQL, values or detail', () => {
  const { out, log } = capturedLogger();
  log.error({ err: failedInsert() }, 'failed');
  log.error({ err: safeErrorFields(failedInsert()) }, 'failed, made safe first');
  for (const line of out) {
    const { err } = JSON.parse(line) as { err: Record<string, unknown> };
    expect({ ...err, stack: typeof err.stack }).toEqual({
      type: 'QueryFailedError',
      code: '23505',
      constraint: 'records_key',
      table: 'records',
      schema: 'sltd',
      stack: 'string',
    });
    for (const secret of ['Qwertyzanova', '61QZ72301', 'INSERT', 'duplicate key'])
      expect(line).not.toContain(secret);
  }
});

test('the secrets among request headers are removed', () => {
  const { out, log } = capturedLogger();
  log.info(
    {
      req: {
        headers: {
          authorization: 'Bearer t',
          cookie: 'c=1',
          'x-gateway-credential': 'g',
          'x-request-id': 'r',
        },
      },
    },
    'request',
  );
  expect(JSON.parse(out[0]).req).toEqual({ headers: { 'x-request-id': 'r' } });
});

test('engine errors about the code keep their message; others do not', () => {
  expect(safeErrorFields(new TypeError('Cannot read properties of undefined')).message).toBe(
    'Cannot read properties of undefined',
  );
  expect(safeErrorFields(new Error('holder Qwertyzanova')).message).toBeUndefined();
  expect(safeErrorFields('Qwertyzanova')).toEqual({ type: 'string' });
});
