import { borderCheck } from './border-check';
import type { Scenario } from './context';
import { contractBorderCheck } from './contract-border-check';
import { linkedRecords } from './linked-records';
import { manifest } from './manifest';
import { operationReport } from './operation-report';
import { screenPerson } from './screen-person';
import { stackFloor } from './stack-floor';

/** Every scenario of `npm run bench`, in the order they run (bench/README.md, "Scenarios"). */
export const SCENARIOS: readonly Scenario[] = [
  borderCheck,
  contractBorderCheck,
  stackFloor,
  manifest,
  linkedRecords,
  screenPerson,
  operationReport,
];
