import type { JiraIssueTemplateConfig } from './config';
import type { Session } from './sessions';
import type { GatewayState } from './state';

/** An issue the stand-in Jira holds, shown at `{API_URL}/jira/browse/<key>`. */
export interface JiraIssue {
  key: string;
  template: JiraIssueTemplateConfig;
  fields: Record<string, string>;
  sessionId: string;
}

/** A fixed creation time: templates are configuration, not records. */
const TEMPLATE_TIME = '2026-01-01T00:00:00Z';

/** openapi.JiraIssueTemplate. */
export function jiraTemplateJson(template: JiraIssueTemplateConfig, connectionIds: string[]): Record<string, unknown> {
  return {
    id: template.id,
    name: template.name,
    description: template.description ?? '',
    project_key: template.projectKey,
    issue_transition_name_on_close: 'done',
    request_type_id: template.requestTypeId ?? '',
    mapping_types: { items: [{ type: 'preset', jira_field: 'summary', value: 'session.script', description: 'The runbook' }] },
    prompt_types: {
      items: (template.promptFields ?? []).map((f) => ({
        jira_field: f.jiraField,
        label: f.label,
        description: f.description ?? '',
        required: f.required ?? false,
        field_type: f.fieldType ?? 'text',
        ...(f.options ? { options: f.options } : {}),
      })),
    },
    cmdb_types: {
      items: (template.cmdbFields ?? []).map((f) => ({
        jira_field: f.jiraField,
        jira_object_type: f.jiraObjectType,
        jira_object_schema_id: f.jiraObjectSchemaId ?? '',
        required: f.required ?? false,
        description: f.description ?? '',
        value: null,
      })),
    },
    created_at: TEMPLATE_TIME,
    updated_at: TEMPLATE_TIME,
    connection_ids: connectionIds,
  };
}

/** jira.ParseIssueFields: the 422 text when required prompt or cmdb fields are absent or empty, else undefined. */
export function missingJiraFieldsMessage(template: JiraIssueTemplateConfig, fields: Record<string, string>): string | undefined {
  const missing = [...(template.promptFields ?? []), ...(template.cmdbFields ?? [])]
    .filter((f) => f.required && !fields[f.jiraField])
    .map((f) => JSON.stringify(f.jiraField));
  // Go's %q of a []string: `["a" "b"]`.
  return missing.length > 0 ? `unable to parse fields, missing required fields: [${missing.join(' ')}]` : undefined;
}

/** Creates the issue and records it in the session's `integrations_metadata`. */
export function createJiraIssue(state: GatewayState, template: JiraIssueTemplateConfig, fields: Record<string, string>, session: Session): void {
  const key = `${template.projectKey}-${state.jiraIssues.filter((i) => i.template.projectKey === template.projectKey).length + 1}`;
  state.jiraIssues.push({ key, template, fields, sessionId: session.id });
  session.integrationsMetadata = { jira_issue_key: key, jira_issue_url: `${state.apiUrl()}/jira/browse/${key}` };
}
