import type { RunbookRuleConfig } from './config';

/**
 * Runbook rules (§2.7). Exec uses SQL semantics (models.IsUserAllowedToRunRunbook): a rule's runbook
 * name is an ILIKE prefix with `%`/`_` wildcards. Listing uses Go's case-sensitive HasPrefix.
 */
export function isAllowedToRun(rules: RunbookRuleConfig[], groups: string[], connection: string, repository: string, fileName: string): boolean {
  if (groups.includes('admin') || rules.length === 0) {
    return true;
  }
  return rules.some(
    (rule) =>
      isEmptyOrIntersects(rule.userGroups, groups) &&
      isEmptyOrIntersects(rule.connections, [connection]) &&
      (!rule.runbooks?.length || rule.runbooks.some((r) => r.repository === repository && (r.name === '' || ilikePrefix(r.name).test(fileName)))),
  );
}

/** helpers.go getRunbookConnections: which of `candidates` may run `runbookName`. */
export function allowedConnections(rules: RunbookRuleConfig[], candidates: string[], repository: string, runbookName: string, groups: string[]): string[] {
  if (candidates.length === 0) {
    return [];
  }
  if (rules.length === 0 || groups.includes('admin')) {
    return candidates;
  }
  const allowed = new Set<string>();
  for (const rule of rules) {
    const matches =
      isEmptyOrIntersects(rule.userGroups, groups) &&
      (!rule.runbooks?.length || rule.runbooks.some((r) => r.repository === repository && runbookName.startsWith(r.name))) &&
      isEmptyOrIntersects(rule.connections, candidates);
    if (!matches) {
      continue;
    }
    if (!rule.connections?.length) {
      return candidates;
    }
    rule.connections.forEach((c) => allowed.add(c));
  }
  return [...allowed];
}

function isEmptyOrIntersects(list: string[] | undefined, values: string[]): boolean {
  return !list?.length || list.some((v) => values.includes(v));
}

/** `value ILIKE name || '%'` as an anchored case-insensitive regex. */
function ilikePrefix(name: string): RegExp {
  const body = [...name].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}.*$`, 'is');
}
