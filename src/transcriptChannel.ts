import * as vscode from 'vscode';

/** The "Hoop Runbooks" output channel: one transcript per run, appended. */
export class TranscriptChannel implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Hoop Runbooks');

  begin(header: string): void {
    this.channel.appendLine('');
    this.channel.appendLine(header);
    this.channel.show(true);
  }

  append(text: string): void {
    if (text) {
      this.channel.append(text.endsWith('\n') ? text : `${text}\n`);
    }
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
