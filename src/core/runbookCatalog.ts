import type { GatewayConnection, GatewayRunbookItem, RunbookListResponse } from './gatewayTypes';

/** Subtypes hoop's web UI never offers for runbooks (hoop-gateway.md §4.5). */
const subtypesWithoutRunbooks = new Set(['tcp', 'ssh', 'ssh-local', 'httpproxy', 'kibana', 'grafana', 'claude-code', 'mcp', 'mcpproxy']);

export function canRunRunbooks(connection: GatewayConnection): boolean {
  return connection.access_mode_runbooks === 'enabled' && !subtypesWithoutRunbooks.has(connection.subtype ?? '');
}

/** Connections offered for a runbook: runbook-capable ones, narrowed to those the gateway lists for it. */
export function connectionsForRunbook(connections: GatewayConnection[], allowed: string[] | undefined): GatewayConnection[] {
  const runnable = connections.filter(canRunRunbooks);
  if (!allowed) {
    return runnable;
  }
  const allowedNames = new Set(allowed);
  return runnable.filter((connection) => allowedNames.has(connection.name) || (connection.id !== undefined && allowedNames.has(connection.id)));
}

export interface CatalogEntry {
  repository?: string;
  item: GatewayRunbookItem;
}

/**
 * Finds the gateway's listing of a runbook. V2 lists per repository; the legacy routes list one
 * flat repository. When the local origin does not name a listed repository, a unique file name decides.
 */
export function findRunbook(listing: RunbookListResponse, repository: string | undefined, fileName: string): CatalogEntry | undefined {
  const repositories = listing.repositories ?? [];
  if (repositories.length === 0) {
    const item = (listing.items ?? []).find((candidate) => candidate.name === fileName);
    return item ? { item } : undefined;
  }
  const exact = repositories.find((candidate) => candidate.repository === repository);
  if (exact) {
    const item = (exact.items ?? []).find((candidate) => candidate.name === fileName);
    return item ? { repository: exact.repository, item } : undefined;
  }
  const matches = repositories.flatMap((candidate) =>
    (candidate.items ?? []).filter((item) => item.name === fileName).map((item) => ({ repository: candidate.repository, item })),
  );
  return matches.length === 1 ? matches[0] : undefined;
}

/** The commit the gateway serves for a repository: per repository on V2, one top-level commit on legacy routes. */
export function gatewayCommitFor(listing: RunbookListResponse, repository: string): string | undefined {
  const repositories = listing.repositories ?? [];
  return repositories.length ? repositories.find((candidate) => candidate.repository === repository)?.commit : listing.commit;
}

export function listedRepositories(listing: RunbookListResponse): string[] {
  return (listing.repositories ?? []).map((candidate) => candidate.repository);
}
