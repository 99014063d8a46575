import * as vscode from 'vscode';
import type { Run } from '../core/run/run';
import type { RunRegistry } from '../core/run/runRegistry';
import { renderRunDocument, runDocumentPath } from '../core/run/runPresentation';

export const runDocumentScheme = 'hoop-run';

/** At most this often per run does an open document re-render: a flood of output must not stall the host. */
const refreshIntervalMs = 250;

/** An editor showing one of the last lines (the status and links follow the output) counts as following the end. */
const tailSlackLines = 8;

/** The run's read-only document; the run id travels in the query, the path is the tab title. */
export function runDocumentUri(run: Run): vscode.Uri {
  return vscode.Uri.from({ scheme: runDocumentScheme, path: runDocumentPath(run.data), query: run.id });
}

/** Opens the run's document (header, output so far, status), coloured as a log. */
export async function openRunDocument(run: Run, options: { preview?: boolean } = {}): Promise<void> {
  let document = await vscode.workspace.openTextDocument(runDocumentUri(run));
  if (document.languageId !== 'log') {
    document = await vscode.languages.setTextDocumentLanguage(document, 'log');
  }
  await vscode.window.showTextDocument(document, { preview: options.preview ?? false });
}

function isRunDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === runDocumentScheme;
}

/** Serves `hoop-run:` documents from the registry and re-renders open ones as their run changes. */
class RunDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly runSubscriptions = new Map<string, { dispose(): void }>();
  private readonly pendingRefresh = new Map<string, NodeJS.Timeout>();
  /** Line counts of open run documents before their last change, to follow the end like `tail -f`. */
  private readonly lineCounts = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly registry: RunRegistry) {
    const registryChange = registry.onDidChange(() => this.followRegistry());
    this.disposables.push(
      this.changeEmitter,
      { dispose: () => registryChange.dispose() },
      vscode.workspace.onDidChangeTextDocument((event) => this.keepTailing(event.document)),
      vscode.workspace.onDidOpenTextDocument((document) => isRunDocument(document) && this.lineCounts.set(document.uri.toString(), document.lineCount)),
      vscode.workspace.onDidCloseTextDocument((document) => this.lineCounts.delete(document.uri.toString())),
    );
    this.followRegistry();
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const run = this.registry.get(uri.query);
    return run ? renderRunDocument(run) : 'This run is no longer in the history (it was cleared, or more than 200 runs came after it).\n';
  }

  dispose(): void {
    this.pendingRefresh.forEach((timer) => clearTimeout(timer));
    this.runSubscriptions.forEach((subscription) => subscription.dispose());
    this.disposables.forEach((disposable) => disposable.dispose());
  }

  /** Listens to every run in the registry (state changes and output), and lets go of removed ones. */
  private followRegistry(): void {
    const present = new Set<string>();
    for (const run of this.registry.all) {
      present.add(run.id);
      if (!this.runSubscriptions.has(run.id)) {
        const changed = run.onDidChange(() => this.scheduleRefresh(run.id));
        const appended = run.onDidAppendOutput(() => this.scheduleRefresh(run.id));
        this.runSubscriptions.set(run.id, { dispose: () => (changed.dispose(), appended.dispose()) });
      }
    }
    for (const [id, subscription] of this.runSubscriptions) {
      if (!present.has(id)) {
        subscription.dispose();
        this.runSubscriptions.delete(id);
        this.scheduleRefresh(id);
      }
    }
  }

  private scheduleRefresh(runId: string): void {
    if (this.pendingRefresh.has(runId)) {
      return;
    }
    const open = vscode.workspace.textDocuments.filter((document) => isRunDocument(document) && document.uri.query === runId);
    if (!open.length) {
      return;
    }
    this.pendingRefresh.set(
      runId,
      setTimeout(() => {
        this.pendingRefresh.delete(runId);
        open.forEach((document) => this.changeEmitter.fire(document.uri));
      }, refreshIntervalMs),
    );
  }

  /** An editor scrolled to the end of a live run's document stays at the end as output arrives. */
  private keepTailing(document: vscode.TextDocument): void {
    if (!isRunDocument(document)) {
      return;
    }
    const key = document.uri.toString();
    const previousLineCount = this.lineCounts.get(key) ?? document.lineCount;
    this.lineCounts.set(key, document.lineCount);
    for (const editor of vscode.window.visibleTextEditors) {
      const lastVisible = editor.visibleRanges.at(-1)?.end.line ?? 0;
      if (editor.document === document && document.lineCount > previousLineCount && lastVisible >= previousLineCount - tailSlackLines) {
        editor.revealRange(new vscode.Range(document.lineCount - 1, 0, document.lineCount - 1, 0), vscode.TextEditorRevealType.Default);
      }
    }
  }
}

/** Registers the `hoop-run:` documents; call `openRunDocument` to show one. */
export function registerRunDocuments(registry: RunRegistry): vscode.Disposable {
  const provider = new RunDocumentProvider(registry);
  return vscode.Disposable.from(provider, vscode.workspace.registerTextDocumentContentProvider(runDocumentScheme, provider));
}
