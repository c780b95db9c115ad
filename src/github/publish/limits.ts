/**
 * GitHub's size limits, enforced once more right before sending: the renderer already keeps
 * within them, but a 422 on the check run would leave a required check without its result,
 * so publishing never trusts its input to be within bounds.
 */
import { fingerprintInBody, findingMarker } from '../markers.js';
import type { CheckAnnotation } from '../types.js';

export const MAX_TITLE = 255;
export const MAX_OUTPUT = 65_535;
export const MAX_ANNOTATION_BYTES = 64 * 1024;
export const ANNOTATIONS_PER_REQUEST = 50;
export const MAX_COMMENT_BODY = 65_536;

const ELLIPSIS = '…';

/** At most `max` UTF-16 units (GitHub counts characters; units are never fewer). */
export function truncateChars(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - ELLIPSIS.length;
  // Never split a surrogate pair: half an emoji is not valid UTF-8 on the wire.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return text.slice(0, Math.max(0, cut)) + ELLIPSIS;
}

/** At most `max` UTF-8 bytes, cut on a character boundary. */
export function truncateBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  const budget = max - Buffer.byteLength(ELLIPSIS, 'utf8');
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > budget) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end) + ELLIPSIS;
}

/**
 * An annotation GitHub accepts: valid lines, columns only on a single line, title and
 * message within bounds. Undefined when it cannot be made valid (no path, no line).
 */
export function sanitizeAnnotation(annotation: CheckAnnotation): CheckAnnotation | undefined {
  const start = Math.trunc(annotation.start_line);
  if (!annotation.path || !Number.isFinite(start) || start < 1) return undefined;
  const end = Math.max(start, Math.trunc(annotation.end_line) || start);
  const result: {
    -readonly [K in keyof CheckAnnotation]: CheckAnnotation[K];
  } = {
    path: annotation.path,
    start_line: start,
    end_line: end,
    annotation_level: annotation.annotation_level,
    title: truncateChars(annotation.title, MAX_TITLE),
    message: truncateBytes(
      annotation.message || annotation.title || 'finding',
      MAX_ANNOTATION_BYTES,
    ),
  };
  if (start === end && annotation.start_column !== undefined) {
    result.start_column = annotation.start_column;
    if (annotation.end_column !== undefined && annotation.end_column >= annotation.start_column) {
      result.end_column = annotation.end_column;
    }
  }
  if (annotation.raw_details !== undefined) {
    result.raw_details = truncateBytes(annotation.raw_details, MAX_ANNOTATION_BYTES);
  }
  return result;
}

/** Consecutive groups of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let index = 0; index < items.length; index += size) {
    groups.push(items.slice(index, index + size));
  }
  return groups;
}

/**
 * A review comment body within GitHub's limit that keeps its hidden marker: without the
 * marker the next evaluation would not recognise the comment and would post it again.
 */
export function limitCommentBody(body: string): string {
  if (body.length <= MAX_COMMENT_BODY) return body;
  const fingerprint = fingerprintInBody(body);
  if (fingerprint === undefined) return truncateChars(body, MAX_COMMENT_BODY);
  const marker = findingMarker(fingerprint);
  const head = body.slice(0, body.lastIndexOf(marker));
  return truncateChars(head, MAX_COMMENT_BODY - marker.length - 1) + '\n' + marker;
}
