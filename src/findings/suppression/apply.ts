/**
 * Applies suppressions to one scope's findings. A suppressed finding is never dropped silently:
 * it moves to `suppressed` with who accepted it and why, so outputs can count and list it.
 * Suppressions that cannot be right (no reason, an unknown rule id, nothing matched) become
 * findings of the pseudo-rule `invalid-suppression`, pointing at the suppression.
 */
import { rangeContains, type SourceRange } from '../../core/range.js';
import type { Finding, SuppressedFinding, Suppression } from '../finding.js';
import { fingerprint } from '../fingerprint.js';
import type { Resource, Scope } from '../../iac/model.js';
import { policiesOf } from '../../iac/model.js';
import { closestMatch, suggestionBudget } from '../../rules/data/edit-distance.js';
import { ignoreMatches } from '../../config/apply.js';
import type { ConfigIgnore } from '../../config/schema.js';
import { parseInlineSuppressions } from './inline.js';

export type { ConfigIgnore };

export const INVALID_SUPPRESSION = {
  id: 'invalid-suppression',
  title: 'Suppression that is incomplete or matches nothing',
  severity: 'notice',
  docs: 'docs/suppressions.md',
} as const;

/** A finding accepted in a pull request comment. */
export interface CommandIgnore {
  readonly rule: string;
  readonly resource: string;
  readonly reason: string;
  readonly by: string;
}

export interface SuppressionInput {
  readonly findings: readonly Finding[];
  readonly scope: Scope;
  /** File → text, for the scope's files (inline comments are read from them). */
  readonly texts: ReadonlyMap<string, string>;
  readonly config: readonly ConfigIgnore[];
  readonly commands?: readonly CommandIgnore[];
  readonly knownRuleIds: readonly string[];
  /**
   * The rules that ran on this scope, when not all known ones did (rules switched off in the
   * config or by `--disable`): a suppression for a rule that did not run cannot be judged
   * unused. Defaults to `knownRuleIds`.
   */
  readonly activeRuleIds?: readonly string[];
}

export interface SuppressionOutcome {
  /** Findings no suppression matched, then the `invalid-suppression` notices. */
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
  /** Per config ignore: did it match a finding of this scope (see `unusedConfigIgnores`). */
  readonly configUse: readonly { readonly ignore: ConfigIgnore; readonly used: boolean }[];
}

/** A suppression written in the scope (comment or Metadata), which is checked and reported. */
interface Written {
  readonly source: 'inline' | 'metadata';
  readonly rule: string;
  readonly reason: string | undefined;
  readonly range: SourceRange;
  /** The resource it names (Metadata) or whose definition starts at its anchor (comments). */
  readonly resource: string | undefined;
  readonly matches: (finding: Finding) => boolean;
  used: boolean;
}

export function applySuppressions(input: SuppressionInput): SuppressionOutcome {
  const { scope } = input;
  const written = [...inlineSuppressions(input), ...metadataSuppressions(scope.resources)];
  const configUse = input.config.map((ignore) => ({ ignore, used: false }));
  const commands = input.commands ?? [];
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of input.findings) {
    let first: Suppression | undefined;
    // Every matching suppression is marked used, so none is reported as unused because
    // another one matched the same finding first.
    for (const w of written) {
      if (w.rule !== finding.ruleId || !w.matches(finding)) continue;
      w.used = true;
      first ??= { source: w.source, reason: w.reason ?? '', range: w.range };
    }
    for (const use of configUse) {
      if (!ignoreMatches(use.ignore, finding)) continue;
      use.used = true;
      first ??= { source: 'config', reason: use.ignore.reason };
    }
    for (const command of commands) {
      if (command.rule !== finding.ruleId || command.resource !== finding.resource) continue;
      first ??= { source: 'command', reason: command.reason, by: command.by };
    }
    if (first) suppressed.push({ finding, suppression: first });
    else kept.push(finding);
  }
  const known = new Set(input.knownRuleIds);
  const active = new Set(input.activeRuleIds ?? input.knownRuleIds);
  const notices = written.flatMap((w) => problemsOf(w, known, active, input.knownRuleIds));
  return { findings: [...kept, ...notices], suppressed, configUse };
}

/** Config ignores that matched no finding in any scope of the run: report them once. */
export function unusedConfigIgnores(outcomes: readonly SuppressionOutcome[]): ConfigIgnore[] {
  const used = new Set<ConfigIgnore>();
  const all: ConfigIgnore[] = [];
  for (const outcome of outcomes) {
    for (const use of outcome.configUse) {
      if (!all.includes(use.ignore)) all.push(use.ignore);
      if (use.used) used.add(use.ignore);
    }
  }
  return all.filter((ignore) => !used.has(ignore));
}

interface Anchor {
  readonly range: SourceRange;
  /** The resource defined there, when the anchor is a resource. */
  readonly resource?: string;
}

/**
 * What a comment can sit above: resources, and the policies and statements in them (also
 * `statement` blocks of `aws_iam_policy_document`, whose statements point at those blocks).
 * Keyed by `file:line` of their first line.
 */
function anchorsOf(scope: Scope): Map<string, Anchor[]> {
  const anchors = new Map<string, Anchor[]>();
  const add = (anchor: Anchor): void => {
    const key = `${anchor.range.file}:${anchor.range.startLine}`;
    const list = anchors.get(key);
    if (list) list.push(anchor);
    else anchors.set(key, [anchor]);
  };
  for (const resource of scope.resources)
    add({ range: resource.range, resource: resource.address });
  for (const { policy } of policiesOf(scope)) {
    add({ range: policy.range });
    for (const variant of policy.variants) {
      add({ range: variant.document.range });
      for (const statement of variant.document.statements) add({ range: statement.range });
    }
  }
  return anchors;
}

function inlineSuppressions(input: SuppressionInput): Written[] {
  const out: Written[] = [];
  let anchors: Map<string, Anchor[]> | undefined;
  for (const file of input.scope.files) {
    const text = input.texts.get(file);
    if (text === undefined) continue;
    for (const s of parseInlineSuppressions(file, text)) {
      anchors ??= anchorsOf(input.scope);
      const here = anchors.get(`${file}:${s.anchorLine}`) ?? [];
      out.push({
        source: 'inline',
        rule: s.rule,
        reason: s.reason,
        range: s.range,
        resource: here.find((a) => a.resource !== undefined)?.resource,
        matches: (finding) =>
          (finding.range.file === file && finding.range.startLine === s.anchorLine) ||
          here.some((a) => rangeContains(a.range, finding.range)),
        used: false,
      });
    }
  }
  return out;
}

function metadataSuppressions(resources: readonly Resource[]): Written[] {
  return resources.flatMap((resource) =>
    (resource.suppressions ?? []).map((s): Written => ({
      source: 'metadata',
      rule: s.rule,
      reason: s.reason,
      range: s.range,
      resource: resource.address,
      matches: (finding) => finding.resource === resource.address,
      used: false,
    })),
  );
}

function problemsOf(
  w: Written,
  known: ReadonlySet<string>,
  active: ReadonlySet<string>,
  knownIds: readonly string[],
): Finding[] {
  const where = w.source === 'inline' ? 'comment' : 'Metadata entry';
  const out: Finding[] = [];
  if (w.rule === '') {
    const shape =
      w.source === 'inline'
        ? '`s3-endpoint-guard:ignore <rule-id> <reason>`'
        : '`- rule: <rule-id>` with `reason: <why>`';
    out.push(
      notice(w, 'no-rule', `The suppression ${where} names no rule id, so it suppresses nothing.`, {
        description: `Write it as ${shape}.`,
      }),
    );
    return out;
  }
  if (!known.has(w.rule)) {
    const suggestion = closestMatch(w.rule, knownIds, suggestionBudget(w.rule));
    out.push(
      notice(
        w,
        'unknown-rule',
        `The suppression ${where} names the unknown rule '${w.rule}', so it suppresses nothing.`,
        {
          description: suggestion
            ? `Did you mean '${suggestion}'? Use one of the rule ids listed in docs/rules/.`
            : 'Use one of the rule ids listed in docs/rules/.',
        },
      ),
    );
  } else if (!w.used && active.has(w.rule)) {
    out.push(
      notice(
        w,
        'unused',
        `The suppression ${where} for ${w.rule} matches no finding${w.resource ? ` of ${w.resource}` : ''}; remove it or move it above the resource or statement it is meant for.`,
        {
          description:
            'Delete the suppression if the problem was fixed, or put the comment on the line of the finding, or directly above its resource or policy statement.',
        },
      ),
    );
  }
  if (w.reason === undefined) {
    out.push(
      notice(
        w,
        'no-reason',
        `The suppression ${where} for ${w.rule || 'a rule'} gives no reason; it still applies, but reviewers cannot tell why the finding was accepted.`,
        { description: 'Add a reason after the rule id saying why the finding is acceptable.' },
      ),
    );
  }
  return out;
}

function notice(
  w: Written,
  problem: string,
  message: string,
  fix: { description: string },
): Finding {
  const resource = w.resource ?? w.range.file;
  return {
    ruleId: INVALID_SUPPRESSION.id,
    severity: INVALID_SUPPRESSION.severity,
    message,
    range: w.range,
    resource,
    related: [],
    fix,
    // Stable across moved lines: what is wrong, with which suppression, where.
    fingerprint: fingerprint(INVALID_SUPPRESSION.id, w.range.file, resource, [
      problem,
      w.source,
      w.rule,
      w.reason ?? '',
    ]),
    helpUri: INVALID_SUPPRESSION.docs,
  };
}
