/**
 * A page like the chat webview, for the renderer: the bundled renderer loaded
 * by nonce under the webview's Content Security Policy, render.css, KaTeX's CSS
 * and fonts, and VS Code's theme variables. Every file is served from memory at
 * https://webview.test/; any other request is recorded and refused, as are
 * dialogs, console messages, page errors and CSP violations, so a test can
 * check that model output ran nothing and loaded nothing.
 */
import {randomBytes} from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as esbuild from "esbuild";
import type {Browser, BrowserContext, Page} from "playwright-core";
import {themeBodyClass, themeStylesheet, type ThemeName} from "./vscodeThemes.ts";

export const projectRoot = path.resolve(__dirname, "../../..");
export const origin = "https://webview.test";
const katexDist = path.join(projectRoot, "node_modules/katex/dist");

/** Bundles a page script (an entry importing the renderer) for the browser, as scripts/build.mjs does. */
export async function bundlePageScript(entry: string): Promise<string> {
    const result = await esbuild.build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        platform: "browser",
        format: "iife",
        target: "es2022",
        logLevel: "warning",
        legalComments: "none"
    });
    return result.outputFiles[0].text;
}

/** The renderer's test page script: the renderer's API on `window.astrosageRender`. */
export function bundleRenderTestPage(): Promise<string> {
    return bundlePageScript(path.join(projectRoot, "test/browser/support/renderTestEntry.ts"));
}

export type RenderPageOptions = {
    /** Defaults to "dark". */
    theme?: ThemeName;
    /**
     * The Content Security Policy: "webview" is the chat view's, with inline
     * style attributes allowed (`style-src-attr 'unsafe-inline'`, for KaTeX's HTML
     * output; `<style>` elements stay blocked); "webviewNoInlineStyle" the same
     * without them; "none" sets none, to test the sanitizer without the CSP behind it.
     * Defaults to "webview".
     */
    csp?: "webview" | "webviewNoInlineStyle" | "none";
    /** Load KaTeX's stylesheet (and so its fonts). Defaults to true. */
    katexCss?: boolean;
    /** Defaults to 420 × 900, a wide sidebar. */
    viewport?: {width: number; height: number};
};

/** What the page did that model output must never make it do. */
export type PageEvents = {
    /** Requests for anything but the page's own files. */
    foreignRequests: string[];
    dialogs: string[];
    /** CSP violations the page reported (`securitypolicyviolation`). */
    cspViolations: string[];
    consoleMessages: string[];
    pageErrors: string[];
};

export type RenderPage = {context: BrowserContext; page: Page; events: PageEvents; close(): Promise<void>};

/**
 * Opens the test page with `script` as its only script. Before any page script,
 * `alert`, `confirm`, `prompt` and `print` are replaced by a canary that records
 * the call in `window.__xss`.
 */
export async function openRenderPage(browser: Browser, script: string, options: RenderPageOptions = {}): Promise<RenderPage> {
    const theme = options.theme ?? "dark";
    const nonce = randomBytes(18).toString("base64");
    const files = new Map<string, {body: string | Buffer; contentType: string}>([
        ["/", {body: pageHtml(nonce, theme, options), contentType: "text/html"}],
        ["/renderer.js", {body: script, contentType: "text/javascript"}],
        ["/render.css", {body: fs.readFileSync(path.join(projectRoot, "media/render.css")), contentType: "text/css"}],
        ["/theme.css", {body: themeStylesheet(theme), contentType: "text/css"}],
        ["/katex/katex.min.css", {body: fs.readFileSync(path.join(katexDist, "katex.min.css")), contentType: "text/css"}]
    ]);
    for (const font of fs.readdirSync(path.join(katexDist, "fonts")))
        files.set(`/katex/fonts/${font}`, {body: fs.readFileSync(path.join(katexDist, "fonts", font)), contentType: fontType(font)});

    const events: PageEvents = {foreignRequests: [], dialogs: [], cspViolations: [], consoleMessages: [], pageErrors: []};
    const context = await browser.newContext({viewport: options.viewport ?? {width: 420, height: 900}});
    await context.route("**/*", async (route) => {
        const url = new URL(route.request().url());
        const file = url.origin === origin ? files.get(url.pathname) : undefined;
        if (file == null) {
            events.foreignRequests.push(route.request().url());
            await route.abort("blockedbyclient");
        } else
            await route.fulfill({status: 200, contentType: file.contentType, body: file.body});
    });
    await context.addInitScript(canaryScript);
    const page = await context.newPage();
    page.on("dialog", (dialog) => {
        events.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
    });
    page.on("console", (message) => events.consoleMessages.push(`${message.type()}: ${message.text()}`));
    page.on("pageerror", (error) => events.pageErrors.push(error.message));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.astrosageRender != null);
    return {
        context,
        page,
        events,
        async close() {
            events.cspViolations.push(...await page.evaluate(() => (window as unknown as {__csp: string[]}).__csp).catch(() => []));
            await context.close();
        }
    };
}

/**
 * Runs before any page script. A string, not a function: tsx would add helpers
 * (`__name`) to a function's source that do not exist in the page.
 */
const canaryScript = `
window.__xss = [];
window.__csp = [];
for (const name of ["alert", "confirm", "prompt", "print"])
    window[name] = (...args) => { window.__xss.push(name + "(" + args.map(String).join(", ") + ")"); return null; };
document.addEventListener("securitypolicyviolation", (event) => window.__csp.push(event.violatedDirective + " " + event.blockedURI));
`;

function pageHtml(nonce: string, theme: ThemeName, options: RenderPageOptions): string {
    const csp = options.csp ?? "webview";
    const policy = [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src ${origin}`,
        ...csp === "webview" ? ["style-src-attr 'unsafe-inline'"] : [],
        `img-src ${origin} data:`,
        `font-src ${origin}`
    ].join("; ");
    const katex = options.katexCss ?? true ? `<link rel="stylesheet" href="${origin}/katex/katex.min.css">` : "";
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
${csp === "none" ? "" : `<meta http-equiv="Content-Security-Policy" content="${policy}">`}
${katex}
<link rel="stylesheet" href="${origin}/theme.css">
<link rel="stylesheet" href="${origin}/render.css">
<title>Renderer test page</title>
</head>
<body class="${themeBodyClass(theme)}">
<main id="root"></main>
<script nonce="${nonce}" src="${origin}/renderer.js"></script>
</body>
</html>`;
}

function fontType(file: string): string {
    return file.endsWith(".woff2") ? "font/woff2" : file.endsWith(".woff") ? "font/woff" : "font/ttf";
}
