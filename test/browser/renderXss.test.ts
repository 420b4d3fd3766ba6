/**
 * Every XSS payload of test/fixtures/xss/, rendered as model output in a real
 * Chromium page, must run no script and load nothing. Each payload goes in
 * several markdown contexts (as text, link, image, math, table cell, code fence
 * info string, quote) through both of the renderer's paths (the HTML string set
 * as innerHTML, and StreamingRenderer's fragments).
 *
 * Twice: under the chat view's Content Security Policy (what users get), and
 * with no CSP at all, so that a payload the sanitizer let through would really
 * run and trip the canaries rather than be stopped by the CSP behind it. The
 * streamed path runs once, without the CSP: the stricter of the two, and
 * streaming 26,000 payloads costs minutes per pass.
 *
 * What counts as a failure: a dialog; a call to the canary `alert`, `confirm`,
 * `prompt` or `print`; a request for anything but the page's own files; a CSP
 * violation; a page error; and, in the DOM, any element or attribute that could
 * run, load, embed or clobber (xssProbe.ts).
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import type {Browser} from "playwright-core";
import {launchChromium} from "../support/chromium.ts";
import {bundleRenderTestPage, openRenderPage, type RenderPage} from "./support/renderPage.ts";
import {dompurifyPayloads, inContexts, intruderPayloads, markdownItPayloads, rendererPayloads, writeUpDocuments, type Payload} from "./support/xssPayloads.ts";
import type {RenderPath} from "./support/xssProbe.ts";

const batchSize = 400;

let browser: Browser;
let script: string;

before(async () => {
    [browser, script] = await Promise.all([launchChromium(), bundleRenderTestPage()]);
});

after(async () => {
    await browser?.close();
});

/**
 * Renders `payloads` in batches, lets event handlers and loads have their
 * chance (two frames and a pause), and returns every problem found.
 */
async function renderAll(view: RenderPage, payloads: readonly Payload[], path: RenderPath, macros?: Record<string, string>): Promise<string[]> {
    const problems: string[] = [];
    await view.page.evaluate((macros) => {
        window.xssProbe = new window.XssProbe(document.getElementById("root")!, {macros});
    }, macros);
    for (let start = 0; start < payloads.length; start += batchSize) {
        const batch = payloads.slice(start, start + batchSize);
        const found = await view.page.evaluate(async ({texts, path}) => {
            const probe = window.xssProbe!;
            probe.render(texts, path);
            await new Promise(requestAnimationFrame);
            await new Promise(requestAnimationFrame);
            await new Promise((resolve) => setTimeout(resolve, 30));
            const problems = probe.findProblems();
            const canary = (window as unknown as {__xss: string[]}).__xss.splice(0);
            probe.clear();
            return {problems, canary};
        }, {texts: batch.map((payload) => payload.text), path});
        for (const {index, problems: list} of found.problems)
            problems.push(`${batch[index].source}: ${list.join(", ")} in ${JSON.stringify(batch[index].text).slice(0, 120)}`);
        if (found.canary.length > 0)
            problems.push(`canary called in batch at ${batch[0].source}: ${found.canary.join("; ")}`);
    }
    return problems;
}

function assertNothingHappened(view: RenderPage, problems: string[]): void {
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
    assert.deepEqual(view.events.dialogs, []);
    assert.deepEqual(view.events.foreignRequests, []);
    assert.deepEqual(view.events.cspViolations, []);
    assert.deepEqual(view.events.pageErrors, []);
}

const linePayloads = [...dompurifyPayloads(), ...markdownItPayloads(), ...intruderPayloads(), ...rendererPayloads];
const contextual = linePayloads.flatMap((payload) =>
    inContexts(payload.text).map((text, context) => ({source: `${payload.source} [context ${context}]`, text})));

describe("XSS payloads rendered as model output in Chromium", () => {
    test("the fixtures are all there", () => {
        assert.equal(dompurifyPayloads().length, 223);
        assert.ok(markdownItPayloads().length >= 10, `markdown-it cases: ${markdownItPayloads().length}`);
        assert.ok(intruderPayloads().length > 2_500, `Intruders lines: ${intruderPayloads().length}`);
        assert.equal(writeUpDocuments().length, 6);
    });

    for (const csp of ["webview", "none"] as const) {
        for (const path of csp === "none" ? ["innerHTML", "stream"] as const : ["innerHTML"] as const) {
            test(`${contextual.length} payload contexts, ${path}, ${csp === "none" ? "no CSP (the sanitizer alone)" : "the webview's CSP"}`, async () => {
                const view = await openRenderPage(browser, script, {csp});
                let problems: string[];
                try {
                    problems = await renderAll(view, contextual, path);
                } finally {
                    await view.close();
                }
                assertNothingHappened(view, problems);
            });
        }

        test(`the write-ups, streamed in chunks, ${csp === "none" ? "no CSP" : "the webview's CSP"}`, async () => {
            const view = await openRenderPage(browser, script, {csp});
            let problems: string[];
            try {
                problems = [...await renderAll(view, writeUpDocuments(), "stream"), ...await renderAll(view, writeUpDocuments(), "innerHTML")];
            } finally {
                await view.close();
            }
            assertNothingHappened(view, problems);
        });
    }

    test("LaTeX macros from a manuscript cannot smuggle in what KaTeX refuses", async () => {
        const view = await openRenderPage(browser, script, {csp: "none"});
        const macros = {
            "\\evil": "\\href{javascript:alert(1)}{x}",
            "\\load": "\\includegraphics{https://evil.test/x.png}",
            "\\loop": "\\loop",
            "\\style": "\\htmlStyle{position:fixed;inset:0}{x}"
        };
        let problems: string[];
        try {
            problems = await renderAll(view, ["$\\evil$", "$\\load$", "$\\loop$", "$$\\style$$"].map((text) => ({source: "macros", text})), "stream", macros);
        } finally {
            await view.close();
        }
        assertNothingHappened(view, problems);
    });
});
