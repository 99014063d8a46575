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

async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
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

export interface NotificationInfo {
  message: string;
  source: string | undefined;
  buttons: string[];
  /** Clicks one of this notification's buttons by its label. */
  click(button: string): Promise<void>;
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

  /** Labels of the rendered items (the list is virtualised: long lists show only what fits). */
  async items(): Promise<string[]> {
    const labels = await this.widget.locator('.quick-input-list .monaco-list-row .label-name').allTextContents();
    return labels.map((l) => normaliseText(l).trim());
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
    await lens.click();
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
    const result: NotificationInfo[] = [];
    for (const item of await items.all()) {
      const message = normaliseText(await item.locator('.notification-list-item-message').textContent()).trim();
      const sourceText = await item.locator('.notification-list-item-source').textContent().catch(() => null);
      const buttons = (await item.locator('.notification-list-item-buttons-container .monaco-button').allTextContents()).map((b) => b.trim());
      result.push({
        message,
        source: sourceText ? normaliseText(sourceText).replace(/^Source:\s*/, '').trim() : undefined,
        buttons,
        click: async (button: string) => {
          await item.locator('.notification-list-item-buttons-container .monaco-button', { hasText: button }).first().click();
        },
      });
    }
    return result;
  }

  async waitForNotification(matching: string | RegExp, timeoutMs = DEFAULT_TIMEOUT): Promise<NotificationInfo> {
    return poll(`notification ${matching}`, timeoutMs, async () => (await this.notifications()).find((n) => matches(n.message, matching)));
  }

  /** PNG into test-artifacts/screenshots/; returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(screenshotsDir, { recursive: true });
    const file = path.join(screenshotsDir, `${safeFileName(name)}.png`);
    await this.page.screenshot({ path: file, timeout: 15_000 });
    return file;
  }
}
