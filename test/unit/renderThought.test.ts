/**
 * The reasoning section, in plain Node on jsdom: "Thinking…" with the text
 * live while it streams; then "Thought for 4.2 s · 312 tokens", folded, left
 * open or hidden as the setting says, and left as the user toggled it.
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {JSDOM} from "jsdom";
import {describeThought} from "../../webview/render/describeThought.ts";
import {MarkdownRenderer} from "../../webview/render/MarkdownRenderer.ts";
import {ThoughtSection, type ThoughtSectionOptions} from "../../webview/render/ThoughtSection.ts";

const {window} = new JSDOM("<!DOCTYPE html><body></body>");
const {document} = window;
const renderer = new MarkdownRenderer({window: window as unknown as Window});

/** A section that renders each chunk at once, put in the page. */
function section(options: ThoughtSectionOptions = {}): {thought: ThoughtSection; summary: HTMLElement; content: HTMLElement} {
    const thought = new ThoughtSection(document as unknown as Document, {renderer, scheduleFrame: (update) => update(), ...options});
    document.body.append(thought.element);
    return {thought, summary: thought.element.querySelector("summary")!, content: thought.element.querySelector(".thought-content")!};
}

describe("ThoughtSection while it streams", () => {
    test("is open, says \"Thinking…\" and shows the text so far, rendered", () => {
        const {thought, summary, content} = section();
        assert.equal(thought.element.localName, "details");
        assert.equal(thought.element.className, "thought streaming");
        assert.equal(thought.element.open, true);
        assert.equal(thought.element.hidden, false);
        assert.equal(summary.textContent, "Thinking…");

        thought.append("Checking the **units**: ");
        assert.equal(content.querySelector("strong")?.textContent, "units");
        thought.append("$1\\,\\mathrm{pc} \\approx 3.09\\times10^{16}$ m");
        assert.ok(content.querySelector(".katex"));
        assert.equal(summary.textContent, "Thinking…");
        assert.equal(thought.element.open, true);
    });

    test("renders at the next frame, not at each chunk", () => {
        const frames: (() => void)[] = [];
        const {thought, content} = section({scheduleFrame: (update) => frames.push(update)});
        thought.append("First ");
        thought.append("words.");
        assert.equal(content.textContent, "");
        assert.equal(frames.length, 1);
        frames.shift()!();
        assert.equal(content.textContent, "First words.\n");
    });
});

describe("ThoughtSection finished", () => {
    test("says how long it thought and how many tokens, and folds", () => {
        const {thought, summary, content} = section();
        thought.append("Distance modulus first.");
        thought.finish({durationMs: 4200, tokens: 312});
        assert.equal(summary.textContent, "Thought for 4.2 s · 312 tokens");
        assert.equal(thought.element.open, false);
        assert.equal(thought.element.hidden, false);
        assert.equal(thought.element.className, "thought");
        assert.equal(content.textContent, "Distance modulus first.\n");
    });

    test("renders text that had not reached a frame yet", () => {
        const {thought, content} = section({scheduleFrame: () => undefined});
        thought.append("- one\n- two");
        thought.finish();
        assert.deepEqual([...content.querySelectorAll("li")].map((item) => item.textContent), ["one", "two"]);
    });

    test("with the \"expanded\" display it stays open", () => {
        const {thought, summary} = section({display: "expanded"});
        thought.append("Reasoning.");
        thought.finish({durationMs: 1500});
        assert.equal(summary.textContent, "Thought for 1.5 s");
        assert.equal(thought.element.open, true);
        assert.equal(thought.element.hidden, false);
    });

    test("with the \"hidden\" display it never shows, though its text is rendered", () => {
        const {thought, content} = section({display: "hidden"});
        assert.equal(thought.element.hidden, true);
        thought.append("Secret *reasoning*.");
        assert.equal(thought.element.hidden, true);
        thought.finish({durationMs: 800, tokens: 20});
        assert.equal(thought.element.hidden, true);
        assert.equal(content.querySelector("em")?.textContent, "reasoning");
    });

    test("with no text it is hidden", () => {
        const {thought} = section({display: "expanded"});
        thought.append("");
        thought.finish({durationMs: 10, tokens: 0});
        assert.equal(thought.element.hidden, true);
    });

    test("stays as the user left it: closed while streaming, or opened again", () => {
        const closed = section();
        closed.thought.append("Long reasoning…");
        closed.summary.click();
        assert.equal(closed.thought.element.open, false, "a click on the summary closes the section");
        closed.thought.finish({durationMs: 2000});
        assert.equal(closed.thought.element.open, false);

        const reopened = section();
        reopened.thought.append("Reasoning.");
        reopened.summary.click();
        reopened.summary.click();
        reopened.thought.finish({durationMs: 2000});
        assert.equal(reopened.thought.element.open, true);

        const expanded = section({display: "expanded"});
        expanded.thought.append("Reasoning.");
        expanded.summary.click();
        expanded.thought.finish();
        assert.equal(expanded.thought.element.open, false);
    });

    test("finished again with the engine's figures, only the label changes", () => {
        const {thought, summary} = section({display: "expanded"});
        thought.append("Reasoning.");
        thought.finish({durationMs: 1234});
        thought.finish({durationMs: 1180, tokens: 42});
        assert.equal(summary.textContent, "Thought for 1.2 s · 42 tokens");
        assert.equal(thought.element.open, true);
        assert.equal(thought.element.querySelectorAll(".thought-content p").length, 1);
    });

    test("takes no more text", () => {
        const {thought} = section();
        thought.append("Done.");
        thought.finish();
        assert.throws(() => thought.append(" More."), /append after finish/);
    });
});

describe("describeThought", () => {
    const cases: [Parameters<typeof describeThought>[0], string][] = [
        [{durationMs: 4200, tokens: 312}, "Thought for 4.2 s · 312 tokens"],
        [{durationMs: 4249}, "Thought for 4.2 s"],
        [{durationMs: 4250}, "Thought for 4.3 s"],
        [{durationMs: 0, tokens: 1}, "Thought for 0.0 s · 1 token"],
        [{durationMs: 59_949}, "Thought for 59.9 s"],
        [{durationMs: 59_950}, "Thought for 1 min 0 s"],
        [{durationMs: 125_400, tokens: 12_345}, "Thought for 2 min 5 s · 12,345 tokens"],
        [{tokens: 0}, "Thought · 0 tokens"],
        [{}, "Thought"],
        [undefined, "Thought"],
        [{durationMs: Number.NaN, tokens: Number.POSITIVE_INFINITY}, "Thought"],
        [{durationMs: -5, tokens: -1}, "Thought"]
    ];
    for (const [stats, expected] of cases) {
        test(`${JSON.stringify(stats) ?? "no stats"} → ${expected}`, () => {
            assert.equal(describeThought(stats), expected);
        });
    }
});
