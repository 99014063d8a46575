// A realistic runbook repository for trying the extension and for the UI tests: a clone with a
// bare "remote", the local gateway's configuration for it, and the settings that point VS Code at it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalGatewayConfig } from '../gateway/localGateway';
import { createRunbookRepo, type RunbookRepo } from '../support/gitFixture';

export const sampleToken = 'local-dev-token';
/** The sample user's email and password for `POST /api/localauth/login`. */
export const sampleUserEmail = 'dev@acme.example';
export const samplePassword = 'acme-dev-password';
/** The reviewer of `bash-reviewed`; the session page's Approve/Reject buttons act as this user. */
export const sampleReviewerToken = 'local-reviewer-token';
export const sampleRemoteUrl = 'https://github.com/acme/runbooks.git';

export const sampleRunbooks: Record<string, string> = {
  'README.md': '# ACME runbooks\n\nRun them from VS Code with the Hoop Runbooks extension: open one and click **Run runbook**.\n',
  'ops/restart-service.runbook.sh': `#!/usr/bin/env bash
# Restarts one service and reports to the on-call email.
set -euo pipefail
SERVICE={{ .service | type "select" | options "api" "worker" "scheduler" | default "api" | description "Service to restart" | order "1" | squote }}
REPLICAS={{ .replicas | type "number" | default "2" | description "Replicas to bring back" | order "2" }}
NOTIFY={{ .notify_email | type "email" | required "who to notify is required" | description "Who to notify" | placeholder "oncall@example.com" | order "3" | squote }}
{{ .admin_password | type "password" | required "the admin password is required" | description "Admin password of the service API" | asenv "ADMIN_PASSWORD" }}
echo "Restarting $SERVICE with $REPLICAS replicas..."
for i in $(seq 1 "$REPLICAS"); do echo "  replica $i: ready"; done
echo "Authenticated with a password of \${#ADMIN_PASSWORD} characters."
echo "Notified $NOTIFY."
`,
  'ops/check-disk.runbook.sh': `#!/usr/bin/env bash
# Fails when the (simulated) disk usage is above the threshold.
USAGE=91
THRESHOLD={{ .threshold | type "number" | default "80" | description "Alert above this percentage" }}
echo "Disk usage: $USAGE% (threshold $THRESHOLD%)"
if [ "$USAGE" -gt "$THRESHOLD" ]; then
  echo "Disk usage above threshold" >&2
  exit 2
fi
`,
  'db/reindex.runbook.sh': `#!/usr/bin/env bash
# Takes longer than the gateway waits: the gateway answers "running" and the run goes on.
TABLE={{ .table | default "orders" | description "Table to reindex" | squote }}
for step in 1 2 3 4; do echo "reindexing $TABLE: step $step/4"; sleep 2; done
echo "done"
`,
  'k8s/pod-report.runbook.py': `# Lists pods in a namespace with the kubeconfig passed as a file secret.
import os
namespace = os.environ["NAMESPACE"]
{{ .namespace | default "default" | description "Kubernetes namespace" | asenv "NAMESPACE" }}
kubeconfig = os.environ.get("KUBECONFIG", "")
with open(kubeconfig) as handle:
    contexts = [line.split(":", 1)[1].strip() for line in handle if line.strip().startswith("current-context:")]
print(f"namespace {namespace} via context {contexts[0] if contexts else 'unknown'}")
print("web-7d9f  Running\\nworker-55c1  Running")
`,
  'ops/incident-note.runbook.sh': `#!/usr/bin/env bash
# Posts an incident note with an optional attachment (sent base64-encoded, as hoop's web form does).
NOTE={{ .note | type "textarea" | required "the note is required" | description "What happened" | order "1" | squote }}
ATTACHMENT_B64={{ .attachment | type "file" | description "A log file to attach" | order "2" | squote }}
echo "Note ($(printf '%s' "$NOTE" | wc -l | tr -d ' ') line breaks):"
printf '%s\\n' "$NOTE" | sed 's/^/  > /'
if [ -n "$ATTACHMENT_B64" ]; then echo "Attachment: $(printf '%s' "$ATTACHMENT_B64" | base64 -d | wc -c | tr -d ' ') bytes"; fi
`,
  'ops/slow-report.runbook.sh': `#!/usr/bin/env bash
# Runs longer than the gateway waits (the sample gateway answers "running" after 5 s): a line a second, then exit 3.
DURATION={{ .seconds | type "number" | default "12" | description "How long the report runs, in seconds" }}
for i in $(seq 1 "$DURATION"); do echo "report line $i/$DURATION"; sleep 1; done
echo "report incomplete: 2 checks failed" >&2
exit 3
`,
  'ops/print-secret.runbook.sh': `#!/usr/bin/env bash
# Prints the DB_PASSWORD secret it was given, raw and base64-encoded: a demo of where secrets end up. Never do this for real.
echo "Connecting to {{ .database | default "orders" | description "Database to connect to" }} with password [$DB_PASSWORD] (raw)"
echo "The same password in base64: $(printf '%s' "$DB_PASSWORD" | base64) (end)"
echo "Connected."
`,
  'billing/refund.runbook.sh': `#!/usr/bin/env bash
# Refunds a customer; the prod-billing connection holds every run for review.
CUSTOMER={{ .customer_id | type "number" | required "customer_id is required" | description "Customer to refund" | order "1" }}
AMOUNT={{ .amount | required "amount is required" | pattern "^[0-9]+(\\\\.[0-9]{2})?$" | description "Amount, e.g. 19.90" | order "2" }}
echo "Refunding $AMOUNT to customer $CUSTOMER"
`,
};

/** Workspace settings a team would commit: which secrets its runbooks need. */
export const sampleWorkspaceSettings = {
  'hoop.secrets': [
    { name: 'KUBECONFIG', kind: 'filesystem', runbooks: 'k8s/**', description: 'Your kubeconfig file content' },
    { name: 'DB_PASSWORD', kind: 'envvar', runbooks: 'ops/print-secret.runbook.sh', description: 'The orders database password' },
  ],
};

export interface SampleWorkspace {
  repo: RunbookRepo;
  /** The folder to open in VS Code. */
  folder: string;
  /** `authMethod` defaults to 'oidc' (the stand-in identity provider signs in the sample user). */
  gatewayConfig(options?: { execWaitMs?: number; port?: number; authMethod?: LocalGatewayConfig['authMethod'] }): LocalGatewayConfig;
  /** User settings (the gateway URL is application-scoped: a workspace cannot set it). */
  userSettings(gatewayUrl: string): Record<string, unknown>;
  cleanup(): void;
}

export function createSampleWorkspace(options: { parentDir?: string } = {}): SampleWorkspace {
  const repo = createRunbookRepo({ files: sampleRunbooks, remoteUrl: sampleRemoteUrl, message: 'Add ACME runbooks', parentDir: options.parentDir });
  const settingsFile = path.join(repo.workDir, '.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, `${JSON.stringify(sampleWorkspaceSettings, null, 2)}\n`);
  repo.commit({ '.vscode/settings.json': fs.readFileSync(settingsFile, 'utf8') }, 'Declare the secrets our runbooks need');
  repo.push();
  return {
    repo,
    folder: repo.workDir,
    gatewayConfig: ({ execWaitMs = 5_000, port = 0, authMethod = 'oidc' } = {}) => ({
      port,
      users: {
        [sampleToken]: { email: sampleUserEmail, name: 'Local Developer', role: 'standard', groups: ['engineering'], password: samplePassword },
        [sampleReviewerToken]: { email: 'reviewer@acme.example', name: 'Rita Reviewer', role: 'standard', groups: ['sre'] },
      },
      // "Sign in with the browser" works too: the stand-in identity provider signs in the sample user.
      authMethod,
      identityProvider: { user: sampleToken },
      pageReviewer: sampleReviewerToken,
      // Output shows up in the session and on its page every second (hoop: every 50 s).
      flushIntervalMs: 1_000,
      repositories: [{ gitUrl: sampleRemoteUrl, path: repo.bareDir }],
      connections: [
        { name: 'bash-local', type: 'custom', subtype: 'custom', command: ['bash'] },
        { name: 'bash-staging', type: 'custom', subtype: 'custom', command: ['bash'] },
        { name: 'python-local', type: 'custom', subtype: 'custom', command: ['python3', '-'] },
        { name: 'prod-billing', type: 'custom', subtype: 'custom', command: ['bash'], review: true, reviewers: ['admin'], mandatoryMetadataFields: ['ticket'] },
        { name: 'bash-reviewed', type: 'custom', subtype: 'custom', command: ['bash'], review: true, reviewers: ['sre'] },
        { name: 'bash-jira', type: 'custom', subtype: 'custom', command: ['bash'], jiraIssueTemplateId: 'change-request' },
      ],
      jiraIssueTemplates: [
        {
          id: 'change-request',
          name: 'Change request',
          description: 'Every run on bash-jira opens an issue in the OPS project',
          projectKey: 'OPS',
          requestTypeId: '10',
          promptFields: [
            { jiraField: 'customfield_10052', label: 'Reason for the change', required: true },
            { jiraField: 'customfield_10060', label: 'Risk', fieldType: 'select', options: ['low', 'medium', 'high'], required: true },
            { jiraField: 'customfield_10070', label: 'Maintenance window', fieldType: 'datetime-local', description: 'When it may run' },
          ],
        },
      ],
      rules: [
        { name: 'ops and db on bash', runbooks: [{ repository: 'github.com/acme/runbooks', name: 'ops/' }, { repository: 'github.com/acme/runbooks', name: 'db/' }], connections: ['bash-local', 'bash-staging'] },
        { name: 'k8s on python', runbooks: [{ repository: 'github.com/acme/runbooks', name: 'k8s/' }], connections: ['python-local'] },
        { name: 'billing needs review', runbooks: [{ repository: 'github.com/acme/runbooks', name: 'billing/' }], connections: ['prod-billing'] },
        {
          name: 'try reviews and Jira',
          runbooks: [{ repository: 'github.com/acme/runbooks', name: 'ops/slow-report' }, { repository: 'github.com/acme/runbooks', name: 'ops/print-secret' }],
          connections: ['bash-reviewed', 'bash-jira'],
        },
      ],
      execWaitMs,
    }),
    userSettings: (gatewayUrl) => ({ 'hoop.gatewayUrl': gatewayUrl }),
    cleanup: () => repo.cleanup(),
  };
}
