/**
 * The streaming renderer's promise, checked in Chromium: any way of cutting a
 * message into chunks gives the same DOM as rendering it whole. fast-check
 * picks the cuts (and when frames run between chunks) over representative
 * answers and over random strings of markdown's tricky characters; a failure
 * is shrunk to a small message and cutting, printed with the seed to replay.
 * The seed is fixed so runs repeat; set ASTROSAGE_FAST_CHECK_SEED to explore.
 *
 * Then what a reader sees while a message streams: a fence or math block is
 * that block from its first line on, and finished blocks stay put.
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import fc from "fast-check";
import type {Browser} from "playwright-core";
import {launchChromium} from "../support/chromium.ts";
import {bundleRenderTestPage, openRenderPage, type RenderPage} from "./support/renderPage.ts";
import type {FramePlan} from "./support/renderTestEntry.ts";

const seed = Number(process.env.ASTROSAGE_FAST_CHECK_SEED ?? 20_260_501);

let browser: Browser;
let view: RenderPage;

before(async () => {
    let script: string;
    [browser, script] = await Promise.all([launchChromium(), bundleRenderTestPage()]);
    view = await openRenderPage(browser, script);
    await view.page.evaluate(() => {
        window.streamingProbe = new window.StreamingProbe();
    });
});

after(async () => {
    await view?.close();
    await browser?.close();
});

/** Answers as AstroSage writes them, each with a construct streaming could get wrong. */
const messages: Record<string, string> = {
    prose: "The **Hubble constant** $H_0 \\approx 70\\,\\mathrm{km\\,s^{-1}\\,Mpc^{-1}}$ sets the expansion rate.\nA second line of the *same* paragraph.\n\nA new paragraph: costs $5 and $10, `echo $HOME`.\n",
    lists: "Steps:\n\n1. Bias-subtract\n2. Flat-field\n   - dome flats\n   - sky flats\n3. Stack\n\n- [ ] calibrate\n- [x] reduce\n\n10. starts at ten\n",
    table: "| Star | $M/M_\\odot$ | Type |\n|:-----|------:|:----:|\n| Sun | 1 | G2V |\n| Sirius A | 2.06 | A1V |\n\nAfter the table.",
    closedFence: "Run this:\n\n```python\nimport numpy as np\n\n# a comment, not a heading\nprint(np.pi)\n```\n\nThen `np.e`.\n",
    unclosedFence: "Partial code:\n\n~~~bash\nexport A=$B\n\n| not | a table |\n",
    mathBlocks: "Energy:\n\n$$\nE = mc^2\n$$\n\n\\[\n\\frac{GM}{r^2}\n\\]\n\n\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}\nDone.",
    dollarsGrowingInline: "$$x^2$$ is inline here, then text.\n\n$$y$$\n\n$$\nunclosed display",
    crlf: "Line one\r\nline two\r\n\r\n- item\r\n- item\r\n\r\n```\r\ncode\r\n```\r\n\r\n$$\r\nx\r\n$$\r\n",
    thought: "Okay, so the user asks about Cepheids. <think>nested?</think>\n\nFirst, the period–luminosity relation: $M_V = -2.43(\\log P - 1) - 4.05$.\n\nWait, let me check the units… Hmm.\n\n> quoting the paper\n> more\n\n---\n\nSo the answer is ~$10\\,\\mathrm{kpc}$.",
    headings: "Title\n=====\n\nSubtitle\n---\n\n# ATX\n\nText\n| a | b |\n|---|---|\n| 1 | 2 |\n\nPara\n- list interrupts\n",
    links: "See [ADS](https://ui.adsabs.harvard.edu/) and ![plot](https://example.org/p.png).\n\n[ref]: https://example.org\n\n[x](javascript:alert(1)) <https://arxiv.org>",
    rawHtml: "<details><summary>x</summary>\n\n<b>bold?</b>\n\n</details>\n\n<script>alert(1)</script>",
    emphasisAroundMath: "*see $a*b$ now* and _rate $\\dot{M}_\\mathrm{acc}$ high_ ~about $10~\\mathrm{km}$~",
    // Once found by this test: each rendered differently whole and streamed.
    referenceAfterUse: "[x]: https://a.example\n$[x]: https://a.example\n",
    setextBelowMath: "$\n\\begin{equation}\r$$$$\r===",
    delimiterRowLookalike: "|---|---|\n$|---|---|\n- [ ] ",
    indentedLineJoined: "$\n    |---|---|\n- \n",
    setextAfterFalseMathStart: "A\n$$x$$ y\nmore\n=== z\n\n<div>\n$$x$$$\n\\]\n  - $\n\\frac{\n"
};

/** Random text from the characters (and a few character groups) that make markdown tricky. */
const trickyText = fc.string({
    unit: fc.oneof(
        {weight: 4, arbitrary: fc.constantFrom("$", "`", "\n", "|", "-", "#", "\\", "[", "]", "(", ")", "*", " ", "a", "x", "M", "1", "2")},
        {weight: 1, arbitrary: fc.constantFrom("```", "$$", "\r\n", "\\[", "\\]", "\\(", "\\)", "\\begin{align}", "\\end{align}", "_", "~", ">", "=", "1. ", "- ", "|---|", "\n\n", "    ")}
    ),
    maxLength: 60
});

/** Random lines, each a block start (or none) and tricky text, for bugs in block structure. */
const trickyLines = fc.array(
    fc.tuple(
        fc.constantFrom("", "", "# ", "- ", "1. ", "> ", "    ", "| ", "|---|---|", "---", "===", "```", "~~~", "$$", "\\[", "\\begin{equation}", "[x]: https://a.example"),
        trickyText.map((text) => text.slice(0, 12)),
        fc.constantFrom("\n", "\n", "\n\n", "\r\n")
    ).map((parts) => parts.join("")),
    {maxLength: 8}
).map((lines) => lines.join(""));

/** `text` cut at up to twelve places. */
function cuttings(text: string): fc.Arbitrary<string[]> {
    return fc.uniqueArray(fc.integer({min: 1, max: Math.max(1, text.length - 1)}), {maxLength: Math.min(12, text.length)}).map((cuts) => {
        const points = [0, ...cuts.filter((cut) => cut < text.length).sort((a, b) => a - b), text.length];
        return points.slice(1).map((end, index) => text.slice(points[index], end)).filter((chunk) => chunk !== "");
    });
}

/** Frames at every append, or after some chunks only. */
const framePlans: fc.Arbitrary<FramePlan> = fc.oneof(fc.constant("sync" as const), fc.array(fc.boolean(), {minLength: 1, maxLength: 13}));

async function compare(chunks: readonly string[], frames: FramePlan): Promise<{whole: string; streamed: string}> {
    return view.page.evaluate(({chunks, frames}) => window.streamingProbe!.compare(chunks, frames), {chunks, frames});
}

/** A property over a message and its cutting: the streamed DOM is the whole one. */
function sameDom(texts: fc.Arbitrary<string>): fc.IAsyncPropertyWithHooks<[[string, string[]], FramePlan]> {
    return fc.asyncProperty(texts.chain((text) => fc.tuple(fc.constant(text), cuttings(text))), framePlans, async ([text, chunks], frames) => {
        const {whole, streamed} = await compare(chunks, frames);
        assert.equal(streamed, whole, `streaming ${JSON.stringify(chunks)} (${JSON.stringify(frames)}) differs from rendering ${JSON.stringify(text)} whole`);
    });
}

describe("streamed in any chunks, a message renders as it does whole", () => {
    test("representative answers, cut anywhere", async () => {
        await fc.assert(sameDom(fc.constantFrom(...Object.values(messages))), {seed, numRuns: 400});
    });

    test("representative answers, one character at a time", async () => {
        for (const [name, text] of Object.entries(messages)) {
            for (const frames of ["sync", [false, false, true]] as const) {
                const {whole, streamed} = await compare([...text], frames);
                assert.equal(streamed, whole, `${name}, ${JSON.stringify(frames)}`);
            }
        }
    });

    test("random strings of tricky characters, cut anywhere", async () => {
        await fc.assert(sameDom(trickyText), {seed, numRuns: 1000});
    });

    test("random lines of block starts and tricky characters, cut anywhere", async () => {
        await fc.assert(sameDom(trickyLines), {seed, numRuns: 1000});
    });

    test("the comparison can fail: rendering a different text is noticed", async () => {
        const {whole} = await compare(["$$x$$"], "sync");
        const {streamed} = await compare(["$$x$$ y"], "sync");
        assert.notEqual(streamed, whole);
    });
});

/**
 * Per chunk streamed: the container's top-level elements (tag.firstClass),
 * the text of the last one's code or math, and whether the first element is
 * the same node as after the chunk before.
 */
type Snapshot = {shape: string[]; lastText: string; firstNodeKept: boolean};

async function snapshots(chunks: readonly string[]): Promise<Snapshot[]> {
    return view.page.evaluate((chunks) => {
        const taken: {shape: string[]; lastText: string; firstNodeKept: boolean}[] = [];
        let first: Element | null = null;
        window.streamingProbe!.stream(chunks, "sync", (container) => {
            // The blocks, finished ones inside their `.finished-segment` groups.
            const blocks = [...container.children].flatMap((child) => child.classList.contains("finished-segment") ? [...child.children] : [child]);
            const last = blocks.at(-1);
            taken.push({
                shape: blocks.map((child) => `${child.localName}.${child.classList[0] ?? ""}`),
                lastText: last?.querySelector("pre code, .katex-mathml")?.textContent ?? last?.textContent ?? "",
                firstNodeKept: blocks[0] === first
            });
            first = blocks[0] ?? null;
        });
        return taken;
    }, chunks);
}

/** Tokens as a model sends them. */
const fencedAnswer = ["Here", " is", " the", " code", ":\n\n", "```", "python", "\n", "import", " numpy", " as", " np", "\n", "print", "(", "np", ".pi", ")", "\n", "```", "\n\n", "Done", "."];
const mathAnswer = ["The", " field", ":\n\n", "$$", "\n", "E", " =", " m", "c", "^2", "\n", "$$", "\n\n", "and", " more", "."];

describe("while a message streams", () => {
    test("a code fence is a code block from its opening backticks on, its code only growing", async () => {
        const taken = await snapshots(fencedAnswer);
        const opened = fencedAnswer.indexOf("```");
        const closed = fencedAnswer.lastIndexOf("```");
        for (const [index, snapshot] of taken.entries()) {
            // Finished once the fence's first line is complete, the paragraph is not rendered again.
            if (index > opened + 2)
                assert.ok(snapshot.firstNodeKept, `the first paragraph was rendered again at chunk ${index}`);
            if (index < opened)
                assert.deepEqual(snapshot.shape, ["p."], `chunk ${index}`);
            else if (index <= closed + 1)
                assert.deepEqual(snapshot.shape, ["p.", "div.code-block"], `chunk ${index}`);
        }
        const code = taken.slice(opened, closed + 1).map((snapshot) => snapshot.lastText);
        assert.deepEqual(code.slice(0, 4), ["", "", "", "import"]);
        for (let i = 1; i < code.length; i++)
            assert.ok(code[i].startsWith(code[i - 1]), `code shrank from ${JSON.stringify(code[i - 1])} to ${JSON.stringify(code[i])}`);
        assert.equal(code.at(-1), "import numpy as np\nprint(np.pi)");
        assert.deepEqual(taken.at(-1)!.shape, ["p.", "div.code-block", "p."]);
    });

    test("a code fence cut anywhere never shows its backticks as text", async () => {
        const text = fencedAnswer.join("");
        const taken = await snapshots([...text]);
        const fenceStart = text.indexOf("```");
        for (const [index, snapshot] of taken.entries()) {
            if (index >= fenceStart + 2)
                assert.equal(snapshot.shape[1], "div.code-block", `after ${JSON.stringify(text.slice(0, index + 1))}`);
        }
    });

    test("a math block is a display block from its $$ on, and renders once closed", async () => {
        const taken = await snapshots(mathAnswer);
        const opened = mathAnswer.indexOf("$$");
        for (const [index, snapshot] of taken.entries()) {
            if (index > opened + 1)
                assert.ok(snapshot.firstNodeKept, `the first paragraph was rendered again at chunk ${index}`);
            if (index >= opened)
                assert.equal(snapshot.shape[1], "div.math-display", `chunk ${index}`);
        }
        assert.equal(taken[mathAnswer.indexOf("^2")].lastText, "E=mc2", "an unclosed block renders what it has");
        assert.deepEqual(taken.at(-1)!.shape, ["p.", "div.math-display", "p."]);
    });

    test("with the page's own animation frames", async () => {
        // No named functions in here: tsx would wrap them in a helper the page lacks.
        const result = await view.page.evaluate(async (chunks) => {
            const {MarkdownRenderer, StreamingRenderer} = window.astrosageRender;
            const renderer = new MarkdownRenderer();
            const container = document.createElement("div");
            document.getElementById("root")!.append(container);
            const streaming = new StreamingRenderer(container, {renderer});
            const seen: string[] = [];
            let renderedAtOnce = 0;
            for (const chunk of chunks) {
                const before = container.innerHTML;
                streaming.append(chunk);
                if (container.innerHTML !== before)
                    renderedAtOnce++;
                await new Promise(requestAnimationFrame);
                seen.push(container.lastElementChild?.className ?? "");
            }
            streaming.finish();
            const whole = document.createElement("div");
            whole.append(renderer.renderFragment(chunks.join("")));
            container.remove();
            for (const segment of container.querySelectorAll(":scope > .finished-segment"))
                segment.replaceWith(...segment.childNodes);
            return {seen, renderedAtOnce, same: container.innerHTML === whole.innerHTML};
        }, mathAnswer);
        assert.ok(result.same);
        // Each chunk shows at the next frame, not at once.
        assert.equal(result.renderedAtOnce, 0);
        assert.deepEqual(result.seen.slice(0, 4), ["", "", "", "math-display"]);
    });

    test("nothing foreign was loaded and nothing went wrong in the page", () => {
        assert.deepEqual(view.events.foreignRequests, []);
        assert.deepEqual(view.events.pageErrors, []);
        assert.deepEqual(view.events.dialogs, []);
    });
});
