// Inputs the run lifecycle added (issue 6), in a real VS Code (code-server through Chromium) with the
// packaged .vsix, the sample workspace and the local gateway: the Jira fields of a connection's issue
// template asked, checked and sent, and an optional file parameter skipped.
import { strict as assert } from 'node:assert';
import type { LocalGateway, RecordedRequest } from '../gateway/localGateway';
import { execRequestsTo, startRunFromCodeLens, useSampleSession } from './sampleSession';
import { poll, type Workbench } from './workbench';

interface ExecBody {
  connection_name: string;
  parameters: Record<string, string>;
  jira_fields?: Record<string, string>;
}

describe('inputs of the run lifecycle in a real VS Code', function () {
  this.timeout(240_000);
  const sample = useSampleSession();
  let gateway: LocalGateway;
  let workbench: Workbench;
  before(() => {
    ({ gateway, workbench } = sample);
  });

  const quick = () => workbench.quickPick;
  const execRequests = (): RecordedRequest[] => execRequestsTo(gateway);

  /** The body of the next exec request, once the gateway has received it. */
  async function nextExecBody(execsBefore: number): Promise<ExecBody> {
    return poll('the exec request', 20_000, async () => execRequests()[execsBefore]?.body as ExecBody | undefined);
  }

  /** Waits for the input's step, checks what it asks, and answers it. */
  async function answer(step: string, prompt: string | RegExp, value: string): Promise<void> {
    await quick().waitForStep(step);
    const shown = (await quick().prompt()) ?? '';
    assert.ok(typeof prompt === 'string' ? shown === prompt : prompt.test(shown), `step ${step} asks "${shown}"`);
    await quick().type(value);
    await quick().accept();
  }

  it("asks the connection's Jira template fields, refuses an empty required one and a malformed date, sends them as jira_fields and shows the created issue", async () => {
    const execsBefore = execRequests().length;
    await startRunFromCodeLens(workbench, 'ops/slow-report.runbook.sh', 'bash-jira');
    // The template's three prompt fields are steps of the same input, after the runbook's parameter.
    await answer('2/5', /^seconds — How long/, '2');

    await quick().waitForStep('3/5');
    assert.equal(await quick().title(), 'Run slow-report.runbook.sh on bash-jira');
    assert.equal(await quick().prompt(), 'Jira: Reason for the change (required)');
    await quick().accept();
    assert.equal(await quick().waitForValidationMessage(), 'The connection\'s Jira template requires "Reason for the change".');
    assert.equal(await quick().step(), '3/5', 'an empty required field was accepted');
    await quick().type('Quarterly capacity report');
    await quick().waitForValidationCleared();
    await quick().accept();

    // hoop's template gives a select field no options: the extension asks it as text.
    await answer('4/5', 'Jira: Risk (required)', 'medium');

    await quick().waitForStep('5/5');
    assert.equal(await quick().prompt(), 'Jira: Maintenance window — When it may run');
    assert.equal(await quick().placeholder(), 'YYYY-MM-DDTHH:MM, e.g. 2026-12-01T14:30');
    await quick().type('01/12/2026 14:30');
    await quick().accept();
    assert.equal(await quick().waitForValidationMessage(), '"Maintenance window" is a date and time: YYYY-MM-DDTHH:MM.');
    await workbench.screenshot('jira-field-malformed-date');
    assert.equal(await quick().step(), '5/5', 'a malformed date was accepted');
    assert.equal(execRequests().length, execsBefore, 'nothing is sent before every field is valid');
    await quick().type('2026-12-01T14:30');
    await quick().waitForValidationCleared();
    await quick().accept();
    await quick().waitClosed();

    const sent = await nextExecBody(execsBefore);
    assert.equal(sent.connection_name, 'bash-jira');
    assert.deepEqual(sent.jira_fields, {
      customfield_10052: 'Quarterly capacity report',
      customfield_10060: 'medium',
      customfield_10070: '2026-12-01T14:30',
    });
    assert.equal(await workbench.waitForStatusBar(/^slow-report\.runbook\.sh: exit/, 60_000), 'slow-report.runbook.sh: exit 3');
    await workbench.clickStatusBarItem(/^slow-report\.runbook\.sh: exit 3$/);
    const document = await workbench.waitForEditorText(/Exit code:\s+3/);
    const issueKey = [...gateway.sessions.values()].reverse().find((session) => session.connection === 'bash-jira')?.integrationsMetadata?.jira_issue_key;
    assert.match(issueKey ?? '(no Jira issue on the session)', /^OPS-\d+$/);
    assert.match(document, new RegExp(`^Jira issue:\\s+${issueKey}\\s+\\S+/jira/browse/${issueKey}$`, 'm'));
  });

  it('skips an optional file parameter: the run is sent with an empty attachment and ends successfully', async () => {
    const execsBefore = execRequests().length;
    await startRunFromCodeLens(workbench, 'ops/incident-note.runbook.sh', 'bash-local');
    await answer('2/3', /^note \(required\) — What happened/, 'Rotated the logs on db-1');
    await quick().waitForStep('3/3');
    await quick().waitForPlaceholder(/^attachment — A log file to attach/);
    assert.deepEqual(await quick().items(), ['Choose a file…', 'Skip: no file']);
    await quick().pick('Skip: no file');
    await quick().waitClosed();

    const sent = await nextExecBody(execsBefore);
    assert.equal(sent.parameters.attachment, '');
    assert.equal(sent.parameters.note, 'Rotated the logs on db-1');
    assert.equal(await workbench.waitForStatusBar(/^incident-note\.runbook\.sh: (exit|failed)/, 60_000), 'incident-note.runbook.sh: exit 0');
    await workbench.clickStatusBarItem(/^incident-note\.runbook\.sh: exit 0$/);
    const document = await workbench.waitForEditorText(/Exit code:\s+0/);
    assert.match(document, /> Rotated the logs on db-1/);
    assert.doesNotMatch(document, /Attachment:/);
  });
});
