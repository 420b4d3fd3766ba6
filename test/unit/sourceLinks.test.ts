/**
 * Links from a summary back to the manuscript: written by the host, shown by the
 * page as buttons carrying only a file and a line (no address the browser could
 * follow), and left out of what the model reads back.
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {JSDOM} from "jsdom";
import {parseSourceHref, sourceHref, sourceLink, withoutSourceLinks} from "../../src/core/sourceLinks.ts";
import {MarkdownRenderer} from "../../webview/render/MarkdownRenderer.ts";

const {window} = new JSDOM("<!DOCTYPE html><body></body>");
const renderer = new MarkdownRenderer({window: window as unknown as Window});

function render(markdown: string): HTMLElement {
    const container = window.document.createElement("div");
    container.innerHTML = renderer.render(markdown);
    return container;
}

describe("source links", () => {
    const place = {file: "/home/ana/papers/dp1 (draft)/sections/photometry.tex", line: 40};

    test("a place survives the round trip through a link target, spaces and parentheses included", () => {
        assert.deepEqual(parseSourceHref(sourceHref(place)), place);
        assert.doesNotMatch(sourceHref(place), /[\s()]/);
    });

    test("targets that are not source links, or name no line, are refused", () => {
        for (const href of ["https://example.org", "astrosage-source:", "astrosage-source:%2Fa.tex", "astrosage-source:%2Fa.tex#L0", "astrosage-source:%E0%A4%A#L3", "astrosage-source:%2Fa.tex#L3x"])
            assert.equal(parseSourceHref(href), undefined, href);
    });

    test("the page shows a link as a button with the file and line, and no href", () => {
        const container = render(`### ${sourceLink("§3.2 Photometry — sections/photometry.tex:40", place)}\n\nText.`);
        const link = container.querySelector("h3 a")!;
        assert.equal(link.getAttribute("href"), null);
        assert.equal(link.getAttribute("class"), "source-link");
        assert.equal(link.getAttribute("data-source-file"), place.file);
        assert.equal(link.getAttribute("data-source-line"), "40");
        assert.equal(link.textContent, "§3.2 Photometry — sections/photometry.tex:40");
    });

    test("link text with brackets stays whole", () => {
        const container = render(sourceLink("§2 [O III] lines — a.tex:3", {file: "/p/a.tex", line: 3}));
        assert.equal(container.querySelector("a")!.textContent, "§2 [O III] lines — a.tex:3");
    });

    test("a source link cannot smuggle markup into its attributes", () => {
        const container = render(`[x](astrosage-source:${encodeURIComponent('/p/"><img src=x onerror=alert(1)>.tex')}#L2)`);
        assert.equal(container.querySelector("img"), null);
        assert.equal(container.querySelector("a")!.getAttribute("data-source-file"), '/p/"><img src=x onerror=alert(1)>.tex');
    });

    test("the model reads the links' words only", () => {
        const text = `### ${sourceLink("§1 Introduction — intro.tex:3", {file: "/p/intro.tex", line: 3})} · ${sourceLink("§2 [O III] — a.tex:9", {file: "/p/a.tex", line: 9})}\n\nSee [the archive](https://example.org).`;
        assert.equal(withoutSourceLinks(text), "### §1 Introduction — intro.tex:3 · §2 [O III] — a.tex:9\n\nSee [the archive](https://example.org).");
    });
});
