import type pg from 'pg';
import type { GraphQLResponse, TestHub } from './hub';
import { tableSnapshot } from './table-snapshot';

/**
 * What the record-management tests expect of one subgraph's mutations: a refused mutation leaves every table of
 * the subgraph and the audit trail as they were, and its answer is a whole response with the error's code, path
 * and service. `connections` is read at call time (the hub and the database are opened in beforeAll).
 */
export function mutationExpectations(
  serviceName: string,
  schema: string,
  connections: () => { hub: TestHub; db: pg.Client },
) {
  /** The audit rows naming a record, oldest first (reads left out with `withoutReads`). */
  async function changesOf(id: string, options: { withoutReads?: boolean } = {}) {
    const { rows } = await connections().db.query(
      `SELECT action, client_id, subgraph, record_type, owner_agency_ids, fields, details FROM audit.entries
        WHERE $1 = ANY (record_ids) ${options.withoutReads ? "AND action <> 'READ'" : ''} ORDER BY seq`,
      [id],
    );
    return rows;
  }

  /** Runs a mutation that must be refused, and checks that no table of the subgraph nor the audit trail changed. */
  async function refused(
    clientId: string,
    query: string,
    variables: Record<string, unknown>,
  ): Promise<GraphQLResponse> {
    const { hub, db } = connections();
    // The token first: getting one writes its own audit row (every token request is audited).
    await hub.token(clientId);
    const before = await tableSnapshot(db, [schema]);
    const response = await hub.graphql(clientId, query, variables);
    expect(await tableSnapshot(db, [schema])).toEqual(before);
    return response;
  }

  function failure(field: string, code: string, message: string, extra: Record<string, unknown> = {}) {
    return {
      data: { [field]: null },
      errors: [{ message, path: [field], extensions: { code, serviceName, ...extra } }],
    };
  }

  function invalid(field: string, problems: { field: string; reason: string }[]) {
    return {
      data: { [field]: null },
      errors: [
        {
          message: expect.stringMatching(/^Invalid input: /),
          path: [field],
          extensions: { code: 'BAD_USER_INPUT', serviceName, problems },
        },
      ],
    };
  }

  const unauthorized = (field: string) => ({
    data: null,
    errors: [
      {
        message: 'Unauthorized field or type',
        path: [field],
        extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      },
    ],
  });

  return { changesOf, refused, failure, invalid, unauthorized };
}
