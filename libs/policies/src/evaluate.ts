import { arnMatch } from './arn';
import type { Permission, Policy } from './policy.types';
import { wildcardMatch } from './wildcard';

export type Decision = 'allow' | 'deny' | 'neutral';

function resourcesOf(resource: string): string[] {
  if (resource.startsWith('[') && resource.endsWith(']')) {
    try {
      const list = JSON.parse(resource) as unknown;
      if (Array.isArray(list) && list.every((r) => typeof r === 'string')) return list;
    } catch {
      // not a JSON list: no resource matches
    }
    return [];
  }
  return [resource];
}

/**
 * lakeFS's evaluation of one permission against a user's policies: any matching deny wins;
 * otherwise any matching allow allows; otherwise neutral (which is not allowed).
 * `${user}` in a resource stands for the user's ID.
 */
export function evaluate(policies: readonly Policy[], permission: Permission, userId: string): Decision {
  let decision: Decision = 'neutral';
  for (const policy of policies) {
    for (const statement of policy.statement) {
      const resourceMatches = resourcesOf(statement.resource).some((r) => arnMatch(r.replaceAll('${user}', userId), permission.resource));
      if (!resourceMatches || !statement.action.some((a) => wildcardMatch(a, permission.action))) continue;
      if (statement.effect === 'deny') return 'deny';
      decision = 'allow';
    }
  }
  return decision;
}

export interface AuthorizationResult {
  allowed: boolean;
  /** The first required permission that was denied or not granted. */
  missing?: Permission & { decision: Decision };
}

/** Every permission in `required` must be allowed. */
export function authorize(policies: readonly Policy[], required: readonly Permission[], userId: string): AuthorizationResult {
  for (const permission of required) {
    const decision = evaluate(policies, permission, userId);
    if (decision !== 'allow') return { allowed: false, missing: { ...permission, decision } };
  }
  return { allowed: true };
}
