/**
 * The renderer in a real page, looked at: a rich answer (thought section,
 * math, table, code) in VS Code's light, dark and high-contrast colours, with
 * KaTeX's HTML output and, for comparison, MathML alone. Screenshots go to
 * test-results/render/ for a human to look at; the checks are what can be
 * measured: fonts loaded, nothing overflows the view, nothing foreign loaded.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {after, before, describe, test} from "node:test";
import type {Browser} from "playwright-core";
import {launchChromium} from "../support/chromium.ts";
import {bundleRenderTestPage, openRenderPage, projectRoot, type RenderPage} from "./support/renderPage.ts";
import {richAnswer, richThought} from "./support/sampleAnswers.ts";
import type {ThemeName} from "./support/vscodeThemes.ts";
import type {MathOutput} from "../../webview/render/index.ts";

const screenshotDir = path.join(projectRoot, "test-results/render");

let browser: Browser;
let script: string;

before(async () => {
    fs.mkdirSync(screenshotDir, {recursive: true});
    [browser, script] = await Promise.all([launchChromium(), bundleRenderTestPage()]);
});

after(async () => {
    await browser?.close();
});

/** Streams the sample thought and answer into the page as the chat view will. */
async function showRichAnswer(view: RenderPage, mathOutput: MathOutput): Promise<void> {
    await view.page.evaluate(async ({thought, answer, mathOutput}) => {
        const {MarkdownRenderer, StreamingRenderer, ThoughtSection} = window.astrosageRender;
        const root = document.getElementById("root")!;
        const renderer = new MarkdownRenderer({mathOutput});
        const section = new ThoughtSection(document, {renderer});
        const open = new ThoughtSection(document, {renderer});
        const answerElement = document.createElement("div");
        root.append(open.element, section.element, answerElement);
        const streaming = new StreamingRenderer(answerElement, {renderer});
        for (const chunk of thought.match(/[\s\S]{1,7}/g)!) {
            section.append(chunk);
            open.append(chunk);
        }
        section.finish({durationMs: 4_200, tokens: 312});
        for (const chunk of answer.match(/[\s\S]{1,5}/g)!)
            streaming.append(chunk);
        streaming.finish();
        // The second section stays open and streaming, to show both states.
        await new Promise(requestAnimationFrame);
        await document.fonts.ready;
    }, {thought: richThought, answer: richAnswer, mathOutput});
}

const cases: {theme: ThemeName; mathOutput: MathOutput}[] = [
    {theme: "dark", mathOutput: "htmlAndMathml"},
    {theme: "light", mathOutput: "htmlAndMathml"},
    {theme: "highContrast", mathOutput: "htmlAndMathml"},
    {theme: "dark", mathOutput: "mathml"},
    {theme: "light", mathOutput: "mathml"}
];

describe("the renderer in Chromium, looked at", () => {
    for (const {theme, mathOutput} of cases) {
        test(`a rich answer in the ${theme} theme, math as ${mathOutput}`, async () => {
            const view = await openRenderPage(browser, script, {
                theme,
                // MathML alone needs neither KaTeX's CSS nor inline styles.
                csp: mathOutput === "mathml" ? "webviewNoInlineStyle" : "webview",
                katexCss: mathOutput !== "mathml"
            });
            try {
                await showRichAnswer(view, mathOutput);
                const page = view.page;
                const file = path.join(screenshotDir, `answer-${theme}-${mathOutput}.png`);
                await page.screenshot({path: file, fullPage: true});

                const facts = await page.evaluate(() => ({
                    katexFont: document.fonts.check("16px KaTeX_Main") && [...document.fonts].some((font) => font.family.includes("KaTeX") && font.status === "loaded"),
                    pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                    codeButtons: [...document.querySelectorAll(".code-block .code-actions button")].map((button) => button.textContent),
                    displayMath: document.querySelectorAll(".math-display").length,
                    mathErrors: [...document.querySelectorAll(".math-error")].map((element) => element.textContent),
                    thoughtSummaries: [...document.querySelectorAll(".thought > summary")].map((summary) => summary.textContent),
                    thoughtOpen: [...document.querySelectorAll<HTMLDetailsElement>(".thought")].map((details) => details.open)
                }));
                assert.equal(facts.pageOverflow, 0, "the page never scrolls sideways: wide things scroll in their own boxes");
                assert.deepEqual(facts.codeButtons, ["Copy", "Insert"]);
                assert.equal(facts.displayMath, 2);
                assert.deepEqual(facts.mathErrors, []);
                assert.deepEqual(facts.thoughtSummaries, ["Thinking…", "Thought for 4.2 s · 312 tokens"]);
                assert.deepEqual(facts.thoughtOpen, [true, false]);
                if (mathOutput === "htmlAndMathml")
                    assert.ok(facts.katexFont, "KaTeX's fonts loaded from the page's own origin");
            } finally {
                await view.close();
            }
            assert.deepEqual(view.events.foreignRequests, []);
            assert.deepEqual(view.events.cspViolations, []);
            assert.deepEqual(view.events.pageErrors, []);
        });
    }

    test("a wide table and a long equation scroll in their own boxes, not the page", async () => {
        const view = await openRenderPage(browser, script, {viewport: {width: 320, height: 600}});
        try {
            const boxes = await view.page.evaluate((markdown) => {
                const root = document.getElementById("root")!;
                root.className = "markdown";
                root.innerHTML = window.astrosageRender.renderMarkdown(markdown);
                return {
                    pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                    scrolling: [...document.querySelectorAll<HTMLElement>(".table-scroll, .math-display")]
                        .map((box) => box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX === "auto")
                };
            }, [
                `| ${Array.from({length: 14}, (_, i) => `column ${i}`).join(" | ")} |`,
                `|${"---|".repeat(14)}`,
                `| ${Array.from({length: 14}, (_, i) => `value_${i}_with_no_break`).join(" | ")} |`,
                "",
                `$$ ${Array.from({length: 30}, (_, i) => `x_{${i}}`).join(" + ")} = \\sum_i x_i $$`
            ].join("\n"));
            assert.equal(boxes.pageOverflow, 0);
            assert.deepEqual(boxes.scrolling, [true, true]);
            await view.page.screenshot({path: path.join(screenshotDir, "wide-table-and-equation.png"), fullPage: true});
        } finally {
            await view.close();
        }
        assert.deepEqual(view.events.cspViolations, []);
    });
});
