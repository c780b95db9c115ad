/**
 * A small Markdown → HTML renderer for the demo's HTML report: enough of GitHub's Markdown to
 * show the app's check summary, review comments and summary comment the way a reviewer sees them
 * (headings, paragraphs, lists, quotes, tables, fenced code and ```suggestion blocks, inline code,
 * bold, italics with `*`, links). A dependency would do more; this one only has to be safe.
 *
 * Safety, since the bodies quote pull-request content: every character of the source is escaped
 * before it reaches the page. Raw HTML is shown as text (GitHub would sanitise it; we do not try
 * to), HTML comments (the app's hidden markers) are dropped, and a link's target must be an
 * absolute http(s) URL, otherwise the link text is shown alone.
 */

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Character references are kept (`&lt;` shows `<`, as on GitHub); any other `&` is escaped. */
function escapeKeepingEntities(text: string): string {
  return text
    .replace(/&(?!(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;
/** Private-use characters stand in for already-rendered pieces; removed from the input first. */
const SLOT_START = 0xe000;
const SLOT_PATTERN = /[\ue000-\uf8ff]/g;

export function renderInline(source: string): string {
  const slots: string[] = [];
  const slot = (html: string): string => {
    slots.push(html);
    return String.fromCharCode(SLOT_START + slots.length - 1);
  };
  let text = '';
  const input = source.replace(SLOT_PATTERN, '');
  for (let i = 0; i < input.length; i++) {
    const char = input[i] ?? '';
    const next = input[i + 1] ?? '';
    if (char === '\\' && PUNCTUATION.test(next)) {
      text += slot(escapeHtml(next));
      i++;
      continue;
    }
    if (char === '`') {
      let ticks = 1;
      while (input[i + ticks] === '`') ticks++;
      const fence = '`'.repeat(ticks);
      const close = input.indexOf(fence, i + ticks);
      if (close > 0) {
        const code = input.slice(i + ticks, close).replace(/^ (.*) $/s, '$1');
        text += slot(`<code>${escapeHtml(code)}</code>`);
        i = close + ticks - 1;
        continue;
      }
      text += fence;
      i += ticks - 1;
      continue;
    }
    text += char;
  }
  let html = escapeKeepingEntities(text);
  html = html.replace(/\*\*(?=\S)(.+?)\*\*/g, '<strong>$1</strong>');
  html = html.replace(/(^|[^*])\*(?=[^\s*])([^*]+?)\*(?!\*)/g, '$1<em>$2</em>');
  html = html.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_all, label: string, href: string) => {
    const target = href.replace(/&amp;/g, '&');
    return /^https?:\/\/[^\s]+$/i.test(target)
      ? `<a href="${escapeHtml(target)}">${label}</a>`
      : label;
  });
  return html.replace(SLOT_PATTERN, (c) => slots[c.charCodeAt(0) - SLOT_START] ?? '');
}

/** Splits a table row on `|` that are not escaped and not inside a code span. */
function tableCells(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < row.length; i++) {
    const char = row[i] ?? '';
    if (char === '\\' && row[i + 1] === '|') {
      cell += '\\|';
      i++;
    } else if (char === '`') {
      inCode = !inCode;
      cell += char;
    } else if (char === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;

export function renderMarkdown(source: string): string {
  const lines = source
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const out: string[] = [];
  let i = 0;
  const at = (n: number): string => lines[n] ?? '';
  while (i < lines.length) {
    const line = at(i);
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (fence) {
      const marker = fence[1] ?? '```';
      const language = fence[2] ?? '';
      const body: string[] = [];
      i++;
      while (i < lines.length && !at(i).trim().startsWith(marker)) body.push(at(i++));
      i++;
      const label =
        language === 'suggestion' ? '<div class="suggestion-label">Suggested change</div>' : '';
      const cls = language === 'suggestion' ? ' class="suggestion"' : '';
      out.push(`${label}<pre${cls}><code>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = (heading[1] ?? '#').length;
      out.push(`<h${level}>${renderInline(heading[2] ?? '')}</h${level}>`);
      i++;
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (line.includes('|') && TABLE_SEPARATOR.test(at(i + 1))) {
      const header = tableCells(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && at(i).includes('|') && at(i).trim() !== '') {
        rows.push(tableCells(at(i++)));
      }
      const th = header.map((c) => `<th>${renderInline(c)}</th>`).join('');
      const body = rows
        .map(
          (r) =>
            `<tr>${header.map((_, n) => `<td>${renderInline(r[n] ?? '')}</td>`).join('')}</tr>`,
        )
        .join('');
      out.push(`<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`);
      continue;
    }
    if (/^\s{0,3}>/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^\s{0,3}>/.test(at(i))) {
        quoted.push(at(i++).replace(/^\s{0,3}> ?/, ''));
      }
      out.push(`<blockquote>${renderMarkdown(quoted.join('\n'))}</blockquote>`);
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = /\d/.test(item[2] ?? '');
      const items: string[] = [];
      while (i < lines.length) {
        const current = LIST_ITEM.exec(at(i));
        if (current) {
          items.push(current[3] ?? '');
          i++;
        } else if (at(i).trim() !== '' && /^\s+/.test(at(i)) && items.length > 0) {
          // A continuation line of the previous item.
          items[items.length - 1] += `\n${at(i++).trim()}`;
        } else break;
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((t) => `<li>${renderText(t)}</li>`).join('')}</${tag}>`);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && at(i).trim() !== '' && !startsBlock(at(i), at(i + 1))) {
      paragraph.push(at(i++));
    }
    if (paragraph.length === 0) paragraph.push(at(i++));
    out.push(`<p>${renderText(paragraph.join('\n'))}</p>`);
  }
  return out.join('\n');
}

/** Inline text whose line breaks are kept, as GitHub does in comments. */
function renderText(text: string): string {
  return text
    .split('\n')
    .map((l) => renderInline(l.trim()))
    .join('<br>\n');
}

function startsBlock(line: string, next: string): boolean {
  return (
    /^\s*(`{3,}|~{3,})/.test(line) ||
    /^\s{0,3}#{1,6}\s/.test(line) ||
    /^\s{0,3}>/.test(line) ||
    LIST_ITEM.test(line) ||
    (line.includes('|') && TABLE_SEPARATOR.test(next))
  );
}
