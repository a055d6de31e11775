import type { PolicyCondition } from './conditions';

/** A lakeFS-format policy, the same JSON lakeFS uses. */
export interface Policy {
  id: string;
  statement: PolicyStatement[];
}

export interface PolicyStatement {
  action: string[];
  effect: 'allow' | 'deny';
  /** An ARN pattern, `*`, or a JSON array of them written as a string (as lakeFS allows). */
  resource: string;
  /** When the statement applies, e.g. `{"IpAddress": {"SourceIp": ["10.0.0.0/8"]}}`; without one, always. */
  condition?: PolicyCondition;
}

/** One thing a request needs: an action on a resource. */
export interface Permission {
  action: string;
  resource: string;
}
