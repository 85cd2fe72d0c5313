import fs from 'node:fs';
import pino from 'pino';
import { DEV_GATEWAY_CREDENTIAL } from '../shared/subgraph/config';
import { UnauthenticatedError } from '../shared/errors';
import { DEFAULT_OPERATION_LIMITS } from '../shared/limits';
import { startGateway } from './server';

// @apollo/gateway's exporter to Apollo's servers, created in ApolloGateway's constructor unless
// APOLLO_TELEMETRY_DISABLED is set (docs/security.md, "What leaves the hub").
// eslint-disable-next-line @typescript-eslint/no-require-imports
const apolloTelemetry = require('@apollo/gateway/dist/utilities/opentelemetry') as {
  createDataCollectionExporter: () => unknown;
};

describe('the gateway sends nothing to Apollo', () => {
  const unreachable = 'http://127.0.0.1:9/graphql';
  const start = () =>
    startGateway({
      env: {
        PORT: 0,
        HOST: '127.0.0.1',
        NOTICES_URL: unreachable,
        TRAVEL_DOCUMENTS_URL: unreachable,
        DOCUMENT_ALERTS_URL: unreachable,
        PARTNER_AGENCIES_URL: unreachable,
        GATEWAY_CREDENTIAL: DEV_GATEWAY_CREDENTIAL,
        AUTHORIZATION_MODE: 'filter',
      },
      supergraphSdl: fs.readFileSync('supergraph.graphql', 'utf8'),
      limits: DEFAULT_OPERATION_LIMITS,
      verifyToken: async () => {
        throw new UnauthenticatedError();
      },
      log: pino({ level: 'silent' }),
    });

  const saved = process.env.APOLLO_TELEMETRY_DISABLED;
  afterEach(() => {
    jest.restoreAllMocks();
    if (saved === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
    else process.env.APOLLO_TELEMETRY_DISABLED = saved;
  });

  it.each([
    ['unset', undefined],
    ['false', 'false'],
  ])('never creates Apollo’s metrics exporter (APOLLO_TELEMETRY_DISABLED %s)', async (_, value) => {
    if (value === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
    else process.env.APOLLO_TELEMETRY_DISABLED = value;
    // Stubbed, not spied through: were the setting lost, the real exporter would probe and call out of loopback.
    const exporter = jest
      .spyOn(apolloTelemetry, 'createDataCollectionExporter')
      .mockReturnValue({ shutdown: () => Promise.resolve() });
    const gateway = await start();
    try {
      expect(exporter).not.toHaveBeenCalled();
    } finally {
      await gateway.stop();
    }
  });
});
