/**
 * Comparing two scans of the same tree (a pull request's base and head, `scan --base`): each
 * head finding is `new` or `existing`, and base findings that are gone are `fixed`. Findings are
 * matched by fingerprint only, which names the problem (rule, file, resource, identity) and never
 * its lines, so a moved or reformatted problem stays `existing`.
 */
import type { Finding, SuppressedFinding } from './finding.js';

/** What is compared: a scan's findings and the ones suppressions accepted. */
export interface ComparedFindings {
  readonly findings: readonly Finding[];
  readonly suppressed?: readonly SuppressedFinding[];
}

/**
 * The head result with a status on every finding, the base's vanished findings as `fixed` and
 * the base's label. Fingerprints are compared as multisets: when the base has one finding with
 * a fingerprint and the head has two, one is `existing` and the other `new` (a copied
 * statement is a new problem); with two in the base and one in the head, one is `fixed`.
 * Suppressed findings keep their status too, so a suppression never hides what a change did.
 */
export function compareScans<Result extends ComparedFindings>(
  base: ComparedFindings,
  head: Result,
  baseLabel: string,
): Result & { readonly fixed: readonly Finding[]; readonly base: string } {
  // Suppressed findings of the base count too: suppressing a problem does not make it new.
  const baseAll = [...base.findings, ...(base.suppressed ?? []).map((s) => s.finding)];
  const available = countFingerprints(baseAll);
  const mark = (finding: Finding): Finding => {
    const left = available.get(finding.fingerprint) ?? 0;
    if (left > 0) available.set(finding.fingerprint, left - 1);
    return { ...finding, status: left > 0 ? 'existing' : 'new' };
  };
  // Visible findings claim base matches before suppressed ones, so a duplicate that is both
  // visible and suppressed leaves the visible copy `existing`.
  const findings = head.findings.map(mark);
  const suppressed = head.suppressed?.map((s) => ({ ...s, finding: mark(s.finding) }));

  // What is left in `available` is in the base but not (as often) in the head.
  const fixed: Finding[] = [];
  for (const finding of baseAll) {
    const left = available.get(finding.fingerprint) ?? 0;
    if (left <= 0) continue;
    available.set(finding.fingerprint, left - 1);
    fixed.push(withoutStatus(finding));
  }

  return {
    ...head,
    findings,
    ...(suppressed ? { suppressed } : {}),
    fixed,
    base: baseLabel,
  };
}

function countFingerprints(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.fingerprint, (counts.get(f.fingerprint) ?? 0) + 1);
  return counts;
}

function withoutStatus(finding: Finding): Finding {
  const { status: _status, ...rest } = finding;
  return rest;
}
