// Page-object for the real VS Code workbench (code-server in Chromium), driven
// through the DOM like a person: keyboard, clicks, and what is on screen.
import * as fs from 'fs';
import * as path from 'path';
import { Locator, Page } from 'playwright-core';
import { safeFileName, screenshotsDir } from '../host/paths';

const DEFAULT_TIMEOUT = 20_000;

// tsconfig has no DOM lib: the few browser-side shapes used in evaluate() callbacks.
interface BrowserGlobal {
  navigator: { clipboard: { writeText(text: string): Promise<void>; readText(): Promise<string> } };
}
interface SelectLike {
  selectedOptions: ArrayLike<{ text: string }>;
}

/** VS Code renders spaces in editor lines as U+00A0. */
function normaliseText(text: string | null | undefined): string {
  return (text ?? '').replace(/\u00a0/g, ' ');
}

function matches(text: string, matcher: string | RegExp): boolean {
  return typeof matcher === 'string' ? text.includes(matcher) : matcher.test(text);
}

export async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A modal dialog (`.monaco-dialog-box`), e.g. from showWarningMessage(…, { modal: true }). */
export interface DialogInfo {
  message: string;
  detail: string;
  buttons: string[];
  /** Clicks one of its buttons by label and waits for the dialog to close. */
  click(button: string): Promise<void>;
}

export interface NotificationInfo {
  message: string;
  source: string | undefined;
  buttons: string[];
  /** Clicks one of this notification's buttons by its label. */
  click(button: string): Promise<void>;
}

/** One rendered QuickPick row. */
export interface QuickPickRow {
  label: string;
  description: string;
  /** The focused row, which Enter accepts. */
  active: boolean;
}

/** One row of a tree view (e.g. the Runs view). */
export interface TreeRow {
  label: string;
  description: string;
  /** The row's codicon, e.g. "error", "pass", "sync". */
  icon: string;
}

/** The QuickPick / InputBox widget (`.quick-input-widget`), shared by the palette and extensions. */
export class QuickInput {
  constructor(private readonly page: Page) {}

  get widget(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  get input(): Locator {
    return this.widget.locator('.quick-input-box input');
  }

  async isOpen(): Promise<boolean> {
    return this.widget.isVisible();
  }

  async waitOpen(timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    await this.widget.waitFor({ state: 'visible', timeout: timeoutMs });
  }

  async waitClosed(timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    await this.widget.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /** Waits until the widget shows this title (without the "(2/4)" step suffix). */
  async waitForTitle(title: string | RegExp, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    await poll(`quick input titled ${title}`, timeoutMs, async () => {
      const current = (await this.isOpen()) ? await this.title() : undefined;
      return current !== undefined && (typeof title === 'string' ? current === title : title.test(current)) ? true : undefined;
    });
  }

  private async rawTitle(): Promise<string | undefined> {
    const titleElement = this.widget.locator('.quick-input-title');
    if (!(await titleElement.isVisible())) return undefined;
    const text = normaliseText(await titleElement.textContent()).trim();
    return text || undefined;
  }

  /** The label of the row the keyboard is on (what Enter would pick). */
  async activeItem(): Promise<string | undefined> {
    const label = this.widget.locator('.quick-input-list .monaco-list-row.focused .label-name').first();
    return (await label.count()) ? normaliseText(await label.textContent()).trim() : undefined;
  }

  /** Waits until the widget shows this step ("2/4"): after Enter, the next step replaces the widget's content. */
  async waitForStep(step: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    await poll(`quick input step ${step}`, timeoutMs, async () => ((await this.isOpen()) && (await this.step()) === step ? true : undefined));
  }

  /** Title without the step counter VS Code appends ("Title (2/4)"). */
  async title(): Promise<string | undefined> {
    const raw = await this.rawTitle();
    if (raw === undefined) return undefined;
    const title = raw.replace(/\s*\(\d+\/\d+\)$/, '').replace(/^\d+\/\d+$/, '');
    return title || undefined;
  }

  /** The step text, e.g. "2/4", or undefined when the input has no steps. */
  async step(): Promise<string | undefined> {
    return /(\d+\/\d+)\)?$/.exec((await this.rawTitle()) ?? '')?.[1];
  }

  async placeholder(): Promise<string> {
    return (await this.input.getAttribute('placeholder')) ?? '';
  }

  /** Waits until the open input shows this placeholder: a new step of a multi-step input has replaced the old one. */
  async waitForPlaceholder(matcher: string | RegExp, timeoutMs = DEFAULT_TIMEOUT): Promise<string> {
    return poll(`quick input placeholder ${matcher}`, timeoutMs, async () => {
      const placeholder = (await this.isOpen()) ? await this.placeholder() : undefined;
      return placeholder !== undefined && matches(placeholder, matcher) ? placeholder : undefined;
    });
  }

  /**
   * Chooses a file in VS Code's simple file dialog (what showOpenDialog shows in the browser):
   * a quick input with a path box, a listing and an OK button. Types the absolute path and accepts it.
   */
  async chooseInFileDialog(absolutePath: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    const name = path.posix.basename(absolutePath);
    // Ready once it lists its start folder; typing earlier is overwritten by the dialog's own start path.
    await this.widget.locator('.quick-input-action .monaco-button').filter({ visible: true }).first().waitFor({ state: 'visible', timeout: timeoutMs });
    await poll('the file dialog to list its start folder', timeoutMs, async () => ((await this.items()).length > 0 ? true : undefined));
    await this.input.fill(absolutePath);
    await poll(`the file dialog to list ${absolutePath}`, timeoutMs, async () =>
      (await this.value()) === absolutePath && (await this.items()).includes(name) ? true : undefined,
    );
    await this.input.press('Enter');
    // The dialog is gone when the widget closes or shows what comes next (e.g. the following step).
    await poll('the file dialog to close', timeoutMs, async () => (!(await this.isOpen()) || (await this.value()) !== absolutePath ? true : undefined));
  }

  async value(): Promise<string> {
    return this.input.inputValue();
  }

  /** The InputBox prompt shown under the input (VS Code's "(Press 'Enter'…)" hint removed). */
  async prompt(): Promise<string | undefined> {
    if (await this.validationMessage()) return undefined;
    const message = this.widget.locator('.quick-input-message');
    if (!(await message.isVisible())) return undefined;
    const text = normaliseText(await message.textContent()).replace(/\s*\(Press 'Enter' to confirm or 'Escape' to cancel\)\s*$/, '').trim();
    return text || undefined;
  }

  /** The validation message when the input box is in an error/warning/info state. */
  async validationMessage(): Promise<string | undefined> {
    const box = this.widget.locator('.quick-input-box .monaco-inputbox');
    const className = (await box.getAttribute('class')) ?? '';
    if (!/\b(error|warning|info)\b/.test(className)) return undefined;
    const text = normaliseText(await this.widget.locator('.quick-input-message').textContent()).trim();
    return text || undefined;
  }

  async waitForValidationMessage(matcher: string | RegExp = /./, timeoutMs = DEFAULT_TIMEOUT): Promise<string> {
    return poll(`validation message ${matcher}`, timeoutMs, async () => {
      const message = await this.validationMessage();
      return message !== undefined && matches(message, matcher) ? message : undefined;
    });
  }

  /** Waits until the input box shows no validation message (validation runs in the extension host). */
  async waitForValidationCleared(timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    await poll('the validation message to clear', timeoutMs, async () => ((await this.validationMessage()) === undefined ? true : undefined));
  }

  /**
   * Labels of the rendered items (the list is virtualised: long lists show only what fits).
   * Only each row's first label: an item's detail line is a second, possibly hidden, label.
   */
  async items(): Promise<string[]> {
    return (await this.rows()).map((row) => row.label);
  }

  /** The rendered rows in list order, with descriptions and which one is active (focused: what Enter accepts). */
  async rows(): Promise<QuickPickRow[]> {
    // One read in the page: the list re-renders while it filters, so rows may come and go between reads.
    const rows = await this.widget.locator('.quick-input-list .monaco-list-row').evaluateAll((nodes) =>
      nodes.map((n) => ({
        index: Number(n.getAttribute('data-index')),
        label: n.querySelector('.label-name')?.textContent ?? '',
        description: n.querySelector('.label-description')?.textContent ?? '',
        active: (n.getAttribute('class') ?? '').split(/\s+/).includes('focused'),
      })),
    );
    return rows
      .sort((a, b) => a.index - b.index)
      .map(({ label, description, active }) => ({ label: normaliseText(label).trim(), description: normaliseText(description).trim(), active }));
  }

  /** Types a filter and waits until the rendered labels are exactly `expected` (filtering is asynchronous). */
  async filterTo(text: string, expected: string[], timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    await this.type(text);
    let shown: string[] = [];
    await poll(`the filter "${text}" to show ${expected.join(', ')}`, timeoutMs, async () => {
      shown = await this.items();
      return shown.join('\n') === expected.join('\n') ? true : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; shown: ${shown.join(' | ') || '(nothing)'}`);
    });
  }

  /** Clicks a title-bar button (e.g. an extension's QuickInputButton) by its tooltip. */
  async clickButton(tooltip: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    const button = this.widget.locator(`.quick-input-titlebar .action-label[aria-label^="${tooltip.replace(/"/g, '\\"')}"]`).first();
    await button.waitFor({ state: 'visible', timeout: timeoutMs });
    await button.click();
  }

  private row(label: string): Locator {
    return this.widget
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) });
  }

  /** Replaces the input's text, as if typed. */
  async type(text: string): Promise<void> {
    await this.waitOpen();
    await this.input.fill(text);
  }

  /** Picks the item with exactly this label: clicks it, filtering by typing first if it is not rendered. */
  async pick(label: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    await this.waitOpen(timeoutMs);
    const row = this.row(label).first();
    if (!(await row.isVisible())) {
      await this.input.fill(label);
    }
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
  }

  async accept(): Promise<void> {
    await this.input.press('Enter');
  }

  async escape(): Promise<void> {
    await this.input.press('Escape');
    await this.waitClosed();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Workbench {
  readonly quickPick: QuickInput;

  constructor(readonly page: Page) {
    this.quickPick = new QuickInput(page);
  }

  /** Opens the workbench URL and waits until it answers the keyboard. */
  static async open(page: Page, url: string, timeoutMs = 90_000): Promise<Workbench> {
    const workbench = new Workbench(page);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await workbench.waitReady(timeoutMs);
    return workbench;
  }

  /**
   * Ready = the workbench is laid out (status bar and editor area visible) and
   * the command palette opens on F1, i.e. keybindings and quick input are live.
   */
  async waitReady(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const remaining = () => Math.max(1000, deadline - Date.now());
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: remaining() });
    await this.page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: remaining() });
    await poll('the command palette to open on F1', remaining(), async () => {
      await this.page.keyboard.press('F1');
      try {
        await this.quickPick.widget.waitFor({ state: 'visible', timeout: 2000 });
      } catch {
        return undefined;
      }
      return (await this.quickPick.value()).startsWith('>') ? true : undefined;
    });
    await this.quickPick.escape();
  }

  /**
   * Opens an installed extension's page from the Extensions view and reads the README there: its heading
   * and, for each image, its alt text and whether it loaded. The README is in a webview, a frame of its own.
   */
  async readExtensionPage(displayName: string, timeoutMs = DEFAULT_TIMEOUT): Promise<{ heading: string; images: { alt: string; loaded: boolean }[] }> {
    // The Extensions view registers its commands a moment after the workbench is ready: try again until then.
    await poll('Extensions: Show Installed Extensions to run', timeoutMs, () => this.runCommand('Extensions: Show Installed Extensions', 5_000).then(() => true));
    const row = this.page.locator('.extensions-viewlet .monaco-list-row', { hasText: displayName }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
    const readme = async () => {
      for (const frame of this.page.frames()) {
        const heading = await frame.locator('h1').first().textContent({ timeout: 200 }).catch(() => undefined);
        if (!heading?.includes(displayName)) continue;
        const images = await frame.locator('img').evaluateAll((nodes) =>
          nodes.map((node) => {
            const image = node as unknown as { alt: string; complete: boolean; naturalWidth: number };
            return { alt: image.alt, complete: image.complete, loaded: image.complete && image.naturalWidth > 0 };
          }),
        );
        if (images.every((image) => image.complete)) return { heading, images: images.map(({ alt, loaded }) => ({ alt, loaded })) };
      }
      return undefined;
    };
    return poll(`the README of ${displayName} in its extension page`, timeoutMs, readme);
  }

  /** F1, type the command's title, Enter (clicks the row when it is not the focused one). */
  async runCommand(title: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    if (await this.quickPick.isOpen()) await this.quickPick.escape();
    await this.page.keyboard.press('F1');
    await this.quickPick.waitOpen(timeoutMs);
    await this.quickPick.input.fill(`>${title}`);
    const row = this.quickPick.widget
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }) })
      .first();
    try {
      await row.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      const offered = await this.quickPick.items();
      await this.screenshot(`command-not-found-${title}`);
      throw new Error(`command "${title}" is not in the palette; it offers: ${offered.join(' | ') || '(nothing)'}`);
    }
    if ((await row.getAttribute('class'))?.split(/\s+/).includes('focused')) {
      await this.quickPick.input.press('Enter');
    } else {
      await row.click();
    }
    // Either the palette closed or the command replaced it with its own quick input.
    await poll(`the palette to take "${title}"`, timeoutMs, async () =>
      !(await this.quickPick.isOpen()) || (await this.quickPick.value()) !== `>${title}` ? true : undefined,
    );
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor. */
  async openFile(relativePath: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    const baseName = path.posix.basename(relativePath);
    const dirName = path.posix.dirname(relativePath);
    if (await this.quickPick.isOpen()) await this.quickPick.escape();
    await this.page.keyboard.press('Control+P');
    await this.quickPick.waitOpen(timeoutMs);
    await this.quickPick.input.fill(relativePath);
    let row = this.quickPick.widget
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(baseName)}\\s*$`) }) });
    if (dirName !== '.') {
      row = row.filter({ has: this.page.locator('.label-description', { hasText: dirName }) });
    }
    await row.first().waitFor({ state: 'visible', timeout: timeoutMs });
    await row.first().click();
    await this.page
      .locator(`.monaco-editor[data-uri$="/${encodeURI(relativePath).replace(/"/g, '\\"')}"]`)
      .first()
      .waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** The active editor's rendered lines (a long file shows only what is scrolled into view). */
  async activeEditorText(): Promise<string> {
    const editor = this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
    await editor.waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
    const lines = await editor.locator('.view-lines .view-line').evaluateAll((nodes) =>
      nodes
        .map((n) => ({ top: parseFloat((n as unknown as { style: { top: string } }).style.top) || 0, text: n.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
    return normaliseText(lines.join('\n'));
  }

  async waitForEditorText(matcher: string | RegExp, timeoutMs = DEFAULT_TIMEOUT): Promise<string> {
    return poll(`editor text ${matcher}`, timeoutMs, async () => {
      const text = await this.activeEditorText();
      return matches(text, matcher) ? text : undefined;
    });
  }

  /** Clicks the first CodeLens whose text contains (or matches) `text`. */
  async clickCodeLens(text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    const lens = this.page.locator('.editor-group-container.active .codelens-decoration a', { hasText: text }).first();
    await lens.waitFor({ state: 'visible', timeout: timeoutMs });
    // A hover left by the pointer (a side bar item's tooltip) can cover the lens: move away and retry.
    await poll(`a click on the CodeLens ${text}`, timeoutMs, async () => {
      try {
        await lens.click({ timeout: 2_000 });
        return true;
      } catch (error) {
        await this.page.mouse.move(640, 5);
        await this.page.keyboard.press('Escape');
        throw error;
      }
    });
  }

  async waitForCodeLens(text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    await this.page.locator('.editor-group-container.active .codelens-decoration a', { hasText: text }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** CodeLens texts rendered in the active editor right now (CodeLenses arrive asynchronously: wait first). */
  async codeLenses(): Promise<string[]> {
    const texts = await this.page.locator('.editor-group-container.active .codelens-decoration a').allTextContents();
    return texts.map((t) => normaliseText(t).trim());
  }

  /**
   * The whole text of an Output channel. The Output view renders only the lines
   * in view, so this selects all in its editor, copies, and reads the clipboard;
   * it waits until two reads agree so lines still arriving are not cut off.
   */
  async readOutputChannel(name: string, timeoutMs = DEFAULT_TIMEOUT): Promise<string> {
    const origin = new URL(this.page.url()).origin;
    await this.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const select = this.page.locator('.part.panel select[aria-label="Switch Output"]:visible');
    if (!(await select.isVisible())) {
      await this.runCommand('Output: Focus on Output View');
      await select.waitFor({ state: 'visible', timeout: timeoutMs });
    }
    const outputEditor = this.page.locator('.part.panel .monaco-editor[data-uri^="output:"]').first();
    const uriBefore = (await outputEditor.getAttribute('data-uri').catch(() => null)) ?? '';
    const selectedLabel = () => select.evaluate((s) => (s as unknown as SelectLike).selectedOptions[0]?.text ?? '');
    if ((await selectedLabel()) !== name) {
      await poll(`output channel "${name}" in the channel list`, timeoutMs, async () =>
        (await select.locator('option').allTextContents()).includes(name) ? true : undefined,
      ).catch(async (error: Error) => {
        const offered = await select.locator('option').allTextContents();
        throw new Error(`${error.message}; channels: ${offered.join(' | ')}`);
      });
      await select.selectOption({ label: name });
      await poll(`the Output view to switch to "${name}"`, timeoutMs, async () =>
        (await outputEditor.getAttribute('data-uri')) !== uriBefore ? true : undefined,
      );
    }
    let previous: string | undefined;
    return poll(`a stable read of output channel "${name}"`, timeoutMs, async () => {
      const text = await this.copyAllFrom(outputEditor);
      if (text === previous) return text;
      previous = text;
      await new Promise((r) => setTimeout(r, 250));
      return undefined;
    });
  }

  private async copyAllFrom(editor: Locator): Promise<string> {
    const sentinel = `\u0000empty-${Date.now()}`;
    await this.page.evaluate((s) => (globalThis as unknown as BrowserGlobal).navigator.clipboard.writeText(s), sentinel);
    // Click inside the visible viewport; .view-lines spans the whole (scrolled) document.
    await editor.click({ position: { x: 80, y: 8 } });
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Control+C');
    const text = await poll('the clipboard to receive the copy', 5000, async () => {
      const clip = await this.page.evaluate(() => (globalThis as unknown as BrowserGlobal).navigator.clipboard.readText());
      return clip === sentinel ? undefined : clip;
    }).catch(() => '');
    return normaliseText(text).replace(/\r\n/g, '\n');
  }

  /**
   * Shows the Explorer and expands the folders down to a workspace-relative path; returns the
   * path's row (not clicked, so the active editor stays what it was).
   */
  async revealInExplorer(relativePath: string, timeoutMs = DEFAULT_TIMEOUT): Promise<Locator> {
    const tree = this.page.locator('.explorer-folders-view');
    if (!(await tree.isVisible())) {
      await this.runCommand('View: Show Explorer');
      await tree.waitFor({ state: 'visible', timeout: timeoutMs });
    }
    const segments = relativePath.split('/');
    let row: Locator | undefined;
    for (const [depth, segment] of segments.entries()) {
      row = tree.locator(`.monaco-list-row[aria-level="${depth + 1}"][aria-label="${segment.replace(/"/g, '\\"')}"]`).first();
      await row.waitFor({ state: 'visible', timeout: timeoutMs });
      if (depth < segments.length - 1 && (await row.getAttribute('aria-expanded')) === 'false') {
        await row.locator('.monaco-tl-twistie').click();
        await poll(`${segment} to expand in the Explorer`, timeoutMs, async () => ((await row!.getAttribute('aria-expanded')) === 'true' ? true : undefined));
      }
    }
    return row!;
  }

  private get contextMenu(): Locator {
    return this.page.locator('.context-view .monaco-menu').first();
  }

  /** Right-clicks an element and returns the labels of the context menu it opens (separators left out). */
  async openContextMenu(target: Locator, timeoutMs = DEFAULT_TIMEOUT): Promise<string[]> {
    if (await this.contextMenu.isVisible()) await this.closeContextMenu();
    await target.click({ button: 'right' });
    await this.contextMenu.waitFor({ state: 'visible', timeout: timeoutMs });
    const labels = await this.contextMenu.locator('.action-menu-item .action-label').allTextContents();
    return labels.map((label) => normaliseText(label).trim()).filter(Boolean);
  }

  /** Clicks an item of the open context menu by its exact label. */
  async clickContextMenuItem(label: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    await this.contextMenu
      .locator('.action-menu-item', { has: this.page.locator('.action-label', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
      .first()
      .click({ timeout: timeoutMs });
    await this.contextMenu.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  async closeContextMenu(timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.contextMenu.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /** Waits for a modal dialog and reads it. */
  async waitForDialog(timeoutMs = DEFAULT_TIMEOUT): Promise<DialogInfo> {
    const box = this.page.locator('.monaco-dialog-box').first();
    await box.waitFor({ state: 'visible', timeout: timeoutMs });
    const text = async (selector: string) => {
      const element = box.locator(selector).first();
      return (await element.count()) ? normaliseText(await element.textContent()).trim() : '';
    };
    const buttons = box.locator('.dialog-buttons .monaco-button');
    return {
      message: await text('.dialog-message-text'),
      detail: await text('.dialog-message-detail'),
      buttons: (await buttons.allTextContents()).map((b) => normaliseText(b).trim()),
      click: async (label: string) => {
        await buttons.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }).first().click({ timeout: timeoutMs });
        await box.waitFor({ state: 'hidden', timeout: timeoutMs });
      },
    };
  }

  /** Is a modal dialog showing right now? */
  async isDialogOpen(): Promise<boolean> {
    return this.page.locator('.monaco-dialog-box').first().isVisible();
  }

  private get editorTabLocator(): Locator {
    return this.page.locator('.editor-group-container.active .tab[role="tab"]');
  }

  /** Names of the active editor group's tabs, in order (an untitled editor is named after its first line). */
  async editorTabs(): Promise<string[]> {
    const names = await this.editorTabLocator.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''));
    return names.map((name) => normaliseText(name).trim());
  }

  /** Name of the active group's active tab: the editor a person sees in front. */
  async activeEditorTab(): Promise<string | undefined> {
    const tab = this.page.locator('.editor-group-container.active .tab.active[role="tab"]').first();
    return (await tab.count()) ? normaliseText(await tab.getAttribute('aria-label')).trim() : undefined;
  }

  /** Clicks the active group's tab with this name, making its editor the active one. */
  async clickEditorTab(name: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    const tab = this.editorTabLocator.and(this.page.locator(`[aria-label="${name.replace(/"/g, '\\"')}"]`)).first();
    await tab.click({ timeout: timeoutMs });
    await this.page.locator('.editor-group-container.active .tab.active[role="tab"]').and(this.page.locator(`[aria-label="${name.replace(/"/g, '\\"')}"]`)).waitFor({ timeout: timeoutMs });
  }

  /** Types at the end of the active editor, as a person would (the editor may auto-indent). */
  async typeAtEndOfActiveEditor(text: string): Promise<void> {
    const editor = this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').click();
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.type(text);
  }

  /**
   * Saves the active editor, which has unsaved changes: Ctrl+S, then waits until its tab no longer
   * shows them. Needs "files.autoSave": "off" (in the browser VS Code defaults to saving after a
   * short delay, and then never shows a tab as unsaved).
   */
  async saveActiveEditor(timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    const dirtyTab = this.page.locator('.editor-group-container.active .tab.active.dirty[role="tab"]');
    await dirtyTab.waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.keyboard.press('Control+S');
    await dirtyTab.waitFor({ state: 'detached', timeout: timeoutMs });
  }

  /** Codicon names (e.g. "sync", "modifier-spin") inside the first status bar item whose text or label matches. */
  async statusBarIcons(matching: string | RegExp): Promise<string[]> {
    for (const item of await this.page.locator('.part.statusbar .statusbar-item').all()) {
      const text = normaliseText(await item.textContent()).trim();
      const label = (await item.getAttribute('aria-label')) ?? '';
      if (matches(text, matching) || matches(label, matching)) {
        const classes = await item.locator('.codicon').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('class') ?? ''));
        return classes.flatMap((c) => c.split(/\s+/)).filter((c) => c.startsWith('codicon-')).map((c) => c.slice('codicon-'.length));
      }
    }
    return [];
  }

  /** Clicks the first status bar item whose text or accessible label matches. */
  async clickStatusBarItem(matching: string | RegExp, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    const item = await poll(`status bar item ${matching} to click`, timeoutMs, async () => {
      for (const candidate of await this.page.locator('.part.statusbar .statusbar-item').all()) {
        const text = normaliseText(await candidate.textContent()).trim();
        const label = (await candidate.getAttribute('aria-label')) ?? '';
        if (matches(text, matching) || matches(label, matching)) return candidate;
      }
      return undefined;
    });
    await item.locator('a, .statusbar-item-label').first().click();
  }

  /** Text of the first status bar item whose text or accessible label matches; undefined if none. */
  async statusBarText(matching: string | RegExp): Promise<string | undefined> {
    const items = await this.page.locator('.part.statusbar .statusbar-item').evaluateAll((nodes) =>
      nodes.map((n) => ({ text: (n.textContent ?? '').trim(), label: n.getAttribute('aria-label') ?? '' })),
    );
    const hit = items.find((i) => matches(normaliseText(i.text), matching) || matches(i.label, matching));
    return hit && normaliseText(hit.text);
  }

  async waitForStatusBar(matching: string | RegExp, timeoutMs = DEFAULT_TIMEOUT): Promise<string> {
    return poll(`status bar item ${matching}`, timeoutMs, () => this.statusBarText(matching));
  }

  /**
   * Visible notifications with their buttons. Toasts first; if none are showing
   * (VS Code hides toasts with the smoke-test driver on, and toasts time out),
   * the Notifications center is opened and read instead.
   */
  async notifications(): Promise<NotificationInfo[]> {
    let items = this.page.locator('.notifications-toasts.visible .notification-toast .notification-list-item');
    if ((await items.count()) === 0) {
      const center = this.page.locator('.notifications-center.visible');
      if (!(await center.isVisible())) {
        await this.runCommand('Notifications: Show Notifications');
        await center.waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
      }
      items = center.locator('.notification-list-item');
    }
    // One read of the whole list: notifications come and go while it is read, so reading item by item
    // can wait on an item that has just left.
    const read = await items.evaluateAll((nodes) =>
      nodes.map((node) => ({
        message: node.querySelector('.notification-list-item-message')?.textContent ?? '',
        source: node.querySelector('.notification-list-item-source')?.textContent ?? '',
        buttons: [...node.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map((b) => (b.textContent ?? '').trim()),
      })),
    );
    return read.map(({ message, source, buttons }) => {
      const text = normaliseText(message).trim();
      return {
        message: text,
        source: source ? normaliseText(source).replace(/^Source:\s*/, '').trim() : undefined,
        buttons,
        click: async (button: string) => {
          const item = items.filter({ has: this.page.locator('.notification-list-item-message', { hasText: text }) }).first();
          await item.locator('.notification-list-item-buttons-container .monaco-button', { hasText: button }).first().click();
        },
      };
    });
  }

  async waitForNotification(matching: string | RegExp, timeoutMs = DEFAULT_TIMEOUT): Promise<NotificationInfo> {
    return poll(`notification ${matching}`, timeoutMs, async () => (await this.notifications()).find((n) => matches(n.message, matching)));
  }

  /** Developer: Reload Window, then waits until the new workbench answers the keyboard again. */
  async reloadWindow(timeoutMs = 90_000): Promise<void> {
    const title = 'Developer: Reload Window';
    // Not runCommand: it watches the palette afterwards, and the page goes away.
    await this.page.keyboard.press('F1');
    await this.quickPick.waitOpen();
    await this.quickPick.input.fill(`>${title}`);
    await poll(`"${title}" at the top of the palette`, DEFAULT_TIMEOUT, async () => ((await this.quickPick.activeItem()) === title ? true : undefined));
    await Promise.all([this.page.waitForEvent('load', { timeout: timeoutMs }), this.quickPick.input.press('Enter')]);
    await this.waitReady(timeoutMs);
  }

  /** The side bar's tree of a view (e.g. "Runs"), opened from its activity bar icon when not showing. */
  async openViewFromActivityBar(container: string, view: string, timeoutMs = DEFAULT_TIMEOUT): Promise<Locator> {
    const pane = this.page.locator(`.part.sidebar .pane:has(.pane-header[aria-label^="${view.replace(/"/g, '\\"')}"])`).first();
    const icon = this.page.locator(`.part.activitybar .action-item:has(a.action-label[aria-label^="${container.replace(/"/g, '\\"')}"])`).first();
    // The icon toggles: after a reload the container may already be open with its panes not yet drawn,
    // and a click then would close it. Click only while the container is not the open one.
    return poll(`the ${view} view`, timeoutMs, async () => {
      if (await pane.isVisible()) return pane;
      if (!/\bchecked\b/.test((await icon.getAttribute('class', { timeout: 1_000 })) ?? '')) {
        await icon.click({ timeout: 1_000 });
      }
      await pane.waitFor({ state: 'visible', timeout: 1_000 }).catch(() => undefined);
      return (await pane.isVisible()) ? pane : undefined;
    });
  }

  /** Drags the side bar's edge so the side bar is about `width` pixels wide (e.g. so a tree's descriptions fit). */
  async resizeSideBar(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) throw new Error('the side bar is not showing');
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width + 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** The rows of a tree view, top to bottom: label, description and codicon of each. */
  async treeRows(pane: Locator): Promise<TreeRow[]> {
    const rows = await pane.locator('.monaco-list-row').evaluateAll((nodes) =>
      nodes.map((n) => ({
        index: Number(n.getAttribute('data-index')),
        label: n.querySelector('.label-name')?.textContent ?? '',
        description: n.querySelector('.label-description')?.textContent ?? '',
        icon: (/(?:^|\s)codicon-([\w-]+)/.exec(n.querySelector('.custom-view-tree-node-item-icon')?.getAttribute('class') ?? '') ?? [])[1] ?? '',
      })),
    );
    return rows
      .sort((a, b) => a.index - b.index)
      .map(({ label, description, icon }) => ({ label: normaliseText(label).trim(), description: normaliseText(description).trim(), icon }));
  }

  /** PNG of the top of one part of the page (e.g. the editor area) into test-artifacts/screenshots/; returns its path. */
  async screenshotOf(target: Locator, name: string, maxHeight = Infinity): Promise<string> {
    const box = await target.boundingBox();
    if (!box) throw new Error(`nothing to take a screenshot of for ${name}`);
    fs.mkdirSync(screenshotsDir, { recursive: true });
    const file = path.join(screenshotsDir, `${safeFileName(name)}.png`);
    await this.page.screenshot({ path: file, timeout: 15_000, clip: { ...box, height: Math.min(box.height, maxHeight) } });
    return file;
  }

  /** PNG into test-artifacts/screenshots/; returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(screenshotsDir, { recursive: true });
    const file = path.join(screenshotsDir, `${safeFileName(name)}.png`);
    await this.page.screenshot({ path: file, timeout: 15_000 });
    return file;
  }
}
