import { wildcardMatch } from './wildcard';

interface Arn {
  service: string;
  account: string;
  resource: string;
}

/** Parses arn:lakefs:<service>:<region>:<account>:<resource> (the resource may hold colons). */
function parseArn(arn: string): Arn | undefined {
  const fields = arn.split(':');
  if (fields.length < 6 || fields[0] !== 'arn' || fields[1] !== 'lakefs' || fields[2] === '') return undefined;
  const resource = fields.slice(5).join(':');
  if (resource === '') return undefined;
  return { service: fields[2], account: fields[4], resource };
}

/**
 * Whether a policy's resource pattern covers a requested resource, as lakeFS decides it:
 * `*` covers everything; otherwise service and account must be equal and the resource IDs
 * match with wildcards (the region field is not compared).
 */
export function arnMatch(pattern: string, resource: string): boolean {
  if (pattern === '*') return true;
  const source = parseArn(pattern);
  const target = parseArn(resource);
  if (!source || !target) return false;
  return source.service === target.service && source.account === target.account && wildcardMatch(source.resource, target.resource);
}

/** lakeFS's resource ARNs for the things lakemirror guards. */
export const arns = {
  repository: (id: string) => `arn:lakefs:fs:::repository/${id}`,
  namespace: (namespace: string) => `arn:lakefs:fs:::namespace/${namespace}`,
};
