/**
 * The gateway identifies a runbook repository by its git URL reduced to `host/path`
 * (hoop's `Config.GetNormalizedGitURL`). The extension derives the same key from `origin`.
 */
export function normalizeGitUrl(gitUrl: string): string | undefined {
  let raw = gitUrl.trim();
  // scp-like shorthand `user@host:path` has a colon but no scheme.
  if (raw.includes(':') && !raw.includes('://')) {
    const colon = raw.indexOf(':');
    const host = raw.slice(0, colon).replace(/^git@/, '');
    raw = `ssh://${host}/${raw.slice(colon + 1)}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return undefined;
  }
  const path = decodeURIComponent(parsed.pathname).replace(/\.git$/, '').replace(/^\/+|\/+$/g, '');
  if (!parsed.hostname || !path) {
    return undefined;
  }
  return `${parsed.hostname}/${path}`;
}
