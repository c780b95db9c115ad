/**
 * The demo report in three forms: console text, a Markdown file and a self-contained HTML page.
 * The app's own Markdown (check summary, review comments, summary comment) is shown as GitHub
 * would render it; everything else that may quote pull-request content (annotation titles and
 * messages, file names, the title) is escaped for the form it lands in.
 */
import type { CallCounts } from './calls.js';
import { reactionLabel } from './commands.js';
import type {
  DemoCheckRunBrief,
  DemoCommands,
  DemoCommandStep,
  DemoReport,
  DemoReviewComment,
} from './report.js';
import { withoutHiddenMarkers } from './report.js';
import { escapeHtml, renderMarkdown } from './markdown-html.js';

/** Terminal escape sequences and other control characters from PR content are not printed. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? prefix.trimEnd() : prefix + line))
    .join('\n');
}

function callLine(report: DemoReport): string {
  const c = report.calls;
  return (
    `GitHub API calls: ${c.total} (REST reads ${c.restReads}, GraphQL queries ` +
    `${c.graphqlQueries}, writes ${c.writes}, installation tokens ${c.tokens}); ` +
    `request-validation violations: ` +
    `${report.violations.length}`
  );
}

function callsText(c: CallCounts): string {
  return (
    `${c.total} GitHub API calls (REST reads ${c.restReads}, GraphQL queries ${c.graphqlQueries}, ` +
    `writes ${c.writes}, installation tokens ${c.tokens})`
  );
}

function totalLine(commands: DemoCommands): string {
  return (
    `Whole demo, commands included: ${callsText(commands.totalCalls)} in ` +
    `${seconds(commands.totalElapsedMs)}`
  );
}

function reactionsText(step: DemoCommandStep): string {
  if (step.reactions.length === 0) return 'no reactions';
  return step.reactions.map((r) => `${reactionLabel(r.content)} (${r.user})`).join(', then ');
}

function handledText(step: DemoCommandStep): string {
  return step.finished
    ? `handled in ${seconds(step.elapsedMs)}`
    : `not done after ${seconds(step.elapsedMs)} (no final reaction, or a check run left running)`;
}

function countsText(run: DemoCheckRunBrief): string {
  const c = run.counts;
  const counts = c
    ? `new ${c.new}, existing ${c.existing}, fixed ${c.fixed}, accepted ${c.accepted}; `
    : '';
  return `${counts}${run.annotations} annotations`;
}

function runHeadline(run: DemoCheckRunBrief): string {
  return `${(run.conclusion ?? run.status).toUpperCase()} - ${run.title}`;
}

function location(path: string, line: number, startLine?: number): string {
  return startLine !== undefined && startLine !== line
    ? `${path}:${startLine}-${line}`
    : `${path}:${line}`;
}

export function formatConsole(report: DemoReport, files: readonly string[]): string {
  const pr = report.pullRequest;
  const out: string[] = [];
  out.push(
    `Pull request ${pr.repository}#${pr.number} "${pr.title}" by ${pr.author} ` +
      `(${pr.baseRef} <- ${pr.headRef}, ${pr.changedFiles.length} files changed)`,
  );
  out.push(
    `Webhook ${report.delivery.event}.${report.delivery.action} delivered signed over HTTP ` +
      `(answer ${report.delivery.status}); app done in ${seconds(report.elapsedMs)}`,
  );
  out.push('');
  const check = report.checkRun;
  if (!check) {
    out.push('No check run was created.');
  } else {
    out.push(
      `Check run "${check.name}": ${(check.conclusion ?? check.status).toUpperCase()} - ${check.title}`,
    );
    out.push(indent(withoutHiddenMarkers(check.summary), '  | '));
    out.push('');
    out.push(`Annotations (${check.annotations.length}):`);
    for (const a of check.annotations) {
      out.push(`  ${a.level.padEnd(7)} ${location(a.path, a.endLine, a.startLine)}  ${a.title}`);
    }
  }
  out.push('');
  out.push(`Review comments (${report.reviewComments.length}):`);
  for (const c of report.reviewComments) {
    out.push(
      `  ${location(c.path, c.line, c.startLine)} (${c.side})${c.resolved ? ' resolved' : ''}`,
    );
    for (const { line, text } of c.code) out.push(`  ${String(line).padStart(5)}  ${text}`);
    out.push(indent(withoutHiddenMarkers(c.body), '  | '));
  }
  out.push('');
  if (report.summaryComment) {
    out.push('Summary comment:');
    out.push(indent(withoutHiddenMarkers(report.summaryComment.body), '  | '));
  } else out.push('No summary comment.');
  if (report.commands) {
    out.push('');
    out.push(...commandsConsole(report.commands));
  }
  out.push('');
  out.push(callLine(report));
  if (report.commands) out.push(totalLine(report.commands));
  for (const violation of report.violations) out.push(`  violation: ${violation}`);
  if (files.length > 0) out.push(`Report written to ${files.join(' and ')}`);
  return printable(out.join('\n')) + '\n';
}

function commandsConsole(commands: DemoCommands): string[] {
  const out: string[] = [];
  out.push(`Commands (${commands.steps.length}), replayed after the first evaluation:`);
  commands.steps.forEach((step, index) => {
    out.push(`  ${index + 1}. ${step.purpose}`);
    out.push(`     ${step.comment.author} (${step.comment.permission}) commented:`);
    out.push(indent(step.comment.body, '       > '));
    out.push(
      `     Webhook ${step.delivery.event}.${step.delivery.action} (answer ${step.delivery.status}); ` +
        `reactions: ${reactionsText(step)}; ${handledText(step)}, ` +
        `${callsText(step.calls)}`,
    );
    for (const reply of step.replies) {
      out.push('     Reply by the app:');
      out.push(indent(withoutHiddenMarkers(reply.body), '       | '));
    }
    const run = step.checkRun;
    if (!run) out.push('     No check run was created.');
    else {
      out.push(
        `     Check run "${run.name}" (${step.checkRunsCreated} created): ${runHeadline(run)}`,
      );
      out.push(`       ${countsText(run)}`);
      if (run.accepted) out.push(indent(run.accepted, '       | '));
    }
  });
  if (commands.skipped) out.push(`  Not replayed: ${commands.skipped}`);
  out.push('');
  if (commands.summaryComment) {
    out.push('Summary comment after the last command:');
    out.push(indent(withoutHiddenMarkers(commands.summaryComment.body), '  | '));
  } else out.push('No summary comment after the last command.');
  return out;
}

/** Plain text inside Markdown: every punctuation character escaped, no HTML, no mentions. */
export function markdownText(text: string): string {
  return printable(text)
    .replace(/[\\`*_[\]|~>#]/g, '\\$&')
    .replace(/</g, '&lt;')
    .replace(/@/g, '&#64;')
    .replace(/\r?\n/g, ' ');
}

/** A code span that holds any text: the fence is longer than any run of backticks inside. */
export function codeSpan(text: string): string {
  const clean = printable(text).replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A fenced code block that holds any lines: the fence is longer than any inside. */
function fence(lines: readonly string[]): string {
  const text = printable(lines.join('\n'));
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}text\n${text}\n${marks}`;
}

function codeHtml(code: DemoReviewComment['code']): string {
  if (code.length === 0) return '';
  const rows = code
    .map(({ line, text }) => `<span class="line-number">${line}</span>${escapeHtml(text)}`)
    .join('\n');
  return `<pre class="commented"><code>${rows}</code></pre>`;
}

function quote(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

export function formatMarkdown(report: DemoReport): string {
  const pr = report.pullRequest;
  const out: string[] = [];
  out.push(`# s3-endpoint-guard demo: ${markdownText(`${pr.repository}#${pr.number}`)}`);
  out.push('');
  out.push(
    `What the GitHub App published on the sample pull request **${markdownText(pr.title)}** by ` +
      `${markdownText(pr.author)} (${codeSpan(pr.baseRef)} ← ${codeSpan(pr.headRef)}, head ` +
      `\`${pr.headSha.slice(0, 7)}\`), as recorded by the local stand-in for GitHub. ` +
      `Files changed: ${pr.changedFiles.map((f) => codeSpan(f)).join(', ')}.`,
  );
  out.push('');
  out.push(
    `The webhook \`${report.delivery.event}.${report.delivery.action}\` (delivery ` +
      `\`${report.delivery.id}\`) was signed and delivered over HTTP; the app answered ` +
      `${report.delivery.status} and finished in ${seconds(report.elapsedMs)}.`,
  );
  out.push('');
  const check = report.checkRun;
  out.push('## Check run');
  out.push('');
  if (!check) out.push('No check run was created.');
  else {
    out.push(
      `**${markdownText(check.name)}**: \`${check.conclusion ?? check.status}\`, ` +
        `${markdownText(check.title)}`,
    );
    out.push('');
    out.push(quote(withoutHiddenMarkers(check.summary)));
    if (check.text) {
      out.push('');
      out.push('### Details');
      out.push('');
      out.push(quote(withoutHiddenMarkers(check.text)));
    }
    out.push('');
    out.push(`### Annotations (${check.annotations.length})`);
    out.push('');
    for (const a of check.annotations) {
      out.push(
        `- **${markdownText(a.level)}** ${codeSpan(location(a.path, a.endLine, a.startLine))} ` +
          `${markdownText(a.title)}: ${markdownText(a.message)}`,
      );
    }
  }
  out.push('');
  out.push(`## Review comments (${report.reviewComments.length})`);
  for (const review of report.reviews) {
    if (review.body.trim() === '') continue;
    out.push('');
    out.push(quote(withoutHiddenMarkers(review.body)));
  }
  for (const c of report.reviewComments) {
    out.push('');
    out.push(
      `### ${codeSpan(location(c.path, c.line, c.startLine))} (${markdownText(c.side)})` +
        (c.resolved ? ' (resolved)' : ''),
    );
    out.push('');
    if (c.code.length > 0) {
      out.push(fence(c.code.map(({ line, text }) => `${String(line).padStart(5)}  ${text}`)));
      out.push('');
    }
    out.push(quote(withoutHiddenMarkers(c.body)));
  }
  out.push('');
  out.push('## Summary comment');
  out.push('');
  out.push(
    report.summaryComment
      ? quote(withoutHiddenMarkers(report.summaryComment.body))
      : 'No summary comment.',
  );
  if (report.commands) {
    out.push('');
    out.push(...commandsMarkdown(report.commands));
  }
  out.push('');
  out.push('## GitHub API');
  out.push('');
  out.push(callLine(report) + '.');
  if (report.commands) {
    out.push('');
    out.push(totalLine(report.commands) + '.');
  }
  for (const violation of report.violations) out.push(`- ${markdownText(violation)}`);
  return out.join('\n') + '\n';
}

function reactionsMarkdown(step: DemoCommandStep): string {
  if (step.reactions.length === 0) return 'none';
  return step.reactions
    .map((r) => `${markdownText(reactionLabel(r.content))} (${markdownText(r.user)})`)
    .join(', then ');
}

function commandsMarkdown(commands: DemoCommands): string[] {
  const out: string[] = [];
  out.push('## Commands');
  out.push('');
  out.push(
    `After the first evaluation the demo replayed ${commands.steps.length} conversation ` +
      'comments, each a comment in the stand-in plus a signed `issue_comment.created` webhook ' +
      'over HTTP, waiting for the app after each.',
  );
  commands.steps.forEach((step, index) => {
    out.push('');
    out.push(`### ${index + 1}. ${markdownText(step.purpose)}`);
    out.push('');
    out.push(
      `**${markdownText(step.comment.author)}** (permission ${codeSpan(step.comment.permission)}) ` +
        'commented:',
    );
    out.push('');
    out.push(fence(step.comment.body.split('\n')));
    out.push('');
    out.push(
      `The webhook (delivery ${codeSpan(step.delivery.id)}) was answered ${step.delivery.status}. ` +
        `Reactions on the comment: ${reactionsMarkdown(step)}. App ${handledText(step)}, ` +
        `${callsText(step.calls)}.`,
    );
    for (const reply of step.replies) {
      out.push('');
      out.push('Reply by the app:');
      out.push('');
      out.push(quote(withoutHiddenMarkers(reply.body)));
    }
    out.push('');
    const run = step.checkRun;
    if (!run) out.push('No check run was created.');
    else {
      out.push(
        `Check run **${markdownText(run.name)}** (${step.checkRunsCreated} created): ` +
          `\`${markdownText(run.conclusion ?? run.status)}\`, ${markdownText(run.title)}; ` +
          `${countsText(run)}.`,
      );
      if (run.accepted) {
        out.push('');
        out.push(quote(run.accepted));
      }
    }
  });
  if (commands.skipped) {
    out.push('');
    out.push(`Not replayed: ${markdownText(commands.skipped)}`);
  }
  out.push('');
  out.push('### Summary comment after the last command');
  out.push('');
  out.push(
    commands.summaryComment
      ? quote(withoutHiddenMarkers(commands.summaryComment.body))
      : 'No summary comment.',
  );
  return out;
}

const STYLE = `
body { font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328;
  max-width: 980px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .3em; }
code, pre { font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { background: #eff1f3; padding: .1em .3em; border-radius: 4px; }
pre { background: #f6f8fa; padding: 12px; overflow: auto; border-radius: 6px; }
pre code { background: none; padding: 0; }
pre.suggestion { background: #dafbe1; }
.suggestion-label { font-size: 12px; color: #1a7f37; font-weight: 600; margin-top: .5em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top; }
blockquote { margin: 0; padding: 0 1em; color: #59636e; border-left: .25em solid #d0d7de; }
.box { border: 1px solid #d0d7de; border-radius: 6px; margin: 1em 0; }
.box > .head { background: #f6f8fa; border-bottom: 1px solid #d0d7de; padding: 6px 12px;
  border-radius: 6px 6px 0 0; }
.box > .body { padding: 0 12px; }
.conclusion { font-weight: 600; padding: 2px 8px; border-radius: 12px; color: #fff; }
.failure { background: #cf222e; } .success { background: #1a7f37; } .neutral { background: #59636e; }
.level-failure { color: #cf222e; font-weight: 600; } .level-warning { color: #9a6700; font-weight: 600; }
.level-notice { color: #0969da; font-weight: 600; }
.muted { color: #59636e; }
pre.commented { background: #fff8c5; margin-top: 12px; }
pre.comment { white-space: pre-wrap; background: #fff; padding: 6px 0; }
.line-number { display: inline-block; width: 3em; color: #59636e; user-select: none; }
`;

function box(head: string, bodyHtml: string): string {
  return `<div class="box"><div class="head">${head}</div><div class="body">${bodyHtml}</div></div>`;
}

function conclusionBadge(conclusion: string): string {
  const cls = ['failure', 'success', 'neutral'].includes(conclusion) ? conclusion : 'neutral';
  return `<span class="conclusion ${cls}">${escapeHtml(conclusion)}</span>`;
}

function commandsHtml(commands: DemoCommands): string[] {
  const e = escapeHtml;
  const parts: string[] = [];
  parts.push('<h2>Commands</h2>');
  parts.push(
    `<p>After the first evaluation the demo replayed ${commands.steps.length} conversation ` +
      'comments, each a comment in the stand-in plus a signed <code>issue_comment.created</code> ' +
      'webhook over HTTP, waiting for the app after each.</p>',
  );
  commands.steps.forEach((step, index) => {
    parts.push(`<h3>${index + 1}. ${e(step.purpose)}</h3>`);
    parts.push(
      box(
        `<strong>${e(step.comment.author)}</strong> <span class="muted">(permission ` +
          `<code>${e(step.comment.permission)}</code>) commented</span>`,
        `<pre class="comment"><code>${e(step.comment.body)}</code></pre>`,
      ),
    );
    const reactions =
      step.reactions.length === 0
        ? 'none'
        : step.reactions
            .map((r) => `${e(reactionLabel(r.content))} <span class="muted">(${e(r.user)})</span>`)
            .join(', then ');
    parts.push(
      `<p class="muted">Webhook answered ${step.delivery.status} (delivery ` +
        `<code>${e(step.delivery.id)}</code>). Reactions on the comment: ${reactions}. App ` +
        `${e(handledText(step))}, ${e(callsText(step.calls))}.</p>`,
    );
    for (const reply of step.replies)
      parts.push(box('Reply by the app', renderMarkdown(reply.body)));
    const run = step.checkRun;
    if (!run) parts.push('<p>No check run was created.</p>');
    else {
      parts.push(
        box(
          `<strong>${e(run.name)}</strong> ${conclusionBadge(run.conclusion ?? run.status)} ` +
            `${e(run.title)} <span class="muted">(${step.checkRunsCreated} created)</span>`,
          `<p>${e(countsText(run))}.</p>` + (run.accepted ? renderMarkdown(run.accepted) : ''),
        ),
      );
    }
  });
  if (commands.skipped) parts.push(`<p>Not replayed: ${e(commands.skipped)}</p>`);
  parts.push('<h3>Summary comment after the last command</h3>');
  parts.push(
    commands.summaryComment
      ? box('Conversation comment', renderMarkdown(commands.summaryComment.body))
      : '<p>No summary comment.</p>',
  );
  return parts;
}

export function formatHtml(report: DemoReport): string {
  const pr = report.pullRequest;
  const e = escapeHtml;
  const parts: string[] = [];
  parts.push(`<h1>s3-endpoint-guard demo: ${e(pr.repository)}#${pr.number}</h1>`);
  parts.push(
    `<p>What the GitHub App published on the sample pull request <strong>${e(pr.title)}</strong> ` +
      `by ${e(pr.author)} (<code>${e(pr.baseRef)}</code> ← <code>${e(pr.headRef)}</code>, head ` +
      `<code>${e(pr.headSha.slice(0, 7))}</code>), as recorded by the local stand-in for GitHub. ` +
      `Files changed: ${pr.changedFiles.map((f) => `<code>${e(f)}</code>`).join(', ')}.</p>`,
  );
  parts.push(
    `<p class="muted">Webhook <code>${e(report.delivery.event)}.${e(report.delivery.action)}</code> ` +
      `(delivery <code>${e(report.delivery.id)}</code>) signed and delivered over HTTP; the app ` +
      `answered ${report.delivery.status} and finished in ${seconds(report.elapsedMs)}.</p>`,
  );
  parts.push('<h2>Check run</h2>');
  const check = report.checkRun;
  if (!check) parts.push('<p>No check run was created.</p>');
  else {
    const conclusion = check.conclusion ?? check.status;
    const cls = ['failure', 'success', 'neutral'].includes(conclusion) ? conclusion : 'neutral';
    parts.push(
      box(
        `<strong>${e(check.name)}</strong> <span class="conclusion ${cls}">${e(conclusion)}</span> ` +
          e(check.title),
        renderMarkdown(check.summary) + (check.text ? renderMarkdown(check.text) : ''),
      ),
    );
    parts.push(`<h3>Annotations (${check.annotations.length})</h3>`);
    if (check.annotations.length > 0) {
      const rows = check.annotations
        .map(
          (a) =>
            `<tr><td class="level-${e(a.level)}">${e(a.level)}</td>` +
            `<td><code>${e(location(a.path, a.endLine, a.startLine))}</code></td>` +
            `<td><strong>${e(a.title)}</strong><br>${e(a.message).replace(/\n/g, '<br>')}</td></tr>`,
        )
        .join('');
      parts.push(
        `<table><thead><tr><th>Level</th><th>Location</th><th>Title and message</th></tr>` +
          `</thead><tbody>${rows}</tbody></table>`,
      );
    }
  }
  parts.push(`<h2>Review comments (${report.reviewComments.length})</h2>`);
  for (const review of report.reviews) {
    if (review.body.trim() !== '') parts.push(box('Review', renderMarkdown(review.body)));
  }
  for (const c of report.reviewComments) {
    parts.push(
      box(
        `<code>${e(location(c.path, c.line, c.startLine))}</code> <span class="muted">` +
          `${e(c.side)}${c.resolved ? ', resolved' : ''}</span>`,
        codeHtml(c.code) + renderMarkdown(c.body),
      ),
    );
  }
  parts.push('<h2>Summary comment</h2>');
  parts.push(
    report.summaryComment
      ? box('Conversation comment', renderMarkdown(report.summaryComment.body))
      : '<p>No summary comment.</p>',
  );
  if (report.commands) parts.push(...commandsHtml(report.commands));
  parts.push('<h2>GitHub API</h2>');
  parts.push(`<p>${e(callLine(report))}.</p>`);
  if (report.commands) parts.push(`<p>${e(totalLine(report.commands))}.</p>`);
  if (report.violations.length > 0) {
    parts.push(`<ul>${report.violations.map((v) => `<li>${e(v)}</li>`).join('')}</ul>`);
  }
  return printable(
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">' +
      // No external assets, and nothing in the page may load any.
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
      `<title>s3-endpoint-guard demo: ${e(pr.repository)}#${pr.number}</title>` +
      `<style>${STYLE}</style></head><body>\n${parts.join('\n')}\n</body></html>\n`,
  );
}
