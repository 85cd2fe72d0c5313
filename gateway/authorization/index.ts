export { type AccessRequirement, readAccessRequirements } from './requirements';
export { type AuthorizationSubject } from './caller';
export { createOperationFilter, type OperationFilter } from './filter-operation';
export { restoreUnauthorized } from './restore-response';
