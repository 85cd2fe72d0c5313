import type { AccessRequirement } from './requirements';

/** The caller as the authorization step sees it; `policy` answers for one policy name (true = granted). */
export interface AuthorizationSubject {
  authenticated: boolean;
  scopes: ReadonlySet<string>;
  policy(name: string): boolean;
}

/**
 * Every part of the requirement must hold. Within scopes and within policies any one AND-group is enough;
 * an empty list of groups restricts nothing and an empty group is trivially met, exactly as in Router.
 * Scopes do not imply authentication and vice versa: each directive is judged on its own.
 */
export function isSatisfied(req: AccessRequirement, subject: AuthorizationSubject): boolean {
  if (req.authenticated && !subject.authenticated) return false;
  return (
    anyGroupHolds(req.scopes, (scope) => subject.scopes.has(scope)) &&
    anyGroupHolds(req.policies, (policy) => subject.policy(policy))
  );
}

function anyGroupHolds(groups: string[][] | null, holds: (name: string) => boolean): boolean {
  if (groups === null || groups.length === 0) return true;
  return groups.some((group) => group.every(holds));
}

/**
 * A compact key for everything about the subject that can change a filtering outcome: the authenticated
 * flag, then one bit per scope name and per policy name that the requirements mention (both lists sorted).
 * Scopes the schema never asks for are left out on purpose, so callers that differ only in irrelevant scopes
 * share cached results.
 */
export function permissionSignature(
  subject: AuthorizationSubject,
  relevantScopes: readonly string[],
  policyNames: readonly string[],
): string {
  let signature = subject.authenticated ? '1:' : '0:';
  for (const scope of relevantScopes) signature += subject.scopes.has(scope) ? '1' : '0';
  signature += ':';
  for (const policy of policyNames) signature += subject.policy(policy) ? '1' : '0';
  return signature;
}
