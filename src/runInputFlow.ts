import * as vscode from 'vscode';
import { validateEnvVarName, type EnvVarKind, type EnvVarValue, type SecretDeclaration } from './core/envVars';
import type { GatewayConnection } from './core/gatewayTypes';
import { initialValue, isSecretParameter, validateParameter, type ParameterSpec } from './core/parameters';
import { minimumMaskedLength, unmaskableSecrets } from './core/redact';
import { MultiStepInput, type InputStep } from './multiStepInput';

/** What the flow knows before asking; values passed as command arguments skip their steps. */
export interface RunInputContext {
  runbookName: string;
  connections: GatewayConnection[];
  /** Why the connection list is unavailable; the user then types a name. */
  connectionsProblem?: string;
  /** The connection this runbook ran on last; it wins over the default. */
  lastConnection?: string;
  /** `hoop.defaultConnection`, for runbooks that have not run yet. */
  defaultConnection?: string;
  specs: ParameterSpec[];
  rememberedValues: (connection: string) => Record<string, string> | undefined;
  missingMetadataFields: (connection: string) => string[];
  secrets: SecretDeclaration[];
  storedSecret: (declaration: SecretDeclaration) => Promise<string | undefined>;
  askAdHocEnvironment: boolean;
  /** The Jira issue fields the connection's issue template asks for (§1.8); none when it has no template. */
  jiraFields: (connection: string) => Promise<JiraFieldPrompt[]>;
  /** The last step: "Run x on y — 3 parameters, 1 secret" with Back (`hoop.confirmBeforeRun`). */
  confirm?: { clientArgs: string[] };
  given: {
    connection?: string;
    parameters?: Record<string, string>;
    metadata?: Record<string, string>;
    envVars?: EnvVarValue[];
  };
}

/** One field of a Jira issue template's `prompt_types` (hoop-gateway.md §1.8). */
export interface JiraFieldPrompt {
  id: string;
  label: string;
  description?: string;
  required: boolean;
  type: 'text' | 'datetime-local';
}

export interface RunInputs {
  connection: string;
  parameters: Record<string, string>;
  metadata: Record<string, string>;
  jiraFields: Record<string, string>;
  envVars: EnvVarValue[];
  /** Secret values the user asked to keep in SecretStorage. */
  secretsToRemember: EnvVarValue[];
}

interface ConnectionItem extends vscode.QuickPickItem {
  connectionName: string;
}

const editInEditorButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Edit several lines in an editor' };

/**
 * The run's prompts as one multi-step input: connection, each declared parameter,
 * the connection's mandatory metadata, secrets, and (on request) ad hoc environment.
 */
export async function collectRunInputs(context: RunInputContext): Promise<RunInputs> {
  const inputs: RunInputs = {
    connection: context.given.connection ?? '',
    parameters: { ...context.given.parameters },
    metadata: { ...context.given.metadata },
    jiraFields: {},
    envVars: [...(context.given.envVars ?? [])],
    secretsToRemember: [],
  };
  const title = () => (inputs.connection ? `Run ${context.runbookName} on ${inputs.connection}` : `Run ${context.runbookName}`);

  // Stored secrets go out without a prompt, so they are not steps: "step i of n" counts only what is asked.
  const secretsToAsk: SecretDeclaration[] = [];
  for (const declaration of context.secrets) {
    const stored = await context.storedSecret(declaration);
    if (stored === undefined) {
      secretsToAsk.push(declaration);
    } else {
      inputs.envVars.push({ name: declaration.name, kind: declaration.kind, value: stored });
    }
  }

  const parameterSteps = context.specs.filter((spec) => context.given.parameters?.[spec.name] === undefined);
  let jiraFields: JiraFieldPrompt[] = [];
  const countSteps = (connection: string) =>
    (context.given.connection ? 0 : 1) +
    parameterSteps.length +
    context.missingMetadataFields(connection).filter((field) => context.given.metadata?.[field] === undefined).length +
    jiraFields.length +
    secretsToAsk.length +
    (context.askAdHocEnvironment ? 1 : 0) +
    (context.confirm ? 1 : 0);

  const secretSteps = (): InputStep[] =>
    secretsToAsk.map((declaration) => async (input) => {
      inputs.envVars = inputs.envVars.filter((envVar) => !(envVar.name === declaration.name && envVar.kind === declaration.kind));
      inputs.secretsToRemember = inputs.secretsToRemember.filter((envVar) => envVar.name !== declaration.name || envVar.kind !== declaration.kind);
      const value = declaration.kind === 'filesystem' ? await askFileSecret(input, declaration, title()) : await input.showInputBox({
        title: title(),
        prompt: `Secret environment variable ${declaration.name}${declaration.description ? ` — ${declaration.description}` : ''}`,
        placeholder: `Value of ${declaration.name}`,
        value: '',
        password: true,
        validate: (text) => (text === '' ? `${declaration.name} is needed by this runbook.` : tooShortToMask(text)),
      });
      const envVar = { name: declaration.name, kind: declaration.kind, value };
      inputs.envVars.push(envVar);
      const keep = await input.showQuickPick({
        title: title(),
        placeholder: `Remember ${declaration.name} for next runs?`,
        items: [
          { label: 'Use for this run only', keep: false },
          { label: "Keep in VS Code's secret storage", description: 'VS Code keeps it encrypted, never in settings', keep: true },
        ],
      });
      if (keep.keep) {
        inputs.secretsToRemember.push(envVar);
      }
    });

  /** The steps after the connection, which decides remembered values and required metadata. */
  const stepsAfterConnection = (): InputStep[] => {
    const remembered = context.rememberedValues(inputs.connection);
    const metadataFields = context.missingMetadataFields(inputs.connection).filter((field) => context.given.metadata?.[field] === undefined);
    const steps: InputStep[] = [
      ...parameterSteps.map((spec): InputStep => async (stepInput) => {
        const current = inputs.parameters[spec.name] ?? initialValue(spec, remembered);
        inputs.parameters[spec.name] = await askParameter(stepInput, spec, current, title());
      }),
      ...metadataFields.map((field): InputStep => async (stepInput) => {
        inputs.metadata[field] = await stepInput.showInputBox({
          title: title(),
          prompt: `Metadata "${field}" — required by connection ${inputs.connection}`,
          value: inputs.metadata[field] ?? '',
          validate: (text) => (text.trim() === '' ? `The connection requires "${field}".` : undefined),
        });
      }),
      ...jiraFields.map((field): InputStep => async (stepInput) => {
        inputs.jiraFields[field.id] = await askJiraField(stepInput, field, inputs.jiraFields[field.id] ?? '', title());
      }),
      ...secretSteps(),
      ...(context.askAdHocEnvironment ? [adHocEnvironmentStep(inputs, title)] : []),
      ...(context.confirm ? [confirmStep(context, inputs, title, context.confirm.clientArgs)] : []),
    ];
    return steps;
  };

  const afterConnection = async (input: MultiStepInput) => {
    jiraFields = await context.jiraFields(inputs.connection);
    input.setTotalSteps(countSteps(inputs.connection));
    return chain(stepsAfterConnection());
  };
  const pickConnection: InputStep = async (input) => {
    inputs.connection = await askConnection(input, context, title());
    return afterConnection(input);
  };

  if (context.given.connection) {
    jiraFields = await context.jiraFields(context.given.connection);
  }
  // Nothing asked, nothing to confirm: runs driven by arguments (tests, tasks, reruns) go straight out.
  const asksSomething = !context.given.connection || countSteps(context.given.connection) > (context.confirm ? 1 : 0);
  const firstStep = !asksSomething ? undefined : context.given.connection ? chain(stepsAfterConnection()) : pickConnection;
  if (firstStep) {
    await MultiStepInput.run(async (input) => {
      input.setTotalSteps(countSteps(inputs.connection || preferredConnection(context) || ''));
      return firstStep(input);
    });
  }
  return inputs;
}

/** The last step: what is about to run, with Back to change it. client_args from settings are shown before anything is sent. */
function confirmStep(context: RunInputContext, inputs: RunInputs, title: () => string, clientArgs: string[]): InputStep {
  return async (input) => {
    const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const summary = [
      count(Object.keys(inputs.parameters).length, 'parameter'),
      count(inputs.envVars.length, 'secret'),
      ...(Object.keys(inputs.metadata).length ? [count(Object.keys(inputs.metadata).length, 'metadata field')] : []),
    ].join(', ');
    const args = clientArgs.length ? ` · client args: ${clientArgs.join(' ')}` : '';
    await input.showQuickPick({
      title: title(),
      placeholder: `Run ${context.runbookName} on ${inputs.connection} — ${summary}${args}`,
      items: [{ label: `$(play) Run ${context.runbookName} on ${inputs.connection}`, description: summary, detail: clientArgs.length ? `client_args: ${clientArgs.join(' ')}` : undefined }],
    });
  };
}

async function askJiraField(input: MultiStepInput, field: JiraFieldPrompt, current: string, title: string): Promise<string> {
  const isDateTime = field.type === 'datetime-local';
  return input.showInputBox({
    title,
    prompt: `Jira: ${field.label}${field.required ? ' (required)' : ''}${field.description ? ` — ${field.description}` : ''}`,
    placeholder: isDateTime ? 'YYYY-MM-DDTHH:MM, e.g. 2026-12-01T14:30' : `Value for ${field.label}`,
    value: current,
    validate: (text) => {
      if (text.trim() === '') {
        return field.required ? `The connection's Jira template requires "${field.label}".` : undefined;
      }
      return isDateTime && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text.trim()) ? `"${field.label}" is a date and time: YYYY-MM-DDTHH:MM.` : undefined;
    },
  });
}

/** A file secret (a kubeconfig, a key): chosen from a file, or pasted in an editor so its newlines survive. */
async function askFileSecret(input: MultiStepInput, declaration: SecretDeclaration, title: string): Promise<string> {
  for (;;) {
    const choice = await input.showQuickPick({
      title,
      placeholder: `File secret ${declaration.name}${declaration.description ? ` — ${declaration.description}` : ''}: the runbook gets a temporary file's path`,
      items: [
        { label: '$(file) Choose a file…', fromFile: true },
        { label: '$(edit) Paste or type it in an editor…', fromFile: false },
      ],
    });
    input.suspend();
    if (choice.fromFile) {
      const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: `Use for ${declaration.name}` })) ?? [];
      if (uri) {
        return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      }
    } else {
      const text = await editText(`the file secret ${declaration.name}`, '');
      if (text) {
        return text;
      }
    }
  }
}

/** A secret of one or two characters cannot be masked in output without revealing it: say so before it is used. */
function tooShortToMask(value: string): vscode.InputBoxValidationMessage | undefined {
  return unmaskableSecrets([value]).length
    ? { message: `Secrets shorter than ${minimumMaskedLength} characters are not masked in the run's output (masking every such character would reveal it).`, severity: vscode.InputBoxValidationSeverity.Warning }
    : undefined;
}

/** Links steps so that each returns the next, which is what lets the back button walk them. */
function chain(steps: InputStep[]): InputStep | undefined {
  const [first, ...rest] = steps;
  if (!first) {
    return undefined;
  }
  return async (input) => {
    await first(input);
    return chain(rest);
  };
}

function preferredConnection(context: RunInputContext): string | undefined {
  return context.lastConnection ?? context.defaultConnection;
}

function connectionDetail(context: RunInputContext, name: string): string | undefined {
  if (name === context.lastConnection) {
    return 'Last used for this runbook';
  }
  return name === context.defaultConnection && context.lastConnection === undefined ? 'Your default connection (hoop.defaultConnection)' : undefined;
}

async function askConnection(input: MultiStepInput, context: RunInputContext, title: string): Promise<string> {
  const preferred = preferredConnection(context);
  if (context.connectionsProblem !== undefined || context.connections.length === 0) {
    return input.showInputBox({
      title,
      prompt: context.connectionsProblem ?? 'The gateway lists no connection that can run this runbook. Type a connection name to try anyway.',
      placeholder: 'Connection name, e.g. pgdemo',
      value: preferred ?? '',
      validate: (text) => (text.trim() === '' ? 'Type the name of a hoop connection.' : undefined),
    }).then((name) => name.trim());
  }
  const items: ConnectionItem[] = context.connections.map((connection) => ({
    label: connection.name,
    description: [
      connection.subtype || connection.type,
      connection.status === 'offline' ? '$(circle-slash) offline' : connection.status === 'online' ? '$(pass) online' : undefined,
      connection.reviewers?.length ? '$(eye) needs review' : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
    detail: connectionDetail(context, connection.name),
    connectionName: connection.name,
  }));
  items.sort((a, b) => Number(b.connectionName === preferred) - Number(a.connectionName === preferred));
  const picked = await input.showQuickPick({
    title,
    placeholder: 'Pick the connection to run this runbook on (type to filter)',
    items,
    activeItem: items.find((item) => item.connectionName === preferred),
    matchOnDescription: true,
  });
  return picked.connectionName;
}

async function askParameter(input: MultiStepInput, spec: ParameterSpec, current: string, title: string): Promise<string> {
  const label = `${spec.name}${spec.required ? ' (required)' : ''}${spec.description ? ` — ${spec.description}` : ''}`;
  if (spec.type === 'select' && spec.options?.length) {
    const items = spec.options.map((option) => ({ label: option, picked: option === current }));
    const picked = await input.showQuickPick({ title, placeholder: label, items, activeItem: items.find((item) => item.label === current) });
    return picked.label;
  }
  if (spec.type === 'file') {
    return askFile(input, spec, title, label);
  }
  return input.showInputBox({
    title,
    prompt: label,
    placeholder: spec.placeholder || `Define a value for ${spec.name}${spec.type === 'textarea' ? ' (the pencil button edits several lines)' : ''}`,
    value: current,
    password: isSecretParameter(spec),
    validate: (value) => validateParameter(spec, value) ?? (isSecretParameter(spec) ? tooShortToMask(value) : undefined),
    buttons: spec.type === 'textarea' ? [editInEditorButton] : [],
    onButton: spec.type === 'textarea' ? () => editInEditor(input, spec, current) : undefined,
  });
}

/** `textarea` values may span lines: the user edits them in an untitled editor, then confirms. */
async function editInEditor(input: MultiStepInput, spec: ParameterSpec, current: string): Promise<string | undefined> {
  input.suspend();
  const text = await editText(`the value of ${spec.name}`, current);
  if (text === undefined) {
    return undefined;
  }
  const problem = validateParameter(spec, text);
  if (problem) {
    void vscode.window.showWarningMessage(problem);
    return undefined;
  }
  return text;
}

/** Several lines typed or pasted in an untitled editor; undefined when the user cancels. */
async function editText(what: string, current: string): Promise<string | undefined> {
  const document = await vscode.workspace.openTextDocument({ content: current });
  await vscode.window.showTextDocument(document, { preview: false });
  const choice = await vscode.window.showInformationMessage(`Edit ${what} in the new editor, then choose "Use Text".`, 'Use Text', 'Cancel');
  const text = document.getText();
  if (!document.isClosed) {
    // Revert-and-close acts on the active editor, which may be another one the user looked at meanwhile.
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  return choice === 'Use Text' ? text : undefined;
}

/** `file` values are the file's bytes in base64, as hoop's web form sends them. */
async function askFile(input: MultiStepInput, spec: ParameterSpec, title: string, label: string): Promise<string> {
  for (;;) {
    const choice = await input.showQuickPick({
      title,
      placeholder: label,
      items: [{ label: '$(file) Choose a file…', skip: false }, ...(spec.required ? [] : [{ label: '$(debug-step-over) Skip: no file', skip: true }])],
    });
    if (choice.skip) {
      return '';
    }
    input.suspend();
    const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: `Use for ${spec.name}` })) ?? [];
    if (uri) {
      const bytes = await vscode.workspace.fs.readFile(uri);
      return Buffer.from(bytes).toString('base64');
    }
  }
}

function adHocEnvironmentStep(inputs: RunInputs, title: () => string): InputStep {
  return async (input) => {
    type Choice = vscode.QuickPickItem & { action: 'run' | EnvVarKind | 'metadata' };
    for (;;) {
      const added = [...inputs.envVars.map((envVar) => `${envVar.kind}:${envVar.name}`), ...Object.keys(inputs.metadata).map((key) => `metadata:${key}`)];
      const choice = await input.showQuickPick<Choice>({
        title: title(),
        placeholder: added.length ? `Added: ${added.join(', ')}` : 'Add environment variables, file secrets or metadata for this run',
        items: [
          { label: '$(play) Run now', action: 'run' },
          { label: '$(symbol-variable) Add environment variable…', description: 'sent as envvar:NAME', action: 'envvar' },
          { label: '$(file) Add file secret…', description: 'sent as filesystem:NAME; the runbook gets a temp file path', action: 'filesystem' },
          { label: '$(tag) Add metadata…', description: 'recorded on the session', action: 'metadata' },
        ],
      });
      if (choice.action === 'run') {
        return;
      }
      const name = (
        await input.showInputBox({
          title: title(),
          prompt: choice.action === 'metadata' ? 'Metadata key' : 'Variable name',
          value: '',
          validate: (text) => (choice.action === 'metadata' ? (text.trim() ? undefined : 'Type a key.') : validateEnvVarName(text.trim())),
        })
      ).trim();
      const value = await input.showInputBox({
        title: title(),
        prompt: choice.action === 'metadata' ? `Value of metadata "${name}"` : `Value of ${name} (kept for this run only)`,
        value: '',
        password: choice.action !== 'metadata',
        validate: () => undefined,
      });
      if (choice.action === 'metadata') {
        inputs.metadata[name] = value;
      } else {
        inputs.envVars = [...inputs.envVars.filter((envVar) => envVar.name !== name), { name, kind: choice.action, value }];
      }
    }
  };
}
