/**
 * The markdown renderer in plain Node, on jsdom's DOM: GFM (tables, task
 * lists), highlighted code blocks with their buttons, and what model text may
 * not do (markup of its own, images, links to anything but the web and mail).
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {JSDOM} from "jsdom";
import {MarkdownRenderer} from "../../webview/render/MarkdownRenderer.ts";

const {window} = new JSDOM("<!DOCTYPE html><body></body>");
const renderer = new MarkdownRenderer({window: window as unknown as Window});

/** `markdown` rendered, as a detached element to query. */
function render(markdown: string): HTMLElement {
    const container = window.document.createElement("div");
    container.innerHTML = renderer.render(markdown);
    return container;
}

/** Every link in `html`, as [text, href]. */
function links(container: HTMLElement): [string, string | null][] {
    return [...container.querySelectorAll("a")].map((link) => [link.textContent ?? "", link.getAttribute("href")]);
}

describe("GFM", () => {
    test("a table, with alignment, in a scrolling box", () => {
        const html = renderer.render("| Star | Mass |\n|:-----|-----:|\n| Sun | $1$ |\n| Sirius A | 2.06 |");
        assert.match(html, /^<div class="table-scroll"><table>/);
        const table = render("| Star | Mass |\n|:-----|-----:|\n| Sun | 1 |\n| Sirius A | 2.06 |").querySelector("table")!;
        assert.deepEqual([...table.querySelectorAll("th")].map((cell) => [cell.textContent, cell.getAttribute("align")]), [["Star", "left"], ["Mass", "right"]]);
        assert.deepEqual([...table.querySelectorAll<HTMLTableRowElement>("tbody tr")].map((row) => [...row.cells].map((cell) => cell.textContent)), [["Sun", "1"], ["Sirius A", "2.06"]]);
    });

    test("a task list has disabled checkboxes, ticked where the source is", () => {
        const items = [...render("- [ ] reduce the spectra\n- [x] flat-field the frames").querySelectorAll("li")];
        assert.deepEqual(items.map((item) => item.textContent?.trim()), ["reduce the spectra", "flat-field the frames"]);
        const boxes = items.map((item) => item.querySelector("input")!);
        assert.deepEqual(boxes.map((box) => [box.type, box.disabled, box.checked]), [["checkbox", true, false], ["checkbox", true, true]]);
    });

    test("strikethrough, emphasis and autolinked web addresses", () => {
        assert.equal(renderer.render("~~old~~ **new** *value* www.example.org"),
            "<p><del>old</del> <strong>new</strong> <em>value</em> <a href=\"http://www.example.org/\">www.example.org</a></p>\n");
    });
});

describe("code blocks", () => {
    test("a fence with a language is highlighted, in a frame with Copy and Insert buttons", () => {
        const container = render("```python\nimport numpy as np\nprint(np.pi)\n```");
        const block = container.querySelector(".code-block")!;
        assert.equal(block.getAttribute("data-lang"), "python");
        const code = block.querySelector("pre > code")!;
        assert.equal(code.className, "hljs language-python");
        assert.equal(code.textContent, "import numpy as np\nprint(np.pi)");
        assert.deepEqual([...code.querySelectorAll(".hljs-keyword")].map((span) => span.textContent), ["import", "as"]);
        const buttons = [...block.querySelectorAll(".code-actions button")];
        assert.deepEqual(buttons.map((button) => [button.textContent, button.getAttribute("data-action"), button.getAttribute("type")]),
            [["Copy", "copy", "button"], ["Insert", "insert", "button"]]);
        // The page handles the buttons by delegation: the HTML carries no handlers.
        assert.ok(buttons.every((button) => [...button.attributes].every((attribute) => !attribute.name.startsWith("on"))));
    });

    test("aliases models write map to the language highlighted", () => {
        for (const [info, language] of [["py3", "python"], ["shell", "bash"], ["f90", "fortran"], ["jl", "julia"], ["TeX", "latex"], ["console", "console"]]) {
            const code = render(`\`\`\`${info}\nx\n\`\`\``).querySelector("pre > code")!;
            assert.equal(code.className, `hljs language-${language}`, info);
        }
    });

    test("an unknown language keeps its name as a label and is shown plain, escaped", () => {
        const block = render("```idl\n<b>x</b> & y\n```").querySelector(".code-block")!;
        assert.equal(block.getAttribute("data-lang"), "idl");
        const code = block.querySelector("code")!;
        assert.equal(code.className, "hljs language-plaintext");
        assert.equal(code.innerHTML, "&lt;b&gt;x&lt;/b&gt; &amp; y");
    });

    test("a fence without a language, and an unclosed one, are plain code blocks", () => {
        assert.equal(render("```\nno language\n```").querySelector(".code-block")?.getAttribute("data-lang"), "plaintext");
        const unclosed = render("Look:\n\n```python\nx = 1\n");
        assert.equal(unclosed.querySelector("code")?.textContent, "x = 1");
        assert.equal(unclosed.querySelector("p")?.textContent, "Look:");
    });

    test("an info string that is no language name is not echoed as a label", () => {
        const block = render("```\"><script>alert(1)</script>\nx\n```").querySelector(".code-block")!;
        assert.equal(block.getAttribute("data-lang"), "plaintext");
        assert.equal(block.querySelector("script"), null);
    });
});

describe("raw HTML in model text", () => {
    test("shows as text, escaped, and makes no elements", () => {
        const source = "<script>alert(1)</script> <b>bold</b> <img src=x onerror=alert(1)> <iframe src=\"https://evil.example\"></iframe>";
        const container = render(source);
        assert.equal(container.textContent, `${source}\n`);
        assert.deepEqual([...container.querySelectorAll("*")].map((element) => element.localName), ["p"]);
    });

    test("as a block of its own, too", () => {
        const container = render("<div onclick=\"alert(1)\">\n<style>body{display:none}</style>\n</div>");
        assert.deepEqual([...container.querySelectorAll("*")].map((element) => element.localName), ["p"]);
        assert.match(container.textContent!, /^<div onclick="alert\(1\)">/);
    });

    test("in a table cell and a heading", () => {
        const container = render("# <u>Title</u>\n\n| a |\n|---|\n| <svg onload=alert(1)> |");
        assert.equal(container.querySelector("h1")?.textContent, "<u>Title</u>");
        assert.equal(container.querySelector("td")?.textContent, "<svg onload=alert(1)>");
        assert.equal(container.querySelector("u, svg"), null);
    });

    test("HTML entities stay entities: no markup comes out of them", () => {
        const container = render("&lt;script&gt;alert(1)&lt;/script&gt; &amp;");
        assert.equal(container.textContent, "<script>alert(1)</script> &\n");
        assert.equal(container.querySelector("script"), null);
    });
});

describe("images", () => {
    test("are links to the image, never <img>", () => {
        const container = render("![Hubble deep field](https://example.org/hdf.png)");
        assert.equal(container.querySelector("img"), null);
        const link = container.querySelector("a")!;
        assert.equal(link.className, "image-link");
        assert.equal(link.getAttribute("href"), "https://example.org/hdf.png");
        assert.equal(link.textContent, "Image: Hubble deep field");
    });

    test("without alt text, the label is the address", () => {
        assert.deepEqual(links(render("![](https://example.org/a.png)")), [["Image: https://example.org/a.png", "https://example.org/a.png"]]);
    });

    test("with an address that is not a web address, only the label shows", () => {
        for (const href of ["data:image/png;base64,AAAA", "javascript:alert(1)", "file:///etc/passwd", "pic.png"]) {
            const container = render(`![chart](${href})`);
            assert.deepEqual(links(container), [], href);
            assert.equal(container.querySelector("img"), null, href);
            assert.equal(container.querySelector("span.image-link")?.textContent, "Image: chart", href);
        }
    });

    test("inside a link, an image is a label within that one link", () => {
        const container = render("[![badge](https://example.org/b.svg)](https://example.org/)");
        assert.deepEqual(links(container), [["Image: badge", "https://example.org/"]]);
    });
});

describe("links", () => {
    test("http, https and mailto links stay links", () => {
        assert.deepEqual(links(render("[NASA ADS](https://ui.adsabs.harvard.edu/) [arXiv](HTTP://arxiv.org) [mail](mailto:editor@aas.org) <https://simbad.cds.unistra.fr>")), [
            ["NASA ADS", "https://ui.adsabs.harvard.edu/"],
            ["arXiv", "http://arxiv.org/"],
            ["mail", "mailto:editor@aas.org"],
            ["https://simbad.cds.unistra.fr", "https://simbad.cds.unistra.fr/"]
        ]);
    });

    test("a title is kept, escaped", () => {
        const link = render("[ADS](https://ui.adsabs.harvard.edu/ \"The \\\"ADS\\\" <search>\")").querySelector("a")!;
        assert.equal(link.getAttribute("title"), "The \"ADS\" <search>");
    });

    test("javascript:, command:, vscode:, file:, data: and relative targets are text", () => {
        const targets = [
            "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", "java%0ascript:alert(1)",
            "command:workbench.action.terminal.new", "vscode://settings/x", "vscode-insiders://file/etc/passwd",
            "file:///etc/passwd", "data:text/html,<script>alert(1)</script>", "../secrets.txt", "//evil.example/x", "#top"
        ];
        for (const target of targets) {
            const container = render(`[click me](${target})`);
            assert.deepEqual(links(container), [], target);
            assert.equal(container.textContent, "click me\n", target);
        }
    });

    test("autolinks and reference links to those schemes are text as well", () => {
        assert.deepEqual(links(render("<javascript:alert(1)> <command:workbench.action.quit> <file:///etc/passwd>")), []);
        assert.deepEqual(links(render("[docs][1]\n\n[1]: command:workbench.action.quit")), []);
    });

    test("links do not nest: the inner one is the link, as CommonMark says", () => {
        assert.equal(render("[see [ADS](https://a.example/)](https://b.example/)").innerHTML,
            "<p>[see <a href=\"https://a.example/\">ADS</a>](<a href=\"https://b.example/\">https://b.example/</a>)</p>\n");
    });

    test("reference definitions are text, so a streamed message shows the same as a whole one", () => {
        // A definition may follow the `[ADS]` that uses it: streaming has shown that as text by then.
        const container = render("See [ADS].\n\n[ADS]: https://ui.adsabs.harvard.edu/");
        assert.equal(container.textContent, "See [ADS].\n[ADS]: https://ui.adsabs.harvard.edu/\n");
        assert.deepEqual(links(container), [["https://ui.adsabs.harvard.edu/", "https://ui.adsabs.harvard.edu/"]]);
    });
});

describe("the renderer", () => {
    test("renderFragment gives the same nodes as render's HTML", () => {
        const markdown = "# Title\n\nText with $x^2$ and `code`.\n\n```python\nx = 1\n```\n\n| a |\n|---|\n| 1 |";
        const fromFragment = window.document.createElement("div");
        fromFragment.append(renderer.renderFragment(markdown));
        assert.equal(fromFragment.innerHTML, render(markdown).innerHTML);
    });

    test("CRLF and CR line endings render as LF ones", () => {
        assert.equal(renderer.render("a\r\nb\r\n\r\n- c\r- d"), renderer.render("a\nb\n\n- c\n- d"));
    });

    test("blocks() cuts markdown into blocks whose sources add up to it", () => {
        const markdown = "# T\n\npara\n\n$$\nx\n$$\n- a\n";
        const blocks = renderer.blocks(markdown);
        assert.deepEqual(blocks.map((block) => block.type), ["heading", "space", "paragraph", "space", "blockMath", "list"]);
        assert.equal(blocks.map((block) => block.raw).join(""), markdown);
    });

    test("renders block by block, each as it renders alone, as streaming does", () => {
        for (const markdown of ["# T\n\npara\n\n- a\n- b\n", "$\n    |---|---|\n- \n", "A\n$$x$$ y\n$$\nz\n$$\n"]) {
            const alone = renderer.blocks(markdown).map((block) => renderer.render(block.raw)).join("");
            assert.equal(renderer.render(markdown), alone, JSON.stringify(markdown));
        }
        // Lexed with the list after it, marked would join the indented line to the paragraph without its indent.
        assert.equal(renderer.render("$\n    |---|---|\n- \n"), "<p>$\n    |---|---|</p>\n<ul>\n<li></li>\n</ul>\n");
    });

    test("needs a window outside a browser", () => {
        assert.throws(() => new MarkdownRenderer(), /needs a window/);
    });
});
