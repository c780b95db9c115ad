/**
 * Turns a policy property of a template (object, JSON string, `!Sub` JSON, `!If` of those) into
 * a `PolicyRef`: one parsed document per `!If` branch combination, or the reason it cannot be
 * evaluated. Unknown parts inside an otherwise readable policy are listed as diagnostics so the
 * run says what it could not see.
 */
import type { SourceRange } from '../../core/range.js';
import { spanRanges } from '../../core/range.js';
import type { Assumption, Value } from '../../core/value.js';
import { conditionsOf, coveringVariants, expandVariants } from '../../core/value.js';
import type { PolicyRef, PolicyRole, PolicyVariant, ScopeDiagnostic } from '../model.js';
import type { ParseOptions } from '../../policy/parse.js';
import { parsePolicyDocument } from '../../policy/parse.js';
import type { PolicyDocument } from '../../policy/types.js';
import type { RawEntry } from './parse.js';
import type { Resolver } from './resolve.js';

const PRINCIPAL_BY_ROLE: Readonly<Record<PolicyRole, ParseOptions['principal']>> = {
  endpoint: 'optional',
  bucket: 'required',
  identity: 'forbidden',
};

export interface BuiltPolicy {
  readonly policy: PolicyRef;
  readonly diagnostics: readonly ScopeDiagnostic[];
}

/**
 * `entry` is the policy property (`PolicyDocument: …`); `extraAssumptions` are the conditions
 * the policy already sits under (an inline policy inside `!If`), so variants name them too.
 */
export function buildPolicy(
  resolver: Resolver,
  role: PolicyRole,
  entry: RawEntry,
  name: string | undefined,
  extraAssumptions: readonly Assumption[] = [],
  resourceCondition?: string,
): BuiltPolicy {
  const range = spanRanges(entry.keyRange, entry.value.range);
  const diagnostics: ScopeDiagnostic[] = [];
  const base = { role, range, ...(name !== undefined ? { name } : {}) };
  const unresolved = (reason: string): BuiltPolicy => ({
    policy: { ...base, variants: [], unresolved: reason },
    diagnostics: [
      ...diagnostics,
      { kind: 'unresolved', message: `policy not evaluated: ${reason}`, range: entry.value.range },
    ],
  });

  const value = resolver.resolveDocument(entry.value);
  if (value.kind === 'unknown') return unresolved(value.reason);
  let expanded = expandVariants(value);
  if (!expanded) {
    // Templates like one `!If [HasX, statement, !Ref AWS::NoValue]` per statement have more
    // combinations than can be enumerated; check a covering subset and say so.
    expanded = coveringVariants(value);
    diagnostics.push({
      kind: 'unresolved',
      message: `policy depends on ${conditionsOf(value).length} conditions: only ${expanded.length} of their combinations were checked`,
      range: entry.value.range,
    });
  }

  const variants: PolicyVariant[] = [];
  for (const variant of expanded) {
    // A branch that removes the policy (`!Ref AWS::NoValue`) simply has no policy to check.
    if (variant.value.kind === 'absent') continue;
    // The resource exists only when its own condition holds: branches assuming otherwise never
    // deploy, and the assumption that it holds says nothing new.
    if (variant.assumptions.some((a) => a.condition === resourceCondition && !a.value)) continue;
    const assumptions = [...extraAssumptions, ...variant.assumptions].filter(
      (a) => a.condition !== resourceCondition,
    );
    if (variant.value.kind === 'unknown') {
      if (expanded.length === 1) return unresolved(variant.value.reason);
      diagnostics.push({
        kind: 'unresolved',
        message: `policy not evaluated when ${describe(assumptions)}: ${variant.value.reason}`,
        range: variant.value.range,
      });
      continue;
    }
    const problem = resolver.jsonProblems.get(variant.value);
    const document: PolicyDocument = problem
      ? {
          statements: [],
          diagnostics: [{ code: 'bad-json', message: problem.message, range: problem.range }],
          range: variant.value.range,
        }
      : parsePolicyDocument(variant.value, { principal: PRINCIPAL_BY_ROLE[role] });
    collectUnknowns(variant.value, diagnostics);
    variants.push({ assumptions, document });
  }
  return { policy: { ...base, variants }, diagnostics: dedupe(diagnostics) };
}

function describe(assumptions: readonly Assumption[]): string {
  return assumptions.map((a) => `${a.condition} is ${a.value}`).join(' and ') || 'always';
}

/** Every unknown leaf: the parts of the policy the run could not resolve. */
function collectUnknowns(value: Value, into: ScopeDiagnostic[]): void {
  switch (value.kind) {
    case 'unknown':
      into.push({ kind: 'unresolved', message: value.reason, range: value.range });
      return;
    case 'list':
      value.items.forEach((item) => collectUnknowns(item, into));
      return;
    case 'map':
      value.entries.forEach((entry) => collectUnknowns(entry.value, into));
      return;
    default:
      return;
  }
}

function dedupe(diagnostics: readonly ScopeDiagnostic[]): ScopeDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${rangeKey(d.range)}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function rangeKey(range: SourceRange): string {
  return `${range.file}:${range.startLine}:${range.startColumn}-${range.endLine}:${range.endColumn}`;
}
