/**
 * `/s3-guard …` commands in pull request comments: decoded from the webhook (pure, no API call
 * for comments that are not answered), then answered in the background by
 * `github/commands/answer.ts` — reactions, permission checks and replies go through the
 * installation's write queue, and a burst of commands would outlast GitHub's 10-second delivery
 * timeout. Evaluations are requested through the app's shared evaluation service.
 */
import { answerComment } from '../github/commands/answer.js';
import { decodeIssueComment } from './decode-comment.js';
import type { IssueCommentPayload } from './decode-comment.js';
import type { RegisterHandlers } from './handler-context.js';

export const registerCommandHandlers: RegisterHandlers = (probot, handlers) => {
  probot.on('issue_comment', async (context) => {
    const decided = decodeIssueComment(context.payload as unknown as IssueCommentPayload);
    if (!decided.answer) {
      handlers.log.debug({ delivery: context.id, reason: decided.reason }, 'comment ignored');
      return;
    }
    const client = handlers.clientOf(context);
    const delivery = context.id;
    handlers.background.run(async () =>
      answerComment(client, decided.comment, {
        docsBaseUri: handlers.docsBaseUri,
        log: handlers.log,
        delivery,
        requestEvaluation: async (target, reason) =>
          handlers.evaluations.request({ client, target, reason, delivery }),
      }),
    );
  });
};
