/**
 * A policy argument as Terraform gives it → a policy `Value`. Structured values (`jsonencode`,
 * an `aws_iam_policy_document`'s `.json`) are used as they are; a string (heredoc, literal
 * JSON, `file()`, `templatefile()`) is JSON text, parsed with positions: every span of the text
 * is mapped back to the file it came from (a heredoc's JSON lines are the file's lines), and
 * interpolated references stay symbolic parts of the strings they sit in.
 */
import type { SourceRange } from '../../core/range.js';
import type { StringValue, Value } from '../../core/value.js';
import { literalString, text, unknown } from '../../core/value.js';
import type { JsonHole } from '../json-value.js';
import { HOLE_END, HOLE_START, parseJsonValue } from '../json-value.js';
import type { JsonProblem } from '../policy-ref.js';
import { textPartRange } from './text-origin.js';

/** Policy text larger than this is not parsed (IAM's own limits are far below it). */
const MAX_POLICY_TEXT = 1_000_000;

/**
 * Stand-ins for JSON text that did not parse, with the problem at its exact place. Keyed by the
 * stand-in value, so a problem found while reading a module is reported by whoever builds the
 * policy from that value.
 */
export const jsonProblems = new WeakMap<Value, JsonProblem>();

/** The policy a Terraform policy argument denotes; `null` and `""` (unset) become absent. */
export function policyValue(value: Value): Value {
  switch (value.kind) {
    case 'conditional':
      return {
        ...value,
        whenTrue: policyValue(value.whenTrue),
        whenFalse: policyValue(value.whenFalse),
      };
    case 'null':
      return { kind: 'absent', range: value.range };
    case 'string':
      // `policy = var.policy` with the common default `""`, or `cond ? doc : ""`: the provider
      // treats an empty policy as none (and rejects it where one is required).
      if (literalString(value)?.trim() === '') return { kind: 'absent', range: value.range };
      return parsePolicyText(value);
    default:
      return value;
  }
}

function parsePolicyText(value: StringValue): Value {
  const [only] = value.parts;
  if (value.parts.length === 1 && only?.kind === 'ref') {
    // `policy = aws_iam_policy.other.policy`: another resource's runtime attribute.
    return unknown(`policy document taken from ${only.ref.display}`, value.range);
  }
  let json = '';
  const holes: JsonHole[] = [];
  /** Where each stretch of the JSON text came from: a text part (mappable) or a reference. */
  const segments: { at: number; part: number; text: boolean }[] = [];
  value.parts.forEach((part, index) => {
    segments.push({ at: json.length, part: index, text: part.kind === 'text' });
    if (part.kind === 'text') {
      json += part.text;
    } else {
      holes.push({ kind: 'ref', ref: part.ref });
      json += `${HOLE_START}${holes.length - 1}${HOLE_END}`;
    }
  });
  if (json.length > MAX_POLICY_TEXT) {
    return unknown(`policy text longer than ${MAX_POLICY_TEXT} characters`, value.range);
  }

  const segmentAt = (at: number): number => {
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((segments[mid]?.at ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  /** The source range of JSON character `at`; a reference maps to the text just before it. */
  // The last text segment at or before each segment: a run of references maps to the text
  // before it in one step, however many references there are.
  const textAtOrBefore: number[] = [];
  segments.forEach((segment, i) => {
    textAtOrBefore.push(segment.text ? i : (textAtOrBefore[i - 1] ?? -1));
  });
  const charRange = (at: number): SourceRange | undefined => {
    const i = segmentAt(at);
    const t = textAtOrBefore[i] ?? -1;
    const segment = segments[t];
    if (!segment) return undefined;
    const next = segments[t + 1];
    // Inside the text segment: that character; after it (a reference): its last character.
    const local = t === i ? at - segment.at : (next?.at ?? segment.at + 1) - 1 - segment.at;
    return textPartRange(value, segment.part, Math.max(0, local), Math.max(0, local) + 1);
  };
  const spanOf = (start: number, end: number): SourceRange => {
    const first = charRange(start);
    const last = charRange(Math.max(start, end - 1));
    if (!first || !last || first.file !== last.file) return value.range;
    return {
      file: first.file,
      startLine: first.startLine,
      startColumn: first.startColumn,
      endLine: last.endLine,
      endColumn: last.endColumn,
    };
  };

  const parsed = parseJsonValue(json, holes, spanOf);
  if (parsed.ok) return parsed.value;
  const standIn = text(json, value.range);
  jsonProblems.set(standIn, { message: parsed.message, range: parsed.range });
  return standIn;
}
