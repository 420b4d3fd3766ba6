import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";
import { chromiumBin, extensionId, setupHint, testResultsDir } from "./paths.ts";

/** The VS Code web workbench in one headless Chromium page. */
export interface Workbench {
  readonly page: Page;
  /** Runs a command by its palette title, e.g. `"AstroSage: Restart Engine"`. */
  runCommand(title: string): Promise<void>;
  /** The labels of the palette rows shown for `>prefix`, e.g. `listCommands("AstroSage:")`. */
  listCommands(prefix: string): Promise<string[]>;
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

/** Flags that keep Chromium off the network and working as root (see the e2e notes). */
const chromiumFlags = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/**
 * Opens `url` (from `startCodeServer`) in a fresh headless Chromium and waits for
 * the workbench. Use one per server: a second page starts a second extension host.
 */
export async function openWorkbench(url: string, options: WorkbenchOptions = {}): Promise<Workbench> {
  if (!fs.existsSync(chromiumBin)) {
    throw new Error(`Chromium is not installed (expected ${chromiumBin}). ${setupHint}`);
  }
  // launch() gives Chromium a fresh temporary --user-data-dir of its own and
  // removes it on close. Crashpad still writes "Crash Reports" under
  // $XDG_CONFIG_HOME/chromium whatever the flags say, so that goes to scratch too.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "astrosage-chromium-"));
  const removeScratch = () => fs.rmSync(scratch, { recursive: true, force: true });
  const env = { ...process.env, XDG_CONFIG_HOME: scratch, XDG_CACHE_HOME: scratch };
  const browser = await chromium.launch({ executablePath: chromiumBin, headless: true, args: chromiumFlags, env })
    .catch((error: unknown) => {
      removeScratch();
      throw error;
    });
  browser.on("disconnected", removeScratch);
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
      await openPalette(page, `>${title}`);
      const row = paletteRows(page).filter({ has: page.locator(".label-name", { hasText: exactly(title) }) });
      await row.first().click();
    },
    listCommands: async (prefix) => {
      await openPalette(page, `>${prefix}`);
      await paletteRows(page).first().waitFor();
      const labels = await settled(() => page.locator(".quick-input-list .monaco-list-row .label-name").allTextContents());
      await page.keyboard.press("Escape");
      return labels;
    },
    openViewContainer: async (title) => {
      const item = page.locator(".part.activitybar li.action-item")
        .filter({ has: page.locator(`a.action-label[aria-label^="${title}"]`) }).first();
      // Clicking the entry of the container already shown would hide it.
      if ((await item.getAttribute("aria-selected")) !== "true") await item.click();
      await page.locator(".part.sidebar .composite.title", { hasText: new RegExp(escapeRegExp(title), "i") }).waitFor();
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
