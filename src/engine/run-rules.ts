/**
 * Runs rules on one scope and turns what they report into full findings. A rule that crashes
 * must not take the other rules (or the other files) down with it, and must not pass silently
 * either: its exception becomes an `error` finding of that rule, so the run fails loudly but
 * completely.
 */
import { lineRange, rangeContains } from '../core/range.js';
import type { Finding, FindingInput } from '../findings/finding.js';
import { fingerprint } from '../findings/fingerprint.js';
import { findResource, type Scope } from '../iac/model.js';
import type { Rule } from '../rules/define-rule.js';
import type { ChangeContext, RuleSettings } from '../rules/settings.js';
import { DEFAULT_RULE_SETTINGS } from '../rules/settings.js';

/** What rules may know besides the scope (see rules/settings.ts). */
export interface RunOptions {
  readonly settings?: RuleSettings;
  readonly change?: ChangeContext;
}

export function helpUriFor(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

/**
 * `where` names the finding's place in the fingerprint: the file by default, but for a
 * Terraform module its folder, because an address is unique in the whole module and moving a
 * resource to another file of the module (main.tf → network.tf) does not make a new problem.
 */
export function toFinding(rule: Rule, input: FindingInput, where = input.range.file): Finding {
  return {
    ruleId: rule.id,
    severity: input.severity ?? rule.severity,
    message: input.message,
    range: input.range,
    resource: input.resource,
    related: input.related ?? [],
    ...(input.fix ? { fix: input.fix } : {}),
    fingerprint: fingerprint(rule.id, where, input.resource, input.identity),
    helpUri: helpUriFor(rule.id),
  };
}

export function runRules(
  scope: Scope,
  rules: readonly Rule[],
  options: RunOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  const settings = options.settings ?? DEFAULT_RULE_SETTINGS;
  const where = fingerprintPlace(scope);
  for (const rule of rules) {
    // Findings of a rule that later throws are discarded: they may be partial or inconsistent,
    // and the internal-error finding already blocks the run.
    const ofRule: Finding[] = [];
    try {
      rule.check({
        scope,
        settings,
        ...(options.change ? { change: options.change } : {}),
        report(reported) {
          const input = attributeToPolicySource(scope, reported);
          ofRule.push(toFinding(rule, input, where?.(input.range.file)));
        },
      });
      findings.push(...mergeSameFingerprint(ofRule));
    } catch (error) {
      findings.push(internalError(rule, scope, error));
    }
  }
  return findings;
}

/**
 * A Terraform module (a folder read as one, its id the folder) fingerprints by folder for the
 * files it read; everything else (CloudFormation, plan JSON: one file per scope) by file.
 */
function fingerprintPlace(scope: Scope): ((file: string) => string) | undefined {
  if (scope.format !== 'terraform' || scope.files.length === 0) return undefined;
  if (scope.files.length === 1 && scope.files[0] === scope.id) return undefined;
  const files = new Set(scope.files);
  return (file) => (files.has(file) ? `module:${scope.id}` : file);
}

function internalError(rule: Rule, scope: Scope, error: unknown): Finding {
  const file = scope.files[0] ?? scope.id;
  const reason = error instanceof Error ? error.message : String(error);
  return toFinding(rule, {
    severity: 'error',
    message: `internal error in rule ${rule.id} while checking ${file}: ${reason}`,
    range: lineRange(file, 1),
    resource: file,
    // The reason is not part of the identity: a changed stack trace is the same broken rule.
    identity: ['internal-error'],
  });
}

/**
 * A finding inside a Terraform `data "aws_iam_policy_document"` block is about that block: the
 * reviewer changes it there, and every resource using its `.json` inherits the problem. So the
 * data source is the finding's resource and the using resource a related location.
 */
function attributeToPolicySource(scope: Scope, input: FindingInput): FindingInput {
  const source = scope.policySources?.find(
    (s) => s.address !== input.resource && rangeContains(s.range, input.range),
  );
  if (!source) return input;
  const user = findResource(scope, input.resource);
  return {
    ...input,
    resource: source.address,
    related: [
      ...(input.related ?? []),
      {
        range: user?.range ?? input.range,
        resource: input.resource,
        message: `${input.resource} uses ${source.address}.json`,
      },
    ],
  };
}

/**
 * One policy document used by several resources is one problem: findings that now share a
 * fingerprint are reported once, with every user as a related location.
 */
function mergeSameFingerprint(findings: readonly Finding[]): Finding[] {
  const byPrint = new Map<string, Finding>();
  for (const finding of findings) {
    const seen = byPrint.get(finding.fingerprint);
    if (!seen) {
      byPrint.set(finding.fingerprint, finding);
      continue;
    }
    const known = new Set(seen.related.map((r) => `${r.resource ?? ''}|${r.message}`));
    const extra = finding.related.filter((r) => !known.has(`${r.resource ?? ''}|${r.message}`));
    byPrint.set(finding.fingerprint, { ...seen, related: [...seen.related, ...extra] });
  }
  return [...byPrint.values()];
}
