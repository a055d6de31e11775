import { wildcardMatch } from './wildcard';

interface Arn {
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Parses arn:lakefs:<service>:<region>:<account>:<resource> (the resource may hold colons), as lakeFS's ParseARN. */
function parseArn(arn: string): Arn | undefined {
  const fields = arn.split(':');
  if (fields.length < 6 || fields[0] !== 'arn' || fields[1] !== 'lakefs' || fields[2] === '') return undefined;
  const resource = fields.slice(5).join(':');
  if (resource === '') return undefined;
  return { service: fields[2], region: fields[3], account: fields[4], resource };
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

/** The kinds of resource lakeFS names in ARNs, per service (pkg/permissions); other services use fs ARNs. */
const RESOURCE_KINDS: Readonly<Record<string, readonly string[]>> = {
  fs: ['repository', 'namespace'],
  auth: ['user', 'group', 'policy', 'externalPrincipal'],
  catalog: ['namespace', 'table', 'view'],
};

/**
 * Why `arn` cannot be a policy's resource, or undefined when it can: `*`, or an ARN of the form
 * lakeFS writes (`arn:lakefs:<service>:::<kind>/<id>`) whose service and kind lakeFS has.
 * Wildcards may stand anywhere in the resource part.
 */
export function arnProblem(arn: string): string | undefined {
  if (arn === '*') return undefined;
  const parsed = parseArn(arn);
  if (!parsed) return `"${arn}" is not an ARN (arn:lakefs:<service>:::<resource>) nor *`;
  const kinds = RESOURCE_KINDS[parsed.service];
  if (!kinds) return `"${arn}" names service "${parsed.service}"; lakeFS ARNs are of ${Object.keys(RESOURCE_KINDS).join(', ')}`;
  if (parsed.region !== '' || parsed.account !== '') return `"${arn}" has a region or account; lakeFS ARNs have neither (arn:lakefs:${parsed.service}:::...)`;
  const slash = parsed.resource.indexOf('/');
  const kind = slash < 0 ? parsed.resource : parsed.resource.slice(0, slash);
  if (/[*?]/.test(kind)) return undefined;
  if (!kinds.includes(kind) || slash === parsed.resource.length - 1 || slash < 0) {
    return `"${arn}" names no ${parsed.service} resource (${kinds.map((k) => `${k}/<id>`).join(', ')})`;
  }
  return undefined;
}

/** lakeFS's resource ARNs for the things lakemirror guards. */
export const arns = {
  repository: (id: string) => `arn:lakefs:fs:::repository/${id}`,
  namespace: (namespace: string) => `arn:lakefs:fs:::namespace/${namespace}`,
};
