import * as vscode from 'vscode';
import { CancelledError } from './core/errors';

/** Thrown inside a step when the user pressed the back button. */
class BackPressed extends Error {}

export type InputStep = (input: MultiStepInput) => Promise<InputStep | void>;

interface StepBase {
  title: string;
  buttons?: vscode.QuickInputButton[];
  onButton?: (button: vscode.QuickInputButton) => Promise<string | undefined> | string | undefined;
}

export interface InputBoxStep extends StepBase {
  prompt: string;
  value: string;
  placeholder?: string;
  password?: boolean;
  /** A string blocks the value; a warning is shown but lets the value through. */
  validate: (value: string) => string | vscode.InputBoxValidationMessage | undefined;
}

export interface QuickPickStep<T extends vscode.QuickPickItem> extends StepBase {
  placeholder: string;
  items: readonly T[];
  activeItem?: T;
  matchOnDescription?: boolean;
  /** Lets the user accept text that matches no item (e.g. a connection name typed by hand). */
  acceptTypedValue?: (value: string) => T | undefined;
}

/**
 * A sequence of QuickPick/InputBox steps sharing one title, "step i of n" and a back button
 * (after vscode-extension-samples' quickinput-sample). Escape anywhere cancels the whole flow.
 */
export class MultiStepInput {
  private step = 0;
  private totalSteps = 1;
  private current?: vscode.QuickInput;
  private suspended = false;

  static async run(firstStep: InputStep): Promise<void> {
    await new MultiStepInput().stepThrough(firstStep);
  }

  /** Steps are counted as the flow learns them (parameters come after the connection is known). */
  setTotalSteps(total: number): void {
    this.totalSteps = total;
  }

  private async stepThrough(firstStep: InputStep): Promise<void> {
    const history: InputStep[] = [];
    let next: InputStep | void = firstStep;
    try {
      while (next) {
        history.push(next);
        this.step = history.length;
        try {
          next = await next(this);
        } catch (error) {
          if (!(error instanceof BackPressed)) {
            throw error;
          }
          history.pop();
          next = history.pop();
        }
      }
    } finally {
      this.current?.dispose();
    }
  }

  async showInputBox(step: InputBoxStep): Promise<string> {
    const input = vscode.window.createInputBox();
    this.prepare(input, step);
    input.prompt = step.prompt;
    input.value = step.value;
    input.placeholder = step.placeholder;
    input.password = step.password === true;
    input.validationMessage = undefined;
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<string>((resolve, reject) => {
        disposables.push(
          input.onDidTriggerButton(async (button) => {
            if (button === vscode.QuickInputButtons.Back) {
              reject(new BackPressed());
              return;
            }
            const value = await step.onButton?.(button);
            this.resume();
            if (value !== undefined) {
              resolve(value);
            }
          }),
          input.onDidAccept(() => {
            const problem = step.validate(input.value);
            input.validationMessage = problem;
            if (!problem || (typeof problem !== 'string' && problem.severity !== vscode.InputBoxValidationSeverity.Error)) {
              resolve(input.value);
            }
          }),
          // Validate while typing only for the inline message; nothing heavy runs here.
          input.onDidChangeValue((value) => {
            input.validationMessage = value === '' ? undefined : step.validate(value);
          }),
          input.onDidHide(() => this.suspended || reject(new CancelledError())),
        );
        this.show(input);
      });
    } finally {
      disposables.forEach((disposable) => disposable.dispose());
    }
  }

  async showQuickPick<T extends vscode.QuickPickItem>(step: QuickPickStep<T>): Promise<T> {
    const input = vscode.window.createQuickPick<T>();
    this.prepare(input, step);
    input.placeholder = step.placeholder;
    input.items = step.items;
    input.matchOnDescription = step.matchOnDescription === true;
    if (step.activeItem) {
      input.activeItems = [step.activeItem];
    }
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<T>((resolve, reject) => {
        disposables.push(
          input.onDidTriggerButton((button) => {
            if (button === vscode.QuickInputButtons.Back) {
              reject(new BackPressed());
            } else {
              void Promise.resolve(step.onButton?.(button)).finally(() => this.resume());
            }
          }),
          input.onDidAccept(() => {
            const picked = input.selectedItems[0] ?? input.activeItems[0];
            const typed = input.value.trim();
            const byTyping = typed && step.acceptTypedValue && (!picked || !input.activeItems.length) ? step.acceptTypedValue(typed) : undefined;
            const choice = byTyping ?? picked;
            if (choice) {
              resolve(choice);
            }
          }),
          input.onDidHide(() => this.suspended || reject(new CancelledError())),
        );
        this.show(input);
      });
    } finally {
      disposables.forEach((disposable) => disposable.dispose());
    }
  }

  /** Hides the flow while something else (an editor, a file dialog) takes the user's attention. */
  suspend(): void {
    this.suspended = true;
    this.current?.hide();
  }

  private resume(): void {
    if (this.suspended) {
      this.suspended = false;
      this.current?.show();
    }
  }

  private prepare(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] }, step: StepBase): void {
    input.title = step.title;
    input.step = this.step;
    input.totalSteps = Math.max(this.totalSteps, this.step);
    input.ignoreFocusOut = true;
    input.buttons = [...(this.step > 1 ? [vscode.QuickInputButtons.Back] : []), ...(step.buttons ?? [])];
  }

  private show(input: vscode.QuickInput): void {
    const previous = this.current;
    this.current = input;
    this.suspended = false;
    input.show();
    // The old step's onDidHide fires now, after its promise settled: that rejection is a no-op.
    previous?.dispose();
  }
}
