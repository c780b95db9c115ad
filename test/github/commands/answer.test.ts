/**
 * The pure part of answering a command comment: the parts of a reply joined into one comment
 * under GitHub's size limit. (Answering itself is tested end to end in test/app/commands.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { joinReplies, MAX_REPLY_CHARS } from '../../../src/github/commands/answer.js';
import { REPLY_MARKER } from '../../../src/github/markers.js';

describe('joinReplies', () => {
  it('returns a single reply that fits as it is', () => {
    const reply = `Help.\n\n${REPLY_MARKER}`;
    expect(joinReplies([reply])).toBe(reply);
  });

  it('joins parts with a rule and keeps one marker at the end', () => {
    expect(joinReplies([`One.\n\n${REPLY_MARKER}`, `Two.\n\n${REPLY_MARKER}`])).toBe(
      `One.\n\n---\n\nTwo.\n\n${REPLY_MARKER}`,
    );
  });

  it("a reply stays under GitHub's limit: parts that do not fit are left out, and said so", () => {
    const part = `${'x'.repeat(25_000)}\n\n${REPLY_MARKER}`;
    const body = joinReplies([part, part, part, part]);
    expect(body.length).toBeLessThanOrEqual(MAX_REPLY_CHARS);
    expect(body.split(REPLY_MARKER)).toHaveLength(2);
    expect(body).toContain(
      '_2 more answers were left out: the reply would be too long. Ask again in a separate comment._',
    );
    expect(body.split('x'.repeat(25_000))).toHaveLength(3);
  });
});
