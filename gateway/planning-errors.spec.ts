import { GraphQLError } from 'graphql';
import { asBadRequest } from './planning-errors';

describe('errors thrown before execution', () => {
  test("the planner's selection limit becomes a 400 OPERATION_LIMIT_EXCEEDED", () => {
    const error = asBadRequest(new Error('Number of non-local selections exceeds limit of 100000'));
    expect(error?.extensions).toEqual({
      code: 'OPERATION_LIMIT_EXCEEDED',
      limit: 'queryPlannerSelections',
      maximum: 100000,
      measured: 100001,
      http: { status: 400 },
    });
    expect(
      asBadRequest(new Error('Exceeded maximum recursive selections in this operation'))?.extensions,
    ).toMatchObject({
      code: 'OPERATION_LIMIT_EXCEEDED',
      maximum: 10_000_000,
    });
  });

  test('an error with a code keeps it, answered 400', () => {
    const error = asBadRequest(new GraphQLError('No such state', { extensions: { code: 'BAD_USER_INPUT' } }));
    expect(error?.message).toBe('No such state');
    expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
  });

  test("the gateway's INVALID_GRAPHQL (no operation to run) is Apollo's OPERATION_RESOLUTION_FAILURE, answered 400", () => {
    const error = asBadRequest(
      new GraphQLError('Unknown operation named "Me".', { extensions: { code: 'INVALID_GRAPHQL' } }),
    );
    expect(error?.message).toBe('Unknown operation named "Me".');
    expect(error?.extensions).toEqual({ code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } });
  });

  test('anything else stays an internal error', () => {
    expect(
      asBadRequest(new Error('Was not able to find any options: This should not have happened.')),
    ).toBeNull();
    expect(
      asBadRequest(new GraphQLError('boom', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })),
    ).toBeNull();
    expect(asBadRequest(new GraphQLError('no code'))).toBeNull();
    expect(asBadRequest('a string')).toBeNull();
  });
});
