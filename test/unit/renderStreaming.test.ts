/**
 * The streaming renderer's bookkeeping, in plain Node on jsdom: which blocks
 * are finished, CR LF split between chunks, and the cases that once made a
 * streamed message end up unlike the whole one. The property itself (any
 * cutting gives the whole message's DOM) runs in Chromium:
 * test/browser/renderStreaming.test.ts.
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {JSDOM} from "jsdom";
import {splitFinishedBlocks} from "../../webview/render/finishedBlocks.ts";
import {MarkdownRenderer} from "../../webview/render/MarkdownRenderer.ts";
import {StreamingRenderer} from "../../webview/render/StreamingRenderer.ts";

const {window} = new JSDOM("<!DOCTYPE html><body></body>");
const renderer = new MarkdownRenderer({window: window as unknown as Window});

/**
 * The sources of the finished blocks of `text`, still streaming, less their
 * trailing line breaks (which marked gives to one block or the space after it).
 */
function finished(text: string, atEnd = false): string[] {
    return splitFinishedBlocks(text, renderer.blocks(text), atEnd).finished.map((block) => block.raw.trimEnd());
}

function whole(markdown: string): string {
    const container = window.document.createElement("div");
    container.append(renderer.renderFragment(markdown));
    return container.innerHTML;
}

/** Streams `chunks`, rendering after each, and returns the container. */
function stream(chunks: readonly string[], finish = true): HTMLElement {
    const container = window.document.createElement("div");
    const streaming = new StreamingRenderer(container, {renderer, scheduleFrame: (update) => update()});
    for (const chunk of chunks)
        streaming.append(chunk);
    if (finish)
        streaming.finish();
    return withoutSegments(container);
}

/** The streamed blocks as the whole render has them: without the `.finished-segment` groups around them. */
function withoutSegments(container: HTMLElement): HTMLElement {
    for (const segment of container.querySelectorAll(":scope > .finished-segment"))
        segment.replaceWith(...segment.childNodes);
    return container;
}

describe("finished blocks", () => {
    test("a block is finished once the next has a complete first line", () => {
        assert.deepEqual(finished("# Title\n\nPara"), []);
        assert.deepEqual(finished("# Title\n\nPara\n"), ["# Title"]);
        assert.deepEqual(finished("Para\n\n- a\n- b\n\n1"), ["Para"]);
    });

    test("after a paragraph, once it has two", () => {
        // "|-|\nb|c\n-" is a paragraph and a heading, until "- x" rejoins "b|c" to the paragraph.
        assert.deepEqual(finished("|-|\nb|c\n-"), []);
        assert.deepEqual(finished("|-|\nb|c\n- x"), []);
        assert.deepEqual(finished("Para\n# Heading\n"), []);
        assert.deepEqual(finished("Para\n# Heading\nmore"), []);
        assert.deepEqual(finished("Para\n# Heading\nmore\n"), ["Para", "# Heading"]);
    });

    test("nothing after an open fence or math block is finished", () => {
        assert.deepEqual(finished("Intro\n\n```python\nx = 1\n\n# comment\n\ny = 2\n"), ["Intro"]);
        assert.deepEqual(finished("Intro\n\n$$\nx\n\ny\n"), ["Intro"]);
        assert.deepEqual(finished("Intro\n\n$$\nx\n$$\n\nAfter\n"), ["Intro", "$$\nx\n$$"]);
    });

    test("at the end, every block is", () => {
        assert.deepEqual(finished("# T\n\nPara", true), ["# T", "Para"]);
    });
});

describe("StreamingRenderer", () => {
    test("a CR LF cut between chunks is one line break", () => {
        const container = window.document.createElement("div");
        const streaming = new StreamingRenderer(container, {renderer, scheduleFrame: (update) => update()});
        streaming.append("a\r");
        assert.equal(streaming.markdown, "a\n");
        streaming.append("\nb\r\n\r");
        streaming.append("\n- c\r");
        streaming.finish();
        assert.equal(streaming.markdown, "a\nb\n\n- c\n");
        assert.equal(withoutSegments(container).innerHTML, whole("a\nb\n\n- c\n"));
    });

    test("renders after what the container holds, and marks it as markdown", () => {
        const container = window.document.createElement("div");
        container.append(window.document.createElement("hr"));
        const streaming = new StreamingRenderer(container, {renderer, scheduleFrame: (update) => update()});
        streaming.append("Hi");
        streaming.finish();
        assert.equal(container.className, "markdown");
        assert.equal(container.innerHTML, "<hr><div class=\"finished-segment\"><p>Hi</p>\n</div>");
    });

    test("half-written TeX in the open block shows the formula's last good rendering, not its source", () => {
        const container = window.document.createElement("div");
        const streaming = new StreamingRenderer(container, {renderer, scheduleFrame: (update) => update()});
        const tokens = ["Energy:\n\n", "$$\n", "E", " =", " \\frac", "{m", " c^2}", "{\\sqrt", "{1", " -", " v^2", "/c^2}}", "\n$$", "\n\nDone."];
        const shown: string[] = [];
        for (const token of tokens) {
            streaming.append(token);
            const display = container.querySelector(".math-display");
            shown.push(display == null ? "none" : display.querySelector(".math-error") != null ? "source" : display.querySelector(".katex") != null ? "math" : "empty");
        }
        const firstMath = shown.indexOf("math");
        assert.ok(firstMath >= 0, shown.join(" "));
        assert.deepEqual(shown.slice(firstMath).filter((state) => state !== "math"), [], `flipped back to source: ${shown.join(" ")}`);
        streaming.finish();
        assert.ok(container.querySelector(".math-display .katex") != null);
    });

    test("a closing fence arriving a backtick at a time never shows inside the code", () => {
        const container = window.document.createElement("div");
        const streaming = new StreamingRenderer(container, {renderer, scheduleFrame: (update) => update()});
        const codes: string[] = [];
        for (const token of ["```python\n", "x = 1\n", "`", "`", "`", "\n", "Done."]) {
            streaming.append(token);
            codes.push(container.querySelector("pre code")?.textContent ?? "");
        }
        assert.deepEqual(codes.slice(1, 5), ["x = 1", "x = 1", "x = 1", "x = 1"]);
        streaming.finish();
        assert.equal(container.querySelector("pre code")?.textContent?.trimEnd(), "x = 1");
    });

    test("a formula that never parses ends as its source", () => {
        const container = window.document.createElement("div");
        const streaming = new StreamingRenderer(container, {renderer, scheduleFrame: (update) => update()});
        for (const token of ["$$\n", "x", " +", " \\frac{1}{", "\n$$"])
            streaming.append(token);
        streaming.finish();
        assert.equal(container.querySelector(".math-display .math-error")?.textContent, "$$\nx + \\frac{1}{\n$$");
    });

    test("finished blocks go into groups of 20, which the page can skip while off screen", () => {
        const container = window.document.createElement("div");
        const streaming = new StreamingRenderer(container, {renderer, scheduleFrame: (update) => update()});
        const paragraphs = Array.from({length: 45}, (_, index) => `Paragraph ${index + 1}.\n\n`);
        for (const paragraph of paragraphs)
            streaming.append(paragraph);
        // The last paragraph is still open: it may yet go on.
        assert.deepEqual([...container.children].map((child) => child.className || child.localName), ["finished-segment", "finished-segment", "finished-segment", "p"]);
        streaming.finish();
        assert.deepEqual([...container.children].map((child) => child.childElementCount), [20, 20, 5]);
        assert.equal(withoutSegments(container).innerHTML, whole(paragraphs.join("")));
    });

    test("calls onRender after each update and takes no text after finish", () => {
        let renders = 0;
        const container = window.document.createElement("div");
        const streaming = new StreamingRenderer(container, {renderer, scheduleFrame: (update) => update(), onRender: () => renders++});
        streaming.append("a");
        streaming.append("");
        streaming.append("b");
        streaming.finish();
        streaming.finish();
        assert.equal(renders, 3);
        assert.throws(() => streaming.append("c"), /append after finish/);
    });

    test("finished blocks are kept, not rendered again", () => {
        const container = window.document.createElement("div");
        const streaming = new StreamingRenderer(container, {renderer, scheduleFrame: (update) => update()});
        streaming.append("# Title\n\nFirst para.\n\nSec");
        const heading = container.querySelector("h1");
        const open = container.querySelectorAll("p")[1];
        assert.equal(open.textContent, "Sec");
        streaming.append("ond para.");
        streaming.finish();
        assert.equal(container.querySelector("h1"), heading);
        assert.equal(open.isConnected, false, "the open block is replaced at each update");
        assert.deepEqual([...container.querySelectorAll("p")].map((p) => p.textContent), ["First para.", "Second para."]);
    });

    // Cases the property test found: each rendered one way whole and another streamed.
    const regressions: {name: string; chunks: string[]}[] = [
        {name: "a reference definition before the paragraph that uses it", chunks: ["[x]: https://a.example\n", "See [x].\n"]},
        {name: "a setext underline below block math", chunks: ["$\n\\begin{equation}\r$", "$$$\r==="]},
        {name: "a table delimiter look-alike that turns out to be a list", chunks: ["|---|---|\n$|---|---|\n-", " [ ] "]},
        {name: "an indented line marked joins to the paragraph before", chunks: ["$\n    |---|---|\n- \n"]},
        {name: "a setext underline below a line that looks like block math but is not", chunks: ["A\n$$x$$ y\nmore\n=", "== z"]},
        {name: "a false start of block math, then a setext underline", chunks: ["<div>\n$$x$$$\n\\]\n  -", " $\n\\frac{\n"]}
    ];
    for (const {name, chunks} of regressions) {
        test(`streamed as whole: ${name}`, () => {
            assert.equal(stream(chunks).innerHTML, whole(chunks.join("")));
            assert.equal(stream([...chunks.join("")]).innerHTML, whole(chunks.join("")));
        });
    }
});
