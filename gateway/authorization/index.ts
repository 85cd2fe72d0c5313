export { type AccessRequirement, readAccessRequirements } from './requirements';
export { type AuthorizationSubject, isSatisfied } from './caller';
export {
  createOperationFilter,
  type FilteredOperation,
  type OperationFilter,
  type OperationFilterOptions,
  type RemovedSelection,
} from './filter-operation';
export { restoreUnauthorized, UNAUTHORIZED_CODE, UNAUTHORIZED_MESSAGE } from './restore-response';
