/**
 * Hidden markers in the app's comments, so later evaluations recognise what was already said:
 * a review comment carries its finding's fingerprint, the summary comment a fixed marker.
 * HTML comments are invisible in GitHub's rendering and survive edits by the app.
 *
 * A marker is trusted only in comments written by the app itself (the caller checks the
 * author): anyone can type a marker into their own comment.
 */

const FINDING_PREFIX = '<!-- s3-endpoint-guard:finding ';
const SUMMARY = '<!-- s3-endpoint-guard:summary -->';

/** Fingerprints are lowercase hex (findings/fingerprint.ts); anything else is not ours. */
const FINGERPRINT = /^[0-9a-f]{8,128}$/;

export function findingMarker(fingerprint: string): string {
  if (!FINGERPRINT.test(fingerprint)) throw new Error(`not a fingerprint: ${fingerprint}`);
  return `${FINDING_PREFIX}${fingerprint} -->`;
}

/** The fingerprint in a comment body's marker, or undefined when it has none. */
export function fingerprintInBody(body: string): string | undefined {
  const start = body.lastIndexOf(FINDING_PREFIX);
  if (start < 0) return undefined;
  const end = body.indexOf(' -->', start + FINDING_PREFIX.length);
  if (end < 0) return undefined;
  const value = body.slice(start + FINDING_PREFIX.length, end);
  return FINGERPRINT.test(value) ? value : undefined;
}

export const SUMMARY_MARKER = SUMMARY;

export function isSummaryBody(body: string): boolean {
  return body.includes(SUMMARY);
}

/**
 * Ends every reply the app writes to a slash command (help, explain, refusals), so the app can
 * tell its replies from its other comments. Trusted only in the app's own comments (see above).
 */
export const REPLY_MARKER = '<!-- s3-endpoint-guard:reply -->';
