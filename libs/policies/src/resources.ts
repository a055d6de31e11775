import { arnProblem } from './arn';

/**
 * A statement's resources as lakeFS reads them (ParsePolicyResourceAsList): a string that starts
 * with `[` and ends with `]` is a JSON list of ARNs, anything else one ARN. Undefined when the
 * resource is empty or the list does not parse, which makes lakeFS deny the whole check rather
 * than skip the statement. A list element that is not a string is malformed here too (Go would
 * read a null as "" and skip it; denying is the safer reading of a document nobody validated).
 */
export function parseResourceList(resource: string): string[] | undefined {
  if (resource === '') return undefined;
  if (!(resource.startsWith('[') && resource.endsWith(']'))) return [resource];
  try {
    const list = JSON.parse(resource) as unknown;
    return Array.isArray(list) && list.every((r) => typeof r === 'string') ? list : undefined;
  } catch {
    return undefined;
  }
}

/** What is wrong with a statement's resource when a policy is written: it must parse, list at least one ARN, and every ARN be valid. */
export function resourceProblems(resource: string): string[] {
  const list = parseResourceList(resource);
  if (!list) return [resource === '' ? 'must not be empty' : `is not a JSON list of ARN strings: ${resource.slice(0, 120)}`];
  if (list.length === 0) return ['lists no resource'];
  return list.map(arnProblem).filter((problem): problem is string => problem !== undefined);
}
