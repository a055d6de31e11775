import { ipInBlock, isIpAddress, isIpOrCidr, unmapIpv4 } from './ip-address';
import { wildcardMatch } from './wildcard';

/** A statement's condition, as lakeFS writes it: operator → context field → values (`{"IpAddress": {"SourceIp": ["10.0.0.0/8"]}}`). */
export type PolicyCondition = Record<string, Record<string, string[]>>;

/** What a request's conditions are evaluated against: context field → value. */
export type ConditionContext = Readonly<Record<string, string>>;

/** A condition lakeFS cannot evaluate (unsupported operator, malformed address): it denies the whole check. */
export class ConditionError extends Error {
  readonly code = 'CONDITION_ERROR';

  constructor(message: string) {
    super(message);
    this.name = 'ConditionError';
  }
}

/**
 * The context fields lakemirror provides, as lakeFS's authorizer does: only the client's address.
 * A condition on any other field could never hold here, so it is refused when written.
 */
export const CONDITION_FIELDS = ['SourceIp'] as const;

/** The condition context of a request from `sourceIp` (the TCP peer; IPv4-mapped addresses unmapped). */
export function sourceIpContext(sourceIp: string | undefined): ConditionContext {
  return { SourceIp: sourceIp ? unmapIpv4(sourceIp) : '' };
}

/** How one field's values judge the context: matched or not; undefined when the context has no usable value (the field fails). */
type FieldMatch = (field: string, values: readonly string[], context: ConditionContext) => boolean | undefined;

const ipMatch: FieldMatch = (field, blocks, context) => {
  const address = context[field];
  if (address === undefined || address === '') return undefined;
  if (!isIpAddress(address)) throw new ConditionError(`invalid IP format in field ${field}: ${address}`);
  // In order: a match before a malformed value is a match, as lakeFS has it.
  for (const block of blocks) {
    const inside = ipInBlock(address, block.trim());
    if (inside === undefined) throw new ConditionError(`invalid IP/CIDR format in field ${field}: ${block}`);
    if (inside) return true;
  }
  return false;
};

const stringMatch: FieldMatch = (field, patterns, context) => {
  const value = context[field];
  if (value === undefined) return undefined;
  return patterns.some((pattern) => wildcardMatch(pattern, value));
};

interface Operator {
  match: FieldMatch;
  /** The Not- operators pass when nothing matched. */
  negate: boolean;
  validValue?: (value: string) => boolean;
}

/** lakeFS v1.84's condition operators (pkg/auth/condition.go). */
const OPERATORS: Readonly<Record<string, Operator>> = {
  IpAddress: { match: ipMatch, negate: false, validValue: isIpOrCidr },
  NotIpAddress: { match: ipMatch, negate: true, validValue: isIpOrCidr },
  StringLike: { match: stringMatch, negate: false },
  StringNotLike: { match: stringMatch, negate: true },
};

export const CONDITION_OPERATORS = Object.keys(OPERATORS);

/**
 * Whether a statement's condition holds, as lakeFS evaluates it: every operator must pass
 * (AND), within an operator every field must pass (AND), and a field matches when any of its
 * values does (OR); a Not- operator's field passes when none does. A field the context lacks
 * fails under either kind of operator. No condition at all passes.
 * lakeFS visits operators and fields in map order (unordered); where one fails and another
 * errs, lakeFS may answer either, and this takes the error (the deny).
 * @throws ConditionError when lakeFS would fail the evaluation (which denies the whole check).
 */
export function conditionHolds(condition: PolicyCondition | undefined, context: ConditionContext): boolean {
  let holds = true;
  let error: ConditionError | undefined;
  for (const [name, fields] of Object.entries(condition ?? {})) {
    const operator = OPERATORS[name];
    if (!operator) throw new ConditionError(`unsupported condition operator: ${name}`);
    for (const [field, values] of Object.entries(fields)) {
      try {
        const matched = operator.match(field, values, context);
        if (matched === undefined || matched === operator.negate) holds = false;
      } catch (caught) {
        if (!(caught instanceof ConditionError)) throw caught;
        error ??= caught;
      }
    }
  }
  if (error) throw error;
  return holds;
}

/**
 * What is wrong with a condition, as [path, message] pairs under `path`: lakeFS's own checks
 * (known operator, field named, addresses and CIDR blocks well formed), and what would make it
 * hold always or never here: no operator, an operator without fields, a field without values,
 * a field lakemirror's context does not have.
 */
export function conditionProblems(condition: PolicyCondition, path: string): [string, string][] {
  const problems: [string, string][] = [];
  const operators = Object.entries(condition);
  if (operators.length === 0) problems.push([path, 'must hold at least one operator, or be left out']);
  for (const [name, fields] of operators) {
    const at = `${path}.${name}`;
    const operator = OPERATORS[name];
    if (!operator) {
      problems.push([at, `unsupported condition operator "${name}" (supported: ${CONDITION_OPERATORS.join(', ')})`]);
      continue;
    }
    const entries = Object.entries(fields);
    if (entries.length === 0) problems.push([at, 'must name at least one field']);
    for (const [field, values] of entries) {
      const fieldAt = `${at}.${field}`;
      if (!(CONDITION_FIELDS as readonly string[]).includes(field)) {
        problems.push([fieldAt, `unknown condition field "${field}" (lakemirror evaluates: ${CONDITION_FIELDS.join(', ')})`]);
      }
      if (values.length === 0) problems.push([fieldAt, 'must list at least one value']);
      for (const value of values) {
        if (operator.validValue && !operator.validValue(value)) problems.push([fieldAt, `"${value}" is not an IP address or CIDR block`]);
      }
    }
  }
  return problems;
}
