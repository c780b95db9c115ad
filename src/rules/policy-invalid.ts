/**
 * Policies AWS would reject, and files that cannot be read at all. Both used to pass silently
 * in a linter that only reports what it understood; here they block the merge instead:
 * - every `parse-error` of the scope (broken YAML/JSON): nothing in that file was checked;
 * - every problem the policy parser recorded (missing `Effect`, unknown condition operator,
 *   a bucket policy without `Principal`, bad JSON in a policy string, …): AWS refuses to
 *   create the resource, or the statement is left out of every other check.
 * A policy with `!If` is parsed once per branch combination, so the same problem comes back
 * from every variant: it is reported once, naming the branch only when it is branch-specific.
 */
import { defineRule } from './define-rule.js';
import { policiesOf, type PolicyRef } from '../iac/model.js';
import type { PolicyDocument } from '../policy/types.js';
import { reportAcrossVariants, type VariantFinding } from './support/variants.js';
import { policyLabel } from './data/labels.js';

/**
 * A message without its numbers, for the fingerprint: parser messages often quote a line or
 * column, which must not make a moved problem look like a new one.
 */
function stableText(message: string): string {
  return message.replace(/\d+/g, '#');
}

function sentence(text: string): string {
  const trimmed = text.trim().replace(/[.\s]+$/, '');
  if (trimmed === '') return 'unreadable';
  // Parser messages are written as sentences; here they continue one ("…: the statement has…").
  return /^[A-Z](?![A-Z])/.test(trimmed)
    ? trimmed.charAt(0).toLowerCase() + trimmed.slice(1)
    : trimmed;
}

export default defineRule({
  id: 'policy-invalid',
  title: 'A policy AWS would reject, or a file that cannot be parsed',
  severity: 'error',
  docs: {
    description:
      'A policy document that is not valid (unparsable JSON, a statement without Effect, Action ' +
      'or Resource, an unknown condition operator, a bucket policy without Principal), or a file ' +
      'that cannot be parsed. AWS rejects such a policy, and none of it can be checked.',
    source:
      'IAM User Guide, "IAM JSON policy element reference" and "IAM JSON policy grammar": ' +
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html',
  },
  check({ scope, report }) {
    for (const diagnostic of scope.diagnostics) {
      if (diagnostic.kind !== 'parse-error') continue;
      const file = diagnostic.range.file;
      report({
        message:
          `${file} cannot be parsed (${sentence(diagnostic.message)}), so none of its ` +
          'resources or policies were checked.',
        range: diagnostic.range,
        resource: file,
        identity: ['parse-error', stableText(diagnostic.message)],
      });
    }

    for (const { resource, policy } of policiesOf(scope)) {
      reportAcrossVariants(
        policy,
        (variant) => diagnosticFindings(resource.address, policy, variant.document),
        report,
      );
    }
  },
});

function diagnosticFindings(
  address: string,
  policy: PolicyRef,
  document: PolicyDocument,
): VariantFinding[] {
  // Two identical problems in one policy (two statements without Effect) need distinct
  // fingerprints: number them in document order, which is the same in every variant.
  const occurrences = new Map<string, number>();
  return document.diagnostics.map((diagnostic) => {
    const text = stableText(diagnostic.message);
    const ordinal = (occurrences.get(`${diagnostic.code}|${text}`) ?? 0) + 1;
    occurrences.set(`${diagnostic.code}|${text}`, ordinal);
    return {
      message:
        `${address}: the ${policyLabel(policy)} is invalid and AWS would reject it: ` +
        sentence(diagnostic.message),
      range: diagnostic.range,
      resource: address,
      identity: [policy.name ?? policy.role, diagnostic.code, text, `#${ordinal}`],
    };
  });
}
