import * as vscode from 'vscode';

/** The "Hoop Runbooks" output channel: each run's transcript, written as one block when the run ends. */
export class TranscriptChannel implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Hoop Runbooks');

  appendBlock(text: string): void {
    this.channel.append(`\n${text.endsWith('\n') ? text : `${text}\n`}`);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
