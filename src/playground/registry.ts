/**
 * The mocks the playground server mounts, in order (the first whose `handle` returns true wins).
 * To add a source's mock, import its factory and append it here.
 */
import type { MockApi, MockOptions } from './types.js';
import { bearerPlaygroundMock } from './bearer-api.js';
import { betterstackMock } from './betterstack.js';
import { harnessMock } from './harness.js';
import { monitoringMock, incidentsMock, catalogMock } from './declarative-apis.js';
import { graphqlMock } from './graphql-api.js';

export const mockFactories: Array<(o: MockOptions) => MockApi> = [
  bearerPlaygroundMock,
  betterstackMock,
  harnessMock,
  monitoringMock,
  incidentsMock,
  catalogMock,
  graphqlMock,
];
