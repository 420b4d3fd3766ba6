import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Frame, Page } from "playwright-core";
import { launchChromium } from "../../support/chromium.ts";
import { extensionId, testResultsDir } from "./paths.ts";

/** The VS Code web workbench in one headless Chromium page. */
export interface Workbench {
  readonly page: Page;
  /** Runs a command by its palette title, e.g. `"AstroSage: Restart Engine"`. */
  runCommand(title: string): Promise<void>;
  /** The labels of the palette rows shown for `>prefix`, e.g. `listCommands("AstroSage:")`. */
  listCommands(prefix: string): Promise<string[]>;
  /** Opens a workspace file in an editor through Quick Open, by its file name. */
  openFile(name: string): Promise<void>;
  /** Shows the activity-bar view container titled `title`; does nothing if it is already shown. */
  openViewContainer(title: string): Promise<void>;
  /** The page of the extension's webview view (its inner frame). Defaults to the AstroSage extension. */
  chatFrame(ofExtension?: string): Promise<Frame>;
  /** Saves a screenshot to `test-results/<name>.png` and returns its path. */
  screenshot(name: string): Promise<string>;
  /** The texts of the notification toasts now shown. */
  notifications(): Promise<string[]>;
  /** Closes the browser. */
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /** Names the browser console log, `test-results/<name>-browser.log`. Defaults to `"e2e"`. */
  name?: string;
  /** The workbench counts as ready once this activity-bar entry is visible. Defaults to `"AstroSage"`. */
  activityBarEntry?: string;
  /** How long to wait for the workbench to be ready. Defaults to 60 s. */
  timeoutMs?: number;
}

/**
 * Opens `url` (from `startCodeServer`) in a fresh headless Chromium and waits for
 * the workbench. Use one per server: a second page starts a second extension host.
 */
export async function openWorkbench(url: string, options: WorkbenchOptions = {}): Promise<Workbench> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    logConsole(page, path.join(testResultsDir, `${options.name ?? "e2e"}-browser.log`));
    const timeout = options.timeoutMs ?? 60_000;
    await page.goto(url);
    await page.locator(".monaco-workbench").waitFor({ timeout });
    await activityBarEntry(page, options.activityBarEntry ?? "AstroSage").waitFor({ timeout });
    return workbenchOn(browser, page);
  } catch (error) {
    await browser.close();
    throw error;
  }
}

function workbenchOn(browser: Browser, page: Page): Workbench {
  return {
    page,
    runCommand: async (title) => {
      const row = paletteRows(page).filter({ has: page.locator(".label-name", { hasText: exactly(title) }) }).first();
      // The palette closes again when focus moves under it (an editor or a
      // webview taking focus just then): reopen it and try again.
      for (let attempt = 1; ; attempt++) {
        await openPalette(page, `>${title}`);
        try {
          await row.click({ timeout: attempt < 3 ? 5_000 : 30_000 });
          return;
        } catch (error) {
          if (attempt >= 3) throw error;
          await page.keyboard.press("Escape");
        }
      }
    },
    listCommands: async (prefix) => {
      await openPalette(page, `>${prefix}`);
      await paletteRows(page).first().waitFor();
      const labels = await settled(() => page.locator(".quick-input-list .monaco-list-row .label-name").allTextContents());
      await page.keyboard.press("Escape");
      return labels;
    },
    openFile: async (name) => {
      await openPalette(page, name);
      await paletteRows(page).filter({ has: page.locator(".label-name", { hasText: exactly(name) }) }).first().click();
      await page.locator(".tabs-container .tab.active", { hasText: name }).waitFor();
    },
    openViewContainer: async (title) => {
      const item = page.locator(".part.activitybar li.action-item")
        .filter({ has: page.locator(`a.action-label[aria-label^="${title}"]`) }).first();
      const shownTitle = page.locator(".part.sidebar .composite.title", { hasText: new RegExp(escapeRegExp(title), "i") });
      // Clicking the entry of the container already shown would hide it; and
      // after a reload the workbench may still be restoring it, so look again.
      for (let attempt = 1; ; attempt++) {
        if (!(await shownTitle.isVisible()) && (attempt > 1 || (await item.getAttribute("aria-selected")) !== "true")) await item.click();
        try {
          await shownTitle.waitFor({ timeout: attempt < 3 ? 5_000 : 30_000 });
          return;
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    },
    chatFrame: (ofExtension = extensionId) => webviewFrame(page, ofExtension),
    screenshot: async (name) => {
      const file = path.join(testResultsDir, `${name}.png`);
      fs.mkdirSync(testResultsDir, { recursive: true });
      await page.screenshot({ path: file });
      return file;
    },
    notifications: () => page.locator(".notifications-toasts .notification-toast .notification-list-item-message").allTextContents(),
    close: () => browser.close(),
  };
}

/** Keeps the console of the workbench and its webviews, where their errors go, for diagnosis. */
function logConsole(page: Page, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "");
  page.on("console", (message) => fs.appendFileSync(file, `[${message.type()}] ${message.text()}\n`));
  page.on("pageerror", (error) => fs.appendFileSync(file, `[pageerror] ${error.stack ?? error.message}\n`));
}

function activityBarEntry(page: Page, title: string) {
  return page.locator(`.part.activitybar a.action-label[aria-label^="${title}"]`).first();
}

function paletteRows(page: Page) {
  return page.locator(".quick-input-widget .quick-input-list .monaco-list-row");
}

async function openPalette(page: Page, text: string): Promise<void> {
  const input = page.locator(".quick-input-widget .quick-input-box input");
  // F1 is lost while focus is inside a webview's iframe or while the workbench
  // is still restoring focus, so retry a few times before giving up.
  for (let attempt = 0; attempt < 5 && !(await input.isVisible()); attempt++) {
    await page.keyboard.press("F1");
    await input.waitFor({ timeout: 2_000 }).catch(() => undefined);
    // The command center in the title bar opens Quick Open whatever has focus.
    if (!(await input.isVisible())) {
      await page.locator(".command-center .command-center-center").first().click({ timeout: 2_000 }).catch(() => undefined);
      await input.waitFor({ timeout: 2_000 }).catch(() => undefined);
    }
  }
  await input.fill(text);
}

/** Reads `read()` until two reads 300 ms apart agree, as the palette may add rows in stages. */
async function settled(read: () => Promise<string[]>): Promise<string[]> {
  let previous = await read();
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const current = await read();
    if (current.join("\n") === previous.join("\n")) return current;
    previous = current;
  }
  return previous;
}

/**
 * A webview is two nested iframes: the outer one (one per webview, tagged with
 * the extension's id) and the inner `#active-frame`, which holds the page itself.
 */
async function webviewFrame(page: Page, ofExtension: string): Promise<Frame> {
  const outer = page.locator(`iframe.webview.ready[src*="extensionId=${ofExtension}"]`).first();
  const outerFrame = await (await outer.elementHandle({ timeout: 30_000 }))?.contentFrame();
  if (!outerFrame) throw new Error(`The webview of ${ofExtension} has no frame`);
  const inner = await outerFrame.waitForSelector("iframe#active-frame", { state: "attached", timeout: 30_000 });
  const frame = await inner.contentFrame();
  if (!frame) throw new Error(`The webview of ${ofExtension} has no active frame`);
  await frame.waitForLoadState("domcontentloaded");
  return frame;
}

function exactly(text: string): RegExp {
  return new RegExp(`^${escapeRegExp(text)}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
