import type * as vscode from 'vscode';

/**
 * What the user chose last time, per runbook (connection) and per runbook and connection
 * (parameter values). Never holds passwords, file contents or secrets: callers filter first.
 */
export class RunMemory {
  constructor(private readonly state: vscode.Memento) {}

  lastConnection(runbookKey: string): string | undefined {
    return this.state.get<string>(`connection:${runbookKey}`);
  }

  lastValues(runbookKey: string, connection: string): Record<string, string> | undefined {
    return this.state.get<Record<string, string>>(`values:${runbookKey}:${connection}`);
  }

  async remember(runbookKey: string, connection: string, values: Record<string, string>): Promise<void> {
    await this.state.update(`connection:${runbookKey}`, connection);
    await this.state.update(`values:${runbookKey}:${connection}`, values);
  }

  async forgetAll(): Promise<void> {
    await Promise.all(this.state.keys().filter((key) => key.startsWith('connection:') || key.startsWith('values:')).map((key) => this.state.update(key, undefined)));
  }
}

export function runbookKey(repository: string, fileName: string): string {
  return `${repository}/${fileName}`;
}
