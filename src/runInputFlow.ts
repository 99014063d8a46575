import * as vscode from 'vscode';
import { validateEnvVarName, type EnvVarKind, type EnvVarValue, type SecretDeclaration } from './core/envVars';
import type { GatewayConnection } from './core/gatewayTypes';
import { initialValue, validateParameter, type ParameterSpec } from './core/parameters';
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
  given: {
    connection?: string;
    parameters?: Record<string, string>;
    metadata?: Record<string, string>;
    envVars?: EnvVarValue[];
  };
}

export interface RunInputs {
  connection: string;
  parameters: Record<string, string>;
  metadata: Record<string, string>;
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
  const countSteps = (connection: string) =>
    (context.given.connection ? 0 : 1) +
    parameterSteps.length +
    context.missingMetadataFields(connection).filter((field) => context.given.metadata?.[field] === undefined).length +
    secretsToAsk.length +
    (context.askAdHocEnvironment ? 1 : 0);

  const secretSteps = (): InputStep[] =>
    secretsToAsk.map((declaration) => async (input) => {
      inputs.envVars = inputs.envVars.filter((envVar) => !(envVar.name === declaration.name && envVar.kind === declaration.kind));
      inputs.secretsToRemember = inputs.secretsToRemember.filter((envVar) => envVar.name !== declaration.name || envVar.kind !== declaration.kind);
      const value = await input.showInputBox({
        title: title(),
        prompt: `${declaration.kind === 'filesystem' ? 'File secret' : 'Secret environment variable'} ${declaration.name}${declaration.description ? ` — ${declaration.description}` : ''}`,
        placeholder: declaration.kind === 'filesystem' ? 'The file content; the runbook gets a temporary file path' : `Value of ${declaration.name}`,
        value: '',
        password: true,
        validate: (text) => (text === '' ? `${declaration.name} is needed by this runbook.` : undefined),
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
      ...secretSteps(),
      ...(context.askAdHocEnvironment ? [adHocEnvironmentStep(inputs, title)] : []),
    ];
    return steps;
  };

  const pickConnection: InputStep = async (input) => {
    inputs.connection = await askConnection(input, context, title());
    input.setTotalSteps(countSteps(inputs.connection));
    return chain(stepsAfterConnection());
  };

  const firstStep = context.given.connection ? chain(stepsAfterConnection()) : pickConnection;
  if (firstStep) {
    await MultiStepInput.run(async (input) => {
      input.setTotalSteps(countSteps(inputs.connection || preferredConnection(context) || ''));
      return firstStep(input);
    });
  }
  return inputs;
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
    description: [connection.subtype || connection.type, connection.status === 'offline' ? '$(circle-slash) offline' : connection.status === 'online' ? '$(pass) online' : undefined]
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
    password: spec.type === 'password',
    validate: (value) => validateParameter(spec, value),
    buttons: spec.type === 'textarea' ? [editInEditorButton] : [],
    onButton: spec.type === 'textarea' ? () => editInEditor(input, spec, current) : undefined,
  });
}

/** `textarea` values may span lines: the user edits them in an untitled editor, then confirms. */
async function editInEditor(input: MultiStepInput, spec: ParameterSpec, current: string): Promise<string | undefined> {
  input.suspend();
  const document = await vscode.workspace.openTextDocument({ content: current });
  await vscode.window.showTextDocument(document, { preview: false });
  const choice = await vscode.window.showInformationMessage(`Edit the value of ${spec.name} in the new editor, then choose "Use Text".`, 'Use Text', 'Cancel');
  const text = document.getText();
  if (!document.isClosed) {
    // Revert-and-close acts on the active editor, which may be another one the user looked at meanwhile.
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  if (choice !== 'Use Text') {
    return undefined;
  }
  const problem = validateParameter(spec, text);
  if (problem) {
    void vscode.window.showWarningMessage(problem);
    return undefined;
  }
  return text;
}

/** `file` values are the file's bytes in base64, as hoop's web form sends them. */
async function askFile(input: MultiStepInput, spec: ParameterSpec, title: string, label: string): Promise<string> {
  for (;;) {
    await input.showQuickPick({ title, placeholder: label, items: [{ label: '$(file) Choose a file…' }] });
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
