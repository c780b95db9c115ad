/**
 * The `/s3-guard help` text. docs/commands.md holds the same text between its
 * `<!-- help:start -->` and `<!-- help:end -->` markers; test/github/commands/help-docs.test.ts
 * fails when the two differ. It lives in code (not read from the docs at runtime) so the app
 * answers `help` even when the docs are not shipped.
 */
export const HELP_TEXT = `### S3 endpoint guard commands

Write a command on a line of its own in a comment on the pull request (up to 10 commands per
comment). Lines inside code blocks or quotes are not commands.

| Command | What it does | Who may run it |
| --- | --- | --- |
| \`/s3-guard recheck\` | Evaluates the pull request's head again, as a push would (after a change to the configuration, for example). | The pull request's author and users with write access |
| \`/s3-guard explain <rule-id>\` | Replies with the rule's page: what it finds, why it matters, how to fix it, examples. | The pull request's author and users with write access |
| \`/s3-guard ignore <rule-id> <resource> -- <reason>\` | Accepts the rule's finding on that resource (as the finding names it: \`S3Endpoint\`, \`aws_vpc_endpoint.s3\`) for this pull request: it no longer blocks, and the check and summary show it as accepted, by whom and why. The reason is required (at most 500 characters). | Users with write access, or, when \`commands.ignore.allow\` is configured, only the users and teams listed there |
| \`/s3-guard unignore <rule-id> <resource>\` | Withdraws an \`ignore\`: the finding counts again. | As for \`ignore\` |
| \`/s3-guard help\` | This list (so does \`/s3-guard\` alone). | The pull request's author and users with write access |

\`ignore\` and \`unignore\` start a new evaluation, as \`recheck\` does. The app reacts to the comment
with 👀 when it reads it, then 🚀 when every command in it was done, or 😕 when one was refused or
not understood, with a reply saying why. An edited comment is not read again: post a new one.
Deleting an \`ignore\` comment withdraws it from the next evaluation on.`;
