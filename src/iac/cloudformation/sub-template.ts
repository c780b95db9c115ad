/**
 * Splits an `Fn::Sub` template string into literal text and `${…}` variables, keeping each
 * piece's offsets in the string so policies written as `!Sub` JSON keep their positions.
 */
export type SubPiece =
  | { readonly kind: 'text'; readonly text: string; readonly from: number; readonly to: number }
  /** `name` as written between `${` and `}`: `Bucket`, `Bucket.Arn`, `AWS::Region`. */
  | { readonly kind: 'var'; readonly name: string; readonly from: number; readonly to: number };

export function splitSubTemplate(template: string): SubPiece[] {
  const pieces: SubPiece[] = [];
  let textStart = 0;
  let buffer = '';
  let i = 0;
  const flush = (to: number): void => {
    if (buffer !== '') pieces.push({ kind: 'text', text: buffer, from: textStart, to });
    buffer = '';
  };
  while (i < template.length) {
    const open = template.indexOf('${', i);
    const close = open < 0 ? -1 : template.indexOf('}', open + 2);
    if (open < 0 || close < 0) {
      buffer += template.slice(i);
      break;
    }
    buffer += template.slice(i, open);
    const inner = template.slice(open + 2, close);
    if (inner.startsWith('!')) {
      // `${!Literal}` is CloudFormation's escape for a literal `${Literal}`.
      buffer += '${' + inner.slice(1) + '}';
    } else {
      // Text pieces are only exact where they hold no escapes; positions inside an escape
      // sequence are close enough (the same line).
      flush(open);
      pieces.push({ kind: 'var', name: inner.trim(), from: open, to: close + 1 });
      textStart = close + 1;
    }
    i = close + 1;
  }
  flush(template.length);
  return pieces;
}
