/**
 * Evaluates statements and policies against a request context, with IAM's semantics and
 * three-valued answers: `unknown` when a symbolic or unresolved value decides the outcome.
 *
 * Principal matching supports: `"*"` (everyone); exact principal strings (ARNs, service and
 * federated principals, canonical users); and accounts — an account id `123456789012` or the
 * account's root ARN `arn:aws:iam::123456789012:root` matches every principal of that account
 * (any ARN `arn:<partition>:<service>::123456789012:…`, or the bare account id). Wildcards
 * inside principal ARNs are not supported (IAM does not support them either).
 */
import type { StringPart, StringValue } from '../core/value.js';
import { baseOperator, compareValue } from './operators.js';
import { triAll, triAnd, triAny, triNot } from './tri.js';
import type {
  ConditionClause,
  ContextValue,
  EvaluationOptions,
  EvaluationResult,
  PolicyDocument,
  PolicyString,
  RequestContext,
  Statement,
  StatementOutcome,
  Tri,
} from './types.js';
import { expandPolicyVariables, NO_MATCH } from './variables.js';
import { DEFAULT_ASSUMPTIONS, matchPolicyString, substituteAssumed } from './wildcard.js';

const ANY: ContextValue = { kind: 'any' };

function lookupKey(keys: RequestContext['keys'], keyLower: string): ContextValue {
  return keys[keyLower] ?? ANY;
}

/** One condition key under one operator, with IAM's absent-key and set-qualifier rules. */
export function evaluateClause(
  clause: ConditionClause,
  keys: RequestContext['keys'],
  options?: EvaluationOptions,
): Tri {
  const op = baseOperator(clause.operator.base);
  if (!op) return 'unknown'; // unknown operator or unresolved condition block
  const context = lookupKey(keys, clause.keyLower);
  if (context.kind === 'any') return options?.freeKeys === 'exists' ? true : 'unknown';
  const present = context.kind === 'values' && context.values.length > 0;

  if (op.family === 'null') {
    // `Null: true` asks "is the key absent?"; `Null: false` asks "is it present?".
    return triAny(clause.values, (value) => {
      const word = literal(value)?.toLowerCase();
      if (word === undefined) return 'unknown';
      if (word === 'true') return !present;
      if (word === 'false') return present;
      return false;
    });
  }

  const { ifExists, qualifier } = clause.operator;
  if (!present) {
    // The set qualifiers decide before IfExists: `ForAnyValue:StringEqualsIfExists` on a missing
    // key is false in AWS (observed behaviour, see docs/policy-evaluation.md).
    if (qualifier === 'ForAllValues') return true;
    if (qualifier === 'ForAnyValue') return false;
    if (ifExists) return true;
    return op.negated;
  }

  const variablesAllowed = op.family === 'string' || op.family === 'arn';
  const policyValues = clause.values.map((v) =>
    variablesAllowed ? expandPolicyVariables(v, keys) : v,
  );
  const assume = options?.assume;
  // Does this request value equal/like ANY of the policy's values (positive form)?
  const matchesAny = (requestValue: PolicyString): Tri =>
    triAny(policyValues, (policyValue) =>
      policyValue === NO_MATCH ? false : compareValue(op.name, policyValue, requestValue, assume),
    );
  const requestValues = context.kind === 'values' ? context.values : [];
  const perValue = (requestValue: PolicyString): Tri =>
    op.negated ? triNot(matchesAny(requestValue)) : matchesAny(requestValue);

  if (qualifier === 'ForAllValues') return triAll(requestValues, perValue);
  if (qualifier === 'ForAnyValue') return triAny(requestValues, perValue);
  // A negated operator holds when the request value equals none of the policy's values.
  const anyMatch = triAny(requestValues, matchesAny);
  return op.negated ? triNot(anyMatch) : anyMatch;
}

/** Every clause of the statement's `Condition` (operators and keys are ANDed). */
export function evaluateConditions(
  statement: Statement,
  keys: RequestContext['keys'],
  options?: EvaluationOptions,
): Tri {
  return triAll(statement.conditions, (clause) => evaluateClause(clause, keys, options));
}

/** `Action`/`NotAction` against a literal action name; action names are case-insensitive. */
export function statementMatchesAction(statement: Statement, action: string): Tri {
  const value: StringValue = {
    kind: 'string',
    parts: action === '' ? [] : [{ kind: 'text', text: action }],
    range: statement.action.range,
  };
  const any = triAny(statement.action.items, (item) =>
    matchPolicyString(item, value, { ignoreCase: true, wildcards: true }),
  );
  return statement.action.negated ? triNot(any) : any;
}

/**
 * `Resource`/`NotResource` against the request's resource ARN (case-sensitive, wildcards).
 * A statement without either (endpoint policies) covers every resource. Policy variables are
 * taken as unknown here; `evaluateStatement` resolves them from the request context.
 */
export function statementMatchesResource(
  statement: Statement,
  resource: PolicyString,
  options?: EvaluationOptions,
): Tri {
  return matchResource(statement, resource, undefined, options);
}

function matchResource(
  statement: Statement,
  resource: PolicyString,
  keys: RequestContext['keys'] | undefined,
  options?: EvaluationOptions,
): Tri {
  if (!statement.resource) return true;
  const any = triAny(statement.resource.items, (item) => {
    const pattern = expandPolicyVariables(item, keys);
    if (pattern === NO_MATCH) return false;
    return matchPolicyString(pattern, resource, {
      ignoreCase: false,
      wildcards: true,
      assume: options?.assume,
    });
  });
  return statement.resource.negated ? triNot(any) : any;
}

/**
 * `Principal`/`NotPrincipal` against the caller (an ARN or account id; undefined = any caller).
 * A statement without either (identity policies) applies to its own identity: true.
 */
export function statementMatchesPrincipal(
  statement: Statement,
  principal: PolicyString | undefined,
  options?: EvaluationOptions,
): Tri {
  const block = statement.principal;
  if (!block) return true;
  let listed: Tri;
  if (block.everyone) listed = true;
  else if (!principal) listed = options?.freeKeys === 'exists' ? true : 'unknown';
  else {
    listed = triAny(block.entries, (entry) =>
      triAny(entry.values, (value) => principalValueMatches(entry.type, value, principal, options)),
    );
  }
  if (!block.negated) return listed;
  // Some caller outside the NotPrincipal list exists, so "any caller" stays satisfiable.
  if (!principal && options?.freeKeys === 'exists') return true;
  return triNot(listed);
}

function principalValueMatches(
  type: string,
  value: PolicyString,
  principal: PolicyString,
  options?: EvaluationOptions,
): Tri {
  if (value.kind === 'string' && literal(value) === '*') return true;
  const exact = matchPolicyString(value, principal, {
    ignoreCase: false,
    wildcards: false,
    assume: options?.assume,
  });
  if (exact === true || (type !== 'AWS' && type !== '*')) return exact;
  if (roleSessionMatches(value, principal)) return true;
  const account = accountOf(value, options);
  if (!account) return exact;
  // Every principal of the account: `arn:<partition>:<service>::<account>:<anything>`.
  const anyOfAccount: StringValue = {
    kind: 'string',
    parts: [{ kind: 'text', text: 'arn:*:*::' }, ...account, { kind: 'text', text: ':*' }],
    range: value.kind === 'string' ? value.range : principal.range,
  };
  const bareAccount: StringValue = { kind: 'string', parts: account, range: anyOfAccount.range };
  const opts = { ignoreCase: false, assume: options?.assume };
  const principalLiteral = literal(principal);
  return triAny(
    [
      exact,
      matchPolicyString(anyOfAccount, principal, { ...opts, wildcards: true }),
      // A literal caller that is not an account id cannot be the bare account.
      principalLiteral === undefined || /^\d{12}$/.test(principalLiteral)
        ? matchPolicyString(bareAccount, principal, { ...opts, wildcards: false })
        : false,
    ],
    (t) => t,
  );
}

/**
 * A role named as principal also matches its sessions: `arn:aws:iam::1:role/path/Name` matches
 * the caller `arn:aws:sts::1:assumed-role/Name/session` (session ARNs drop the role's path).
 */
function roleSessionMatches(value: PolicyString, principal: PolicyString): boolean {
  const role = literal(value);
  const caller = literal(principal);
  if (role === undefined || caller === undefined) return false;
  const r = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(role);
  const c = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(caller);
  return !!r && !!c && r[1] === c[1] && r[2] === c[2] && r[3] === c[3];
}

/** The account a principal value names as a whole: `123456789012` or `arn:…:iam::<acct>:root`. */
function accountOf(value: PolicyString, options?: EvaluationOptions): StringPart[] | undefined {
  if (value.kind !== 'string') return undefined;
  const assume = options?.assume
    ? { ...DEFAULT_ASSUMPTIONS, ...options.assume }
    : DEFAULT_ASSUMPTIONS;
  const parts = substituteAssumed(value.parts, assume);
  const [first, second, third] = parts;
  if (parts.length === 1 && first?.kind === 'text') {
    if (/^\d{12}$/.test(first.text)) return [first];
    const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(first.text);
    return root?.[1] ? [{ kind: 'text', text: root[1] }] : undefined;
  }
  if (parts.length === 1 && first?.kind === 'ref') return undefined; // could be anything
  if (
    parts.length === 3 &&
    first?.kind === 'text' &&
    /^arn:[^:]+:iam::$/.test(first.text) &&
    second?.kind === 'ref' &&
    third?.kind === 'text' &&
    third.text === ':root'
  ) {
    return [second];
  }
  return undefined;
}

export function evaluateStatement(
  statement: Statement,
  request: RequestContext,
  options?: EvaluationOptions,
): StatementOutcome {
  const principal = statementMatchesPrincipal(statement, request.principal, options);
  const action = statementMatchesAction(statement, request.action);
  const resource = matchResource(statement, request.resource, request.keys, options);
  const clauses = statement.conditions.map((c) => evaluateClause(c, request.keys, options));
  const applies = [principal, action, resource, ...clauses].reduce<Tri>(triAnd, true);
  return { statement, applies, clauses };
}

/**
 * IAM's decision within one policy: an applicable Deny wins; else an applicable Allow allows;
 * else the request is implicitly denied. Where an undecided statement (or an unresolved part
 * of the document) could change that, the decision is `unknown`.
 */
export function evaluatePolicy(
  document: PolicyDocument,
  request: RequestContext,
  options?: EvaluationOptions,
): EvaluationResult {
  const outcomes = document.statements.map((s) => evaluateStatement(s, request, options));
  const of = (effect: 'Allow' | 'Deny', applies: Tri): Statement[] =>
    outcomes
      .filter((o) => o.statement.effect === effect && o.applies === applies)
      .map((o) => o.statement);
  const denies = of('Deny', true);
  if (denies.length > 0) return { decision: 'explicit-deny', deciding: denies, outcomes };
  const unresolved = (document.unresolved?.length ?? 0) > 0;
  const maybeDenies = of('Deny', 'unknown');
  if (maybeDenies.length > 0 || unresolved) {
    return { decision: 'unknown', deciding: maybeDenies, outcomes };
  }
  const allows = of('Allow', true);
  if (allows.length > 0) return { decision: 'allow', deciding: allows, outcomes };
  const maybeAllows = of('Allow', 'unknown');
  if (maybeAllows.length > 0) return { decision: 'unknown', deciding: maybeAllows, outcomes };
  return { decision: 'implicit-deny', deciding: [], outcomes };
}

function literal(value: PolicyString): string | undefined {
  if (value.kind !== 'string') return undefined;
  if (value.parts.length === 0) return '';
  const [only] = value.parts;
  return value.parts.length === 1 && only?.kind === 'text' ? only.text : undefined;
}
