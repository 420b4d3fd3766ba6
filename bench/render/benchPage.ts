/**
 * The benchmark's page script, bundled by esbuild and loaded into the
 * renderer's test page (test/browser/support/renderPage.ts): the webview's CSP,
 * render.css, KaTeX's CSS and fonts, VS Code's theme. It streams an answer
 * into a message the way the chat view does and times every frame.
 *
 * The message sits in a scroll container kept scrolled to its end after each
 * token, as MessageList does while the user follows an answer, so every frame
 * lays out and paints the newest text rather than content below the fold.
 */
import {MarkdownRenderer} from "../../webview/render/index.ts";
// The test page's own script: openRenderPage waits for the `window.astrosageRender` it sets.
import "../../test/browser/support/renderTestEntry.ts";
import type {RenderBenchApi} from "./benchProtocol.ts";
import {BenchSession} from "./BenchSession.ts";

const scroller = document.getElementById("root")!;
// Set through the CSSOM, which the page's CSP allows (it blocks <style> elements).
scroller.style.height = "100vh";
scroller.style.overflowY = "auto";
// One renderer per page, shared by every message, as the chat view shares it.
const renderer = new MarkdownRenderer();

let session: BenchSession | undefined;

function current(): BenchSession {
    if (session == null)
        throw new Error("No benchmark message is open: call open() first");
    return session;
}

const api: RenderBenchApi = {
    get progress() {
        return session?.progress ?? 0;
    },

    async warmUp(request) {
        const warmUp = new BenchSession(scroller, renderer, request);
        await warmUp.streamTo(warmUp.chunkCount);
        await warmUp.close();
        scroller.replaceChildren();
        // KaTeX's fonts load on first use; a font arriving mid-run would re-lay out the message.
        await document.fonts.ready;
    },

    open(request) {
        session = new BenchSession(scroller, renderer, request);
        return session.chunkCount;
    },

    streamTo: (chunk) => current().streamTo(chunk),

    async close() {
        const timings = await current().close();
        session = undefined;
        return timings;
    }
};

window.renderBench = api;
