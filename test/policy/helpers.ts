/** Test helpers: build `Value`s from plain JSON, with a distinct line per node, and symbolic strings. */
import { rangeOf } from '../../src/core/range.js';
import type { StringPart, StringValue, SymbolicRef, Value } from '../../src/core/value.js';
import { parsePolicyDocument, type ParseOptions } from '../../src/policy/parse.js';
import type { ContextValue, PolicyDocument, PolicyString } from '../../src/policy/types.js';

export const FILE = 'policy.json';

/** Marks a place in JSON input where a symbolic value goes. */
export class Sym {
  constructor(readonly value: Value) {}
}

export function ref(id: string, attribute = 'id'): SymbolicRef {
  if (id.startsWith('pseudo:')) {
    return { id, target: { kind: 'pseudo', name: id.slice(7) }, display: id };
  }
  if (id.startsWith('param:')) {
    return { id, target: { kind: 'parameter', name: id.slice(6) }, display: id };
  }
  const [address = id, attr = attribute] = id.split('#');
  return { id, target: { kind: 'resource', address, attribute: attr }, display: `!Ref ${address}` };
}

/** A string from literal pieces and references: `sym('arn:aws:s3:::', ref('B#name'), '/*')`. */
export function sym(...pieces: (string | SymbolicRef)[]): StringValue {
  const parts: StringPart[] = [];
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      const last = parts[parts.length - 1];
      if (piece === '') continue;
      if (last?.kind === 'text')
        parts[parts.length - 1] = { kind: 'text', text: last.text + piece };
      else parts.push({ kind: 'text', text: piece });
    } else parts.push({ kind: 'ref', ref: piece });
  }
  return { kind: 'string', parts, range: rangeOf(FILE, 1, 1, 1, 2) };
}

export function lit(text: string): StringValue {
  return sym(text);
}

export function unknownValue(reason = 'Fn::ImportValue'): PolicyString {
  return { kind: 'unknown', reason, range: rangeOf(FILE, 1, 1, 1, 2) };
}

export function fromJson(json: unknown): Value {
  let line = 0;
  const next = () => {
    line += 1;
    return rangeOf(FILE, line, 1, line, 10);
  };
  const build = (v: unknown): Value => {
    if (v instanceof Sym) return v.value;
    const range = next();
    if (typeof v === 'string')
      return { kind: 'string', parts: v === '' ? [] : [{ kind: 'text', text: v }], range };
    if (typeof v === 'number') return { kind: 'number', value: v, range };
    if (typeof v === 'boolean') return { kind: 'boolean', value: v, range };
    if (v === null) return { kind: 'null', range };
    if (Array.isArray(v)) return { kind: 'list', items: v.map(build), range };
    const entries = Object.entries(v as Record<string, unknown>).map(([key, value]) => ({
      key,
      keyRange: next(),
      value: build(value),
    }));
    return { kind: 'map', entries, range };
  };
  return build(json);
}

export function parse(
  json: unknown,
  principal: ParseOptions['principal'] = 'optional',
): PolicyDocument {
  return parsePolicyDocument(fromJson(json), { principal });
}

export const absent: ContextValue = { kind: 'absent' };
export const anyValue: ContextValue = { kind: 'any' };
export function values(...items: (string | PolicyString)[]): ContextValue {
  return { kind: 'values', values: items.map((i) => (typeof i === 'string' ? lit(i) : i)) };
}
