/**
 * A small strict JSON reader that yields `Value`s with source ranges, for policies written as
 * JSON text inside IaC (CloudFormation `PolicyDocument: '{"Statement": …}'` and `!Sub |` block
 * scalars; Terraform heredocs, `file()`, `templatefile()`). `JSON.parse` cannot do this: it
 * forgets positions, and the text holds references (`${Bucket}`, `${aws_s3_bucket.b.arn}`) that
 * must survive as symbolic parts. Those are passed in as *holes*: the caller replaces each
 * reference with `\u0000<index>\u0001` before parsing.
 */
import type { SourceRange } from '../core/range.js';
import type { MapEntry, StringPart, SymbolicRef, Value } from '../core/value.js';
import { concat, refString, unknown } from '../core/value.js';

export type JsonHole =
  | { readonly kind: 'ref'; readonly ref: SymbolicRef }
  | { readonly kind: 'unknown'; readonly reason: string };

export const HOLE_START = '\u0000';
export const HOLE_END = '\u0001';

export type JsonResult =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: false; readonly message: string; readonly range: SourceRange };

/** Maps a span of the JSON text (end exclusive) to its place in the template. */
export type SpanMapper = (start: number, end: number) => SourceRange;

const MAX_JSON_DEPTH = 200;

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

export interface JsonOptions {
  /**
   * CloudFormation replaces `{{resolve:…}}` dynamic references at deploy time, inside JSON text
   * too, so such strings are unknown there; elsewhere they are ordinary text.
   */
  readonly dynamicReferences?: boolean;
}

export function parseJsonValue(
  text: string,
  holes: readonly JsonHole[],
  spanOf: SpanMapper,
  options: JsonOptions = {},
): JsonResult {
  const reader = new JsonReader(text, holes, spanOf, options.dynamicReferences === true);
  try {
    reader.skipSpace();
    const value = reader.value(0);
    reader.skipSpace();
    if (reader.pos < text.length)
      throw new JsonSyntaxError('unexpected text after the JSON value', reader.pos);
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const at = Math.min(error.at, Math.max(0, text.length - 1));
    return { ok: false, message: `invalid JSON: ${error.message}`, range: spanOf(at, at + 1) };
  }
}

class JsonReader {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly holes: readonly JsonHole[],
    private readonly spanOf: SpanMapper,
    private readonly dynamicReferences: boolean,
  ) {}

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos] ?? '')) this.pos++;
  }

  value(depth: number): Value {
    if (depth > MAX_JSON_DEPTH) throw new JsonSyntaxError('nested too deeply', this.pos);
    const ch = this.text[this.pos];
    const start = this.pos;
    if (ch === '{') return this.object(depth);
    if (ch === '[') return this.array(depth);
    if (ch === '"') {
      const { parts, unknownReason } = this.string();
      const range = this.spanOf(start, this.pos);
      if (unknownReason !== undefined) return unknown(unknownReason, range);
      // A CloudFormation dynamic reference is replaced at deploy time, inside JSON text too.
      if (
        this.dynamicReferences &&
        parts.some((p) => p.kind === 'text' && p.text.includes('{{resolve:'))
      ) {
        return unknown('dynamic reference {{resolve:…}} (resolved at deploy time)', range);
      }
      return concat(parts, range);
    }
    if (ch === HOLE_START) {
      // A reference standing where a value goes (`"Condition": ${Cond}`): it is the value.
      const hole = this.hole();
      const range = this.spanOf(start, this.pos);
      return hole.kind === 'ref' ? refString(hole.ref, range) : unknown(hole.reason, range);
    }
    for (const [word, result] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        const range = this.spanOf(start, this.pos);
        return result === null
          ? { kind: 'null', range }
          : { kind: 'boolean', value: result, range };
      }
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(
      this.text.slice(this.pos, this.pos + 64),
    );
    if (number) {
      this.pos += number[0].length;
      const range = this.spanOf(start, this.pos);
      return { kind: 'number', value: Number(number[0]), range };
    }
    throw new JsonSyntaxError(
      ch === undefined ? 'unexpected end of text' : `unexpected character ${JSON.stringify(ch)}`,
      this.pos,
    );
  }

  private object(depth: number): Value {
    const start = this.pos;
    this.pos++;
    const entries = new Map<string, MapEntry>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'map', entries: [], range: this.spanOf(start, this.pos) };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"')
        throw new JsonSyntaxError('expected a property name in double quotes', this.pos);
      const keyStart = this.pos;
      const { parts } = this.string();
      const key = parts.map((p) => (p.kind === 'text' ? p.text : `\${${p.ref.display}}`)).join('');
      const keyRange = this.spanOf(keyStart, this.pos);
      this.skipSpace();
      if (this.text[this.pos] !== ':')
        throw new JsonSyntaxError(`expected ':' after ${JSON.stringify(key)}`, this.pos);
      this.pos++;
      this.skipSpace();
      const value = this.value(depth + 1);
      // The last duplicate wins, as in JSON.parse.
      entries.delete(key);
      entries.set(key, { key, keyRange, value });
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === '}') break;
      if (next !== ',') throw new JsonSyntaxError("expected ',' or '}'", this.pos - 1);
    }
    return { kind: 'map', entries: [...entries.values()], range: this.spanOf(start, this.pos) };
  }

  private array(depth: number): Value {
    const start = this.pos;
    this.pos++;
    const items: Value[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'list', items, range: this.spanOf(start, this.pos) };
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === ']') break;
      if (next !== ',') throw new JsonSyntaxError("expected ',' or ']'", this.pos - 1);
    }
    return { kind: 'list', items, range: this.spanOf(start, this.pos) };
  }

  private string(): { parts: StringPart[]; unknownReason: string | undefined } {
    this.pos++;
    const parts: StringPart[] = [];
    let textBuffer = '';
    let unknownReason: string | undefined;
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) throw new JsonSyntaxError('unterminated string', this.pos);
      if (ch === '"') {
        this.pos++;
        break;
      }
      if (ch === HOLE_START) {
        const hole = this.hole();
        if (hole.kind === 'ref') {
          parts.push({ kind: 'text', text: textBuffer }, { kind: 'ref', ref: hole.ref });
          textBuffer = '';
        } else {
          unknownReason ??= hole.reason;
        }
        continue;
      }
      if (ch === '\\') {
        textBuffer += this.escape();
        continue;
      }
      // Literal line breaks are invalid JSON; IAM rejects them too.
      if (ch === '\n') throw new JsonSyntaxError('line break inside a string', this.pos);
      textBuffer += ch;
      this.pos++;
    }
    parts.push({ kind: 'text', text: textBuffer });
    return { parts, unknownReason };
  }

  private escape(): string {
    const code = this.text[this.pos + 1];
    const simple: Record<string, string> = {
      '"': '"',
      '\\': '\\',
      '/': '/',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
    };
    if (code !== undefined && simple[code] !== undefined) {
      this.pos += 2;
      return simple[code];
    }
    if (code === 'u') {
      const hex = this.text.slice(this.pos + 2, this.pos + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError('bad \\u escape', this.pos);
      this.pos += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    throw new JsonSyntaxError('bad escape', this.pos);
  }

  private hole(): JsonHole {
    const close = this.text.indexOf(HOLE_END, this.pos);
    const index = Number(this.text.slice(this.pos + 1, close));
    const hole = close > 0 ? this.holes[index] : undefined;
    if (!hole) throw new JsonSyntaxError('internal: bad reference placeholder', this.pos);
    this.pos = close + 1;
    return hole;
  }
}
