/**
 * `/s3-guard …` commands in pull request comments (issue 6: being built). Until then the
 * subscribed `issue_comment` events are acknowledged and ignored.
 */
import type { RegisterHandlers } from './handler-context.js';

export const registerCommandHandlers: RegisterHandlers = (probot, handlers) => {
  probot.on('issue_comment.created', async (context) => {
    handlers.log.debug({ delivery: context.id }, 'issue_comment ignored');
  });
};
