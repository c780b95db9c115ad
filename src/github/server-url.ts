/**
 * The web address of the GitHub instance (`https://github.com`, or a GitHub Enterprise Server),
 * for links in what is published: file links in the check run must point at the same server
 * the pull request lives on.
 */

export const GITHUB_COM = 'https://github.com';

/** From an API base URL: `https://api.github.com` → github.com, `https://h/api/v3` → `https://h`. */
export function serverUrlOfApi(apiUrl: string): string {
  const trimmed = apiUrl.replace(/\/+$/, '');
  if (/^https:\/\/api\.github\.com$/i.test(trimmed)) return GITHUB_COM;
  const enterprise = /^(https?:\/\/[^/]+)\/api\/v3$/i.exec(trimmed);
  return enterprise?.[1] ?? GITHUB_COM;
}

/**
 * For the app, from Probot's environment: `GHE_HOST` (and `GHE_PROTOCOL`, default https) names
 * a GitHub Enterprise Server; otherwise github.com.
 */
export function serverUrlOfEnv(env: Readonly<Record<string, string | undefined>>): string {
  const host = env.GHE_HOST?.trim();
  if (!host) return GITHUB_COM;
  const protocol = env.GHE_PROTOCOL?.trim() === 'http' ? 'http' : 'https';
  return `${protocol}://${host.replace(/\/+$/, '')}`;
}
