/** The fake GitHub shared by the app's tests, the demo and the benchmark (see fake.ts). */
export {
  FakeGitHub,
  signWebhook,
  type FakeAnnotation,
  type FakeCheckRun,
  type FakeCommitStatus,
  type FakeGitHubOptions,
  type FakeIssueComment,
  type FakeMergeGroup,
  type FakeReaction,
  type FakeRole,
  type FakeReview,
  type FakeThread,
  type FakeThreadComment,
  type RecordedCall,
} from './fake.js';
export { interceptGitHub, serveGitHub } from './transport.js';
export { blobSha } from './git.js';
