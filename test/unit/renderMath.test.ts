/**
 * Math in model text, in plain Node on jsdom: the delimiters AstroSage writes,
 * the dollar rules that keep prices and shell variables text, math that code
 * and escapes keep out, and KaTeX errors shown as source rather than thrown.
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {JSDOM} from "jsdom";
import {MarkdownRenderer, type RenderOptions} from "../../webview/render/MarkdownRenderer.ts";
import {findBlockMath, findInlineMathRanges, matchBlockMath, matchInlineMath} from "../../webview/render/mathSyntax.ts";

const {window} = new JSDOM("<!DOCTYPE html><body></body>");
const renderer = new MarkdownRenderer({window: window as unknown as Window});

function render(markdown: string, withRenderer = renderer): HTMLElement {
    const container = window.document.createElement("div");
    container.innerHTML = withRenderer.render(markdown);
    return container;
}

/**
 * The rendered text with each formula as ⟨its MathML text⟩ (⟪…⟫ when
 * displayed) and each KaTeX error as ⚠source, so a test reads like the message.
 */
function summary(markdown: string, withRenderer = renderer): string {
    const container = render(markdown, withRenderer);
    for (const katex of container.querySelectorAll(".katex")) {
        const math = katex.querySelector("math")!;
        const display = math.getAttribute("display") === "block";
        const shown = katex.parentElement?.classList.contains("katex-display") ? katex.parentElement : katex;
        shown.replaceWith(display ? `⟪${math.textContent}⟫` : `⟨${math.textContent}⟩`);
    }
    for (const error of container.querySelectorAll("code.math-error"))
        error.replaceWith(`⚠${error.textContent}`);
    return container.textContent!.trim();
}

describe("delimiters", () => {
    test("$…$ is inline math", () => {
        const container = render("The mass $M_\\odot$ of the Sun.");
        const katex = container.querySelector("p > .katex")!;
        assert.equal(katex.querySelector("math semantics > mrow")?.innerHTML, "<msub><mi>M</mi><mo>⊙</mo></msub>");
        assert.ok(katex.querySelector(".katex-html"), "KaTeX's own layout, beside the MathML");
        assert.equal(container.querySelector(".math-display, .katex-display"), null);
    });

    test("$$…$$ on lines of its own is a display block", () => {
        const container = render("Energy:\n\n$$\nE = mc^2\n$$\n\nwhere…");
        const block = container.querySelector("div.math-display")!;
        assert.equal(block.querySelector(".katex-display math")?.getAttribute("display"), "block");
        assert.equal(summary("Energy:\n\n$$\nE = mc^2\n$$\n\nwhere…"), "Energy:\n⟪E=mc2⟫\nwhere…");
    });

    test("$$…$$ within a line is display math in the paragraph", () => {
        const container = render("so $$x^2$$ follows");
        assert.equal(container.querySelector("p > span.math-display > .katex-display math")?.getAttribute("display"), "block");
        assert.equal(summary("so $$x^2$$ follows"), "so ⟪x2⟫ follows");
    });

    test("\\(…\\) is inline and \\[…\\] display", () => {
        assert.equal(summary("with \\(a^2 + b^2\\) and"), "with ⟨a2+b2⟩ and");
        assert.equal(summary("\\[\n\\frac{1}{2}\n\\]"), "⟪12⟫");
        assert.equal(summary("inline \\[x\\] display"), "inline ⟪x⟫ display");
    });

    test("equation, align and gather environments render as display math, starred or not", () => {
        assert.equal(summary("\\begin{equation}\nE = mc^2\n\\end{equation}"), "⟪E=mc2⟫");
        const align = render("\\begin{align}\na &= b + c \\\\\nd &= e\n\\end{align}");
        assert.equal(align.querySelectorAll("div.math-display .katex-mathml mtable > mtr").length, 2);
        assert.equal(summary("\\begin{align*}\na &= 1\n\\end{align*}"), "⟪a=1⟫");
        assert.equal(summary("\\begin{gather}\nx \\\\ y\n\\end{gather}"), "⟪xy⟫");
        assert.equal(summary("Text \\begin{equation}x\\end{equation} more"), "Text ⟪x⟫ more");
    });

    test("other environments are not math without delimiters", () => {
        assert.equal(summary("\\begin{matrix}a\\end{matrix}"), "\\begin{matrix}a\\end{matrix}");
        assert.equal(summary("$\\begin{matrix}a\\end{matrix}$"), "⟨a⟩");
    });
});

describe("the dollar rules", () => {
    const cases: [string, string][] = [
        ["costs $5 and $10", "costs $5 and $10"],
        ["echo $HOME and $PATH", "echo $HOME and $PATH"],
        ["$M_\\odot$ is one solar mass", "⟨M⊙⟩ is one solar mass"],
        // The opening dollar must have a non-space after it, the closing one a non-space before it.
        ["$ x$ and $x $", "$ x$ and $x $"],
        // A closing dollar followed by a digit closes nothing.
        ["$x$5", "$x$5"],
        // The next dollar decides: a price opens no math for a formula further on to close.
        ["$5 and $10 for $x$", "$5 and $10 for ⟨x⟩"],
        ["$x$, $y$.", "⟨x⟩, ⟨y⟩."],
        ["a lone $ sign", "a lone $ sign"],
        ["$ $ and $$ $$", "$ $ and $$ $$"]
    ];
    for (const [markdown, expected] of cases) {
        test(JSON.stringify(markdown), () => {
            assert.equal(summary(markdown), expected);
        });
    }

    test("an escaped dollar is a dollar, and never opens or closes math", () => {
        assert.equal(summary("\\$x\\$"), "$x$");
        assert.equal(summary("\\$5 and $y$"), "$5 and ⟨y⟩");
        assert.equal(summary("$a \\$ b$"), "⟨a$b⟩");
    });
});

describe("math where it is not", () => {
    test("code spans and fences keep their dollars and backslashes", () => {
        const container = render("Run `echo $x$` or `\\(y\\)`.\n\n```bash\nexport A=$B$C\n```\n\n```latex\n$$\\frac{1}{2}$$\n```");
        assert.equal(container.querySelector(".katex, .math-error"), null);
        assert.deepEqual([...container.querySelectorAll("code")].map((code) => code.textContent), ["echo $x$", "\\(y\\)", "export A=$B$C", "$$\\frac{1}{2}$$"]);
    });

    test("math does not reach into a code span", () => {
        assert.equal(summary("$5 and `$HOME` and $y$"), "$5 and $HOME and ⟨y⟩");
    });

    test("escaped backslashes open nothing", () => {
        assert.equal(summary("\\\\(x\\\\)"), "\\(x\\)");
    });

    test("math binds before emphasis and strikethrough", () => {
        assert.equal(render("*see $a*b$ now*").querySelector("p > em")?.textContent?.startsWith("see "), true);
        assert.equal(summary("*see $a*b$ now*"), "see ⟨a∗b⟩ now");
        assert.equal(summary("_rate $\\dot{M}_\\mathrm{acc}$ is high_"), "rate ⟨M˙acc⟩ is high");
        assert.equal(render("_rate $\\dot{M}_\\mathrm{acc}$ is high_").querySelector("p > em > .katex") != null, true);
        assert.equal(render("*\\(a*b\\)*").querySelector("p > em > .katex") != null, true);
        assert.equal(render("~about $10~\\mathrm{km}$ long~").querySelector("p > del > .katex") != null, true);
        // Emphasis on either side of a formula stays its own.
        assert.equal(render("*a* $x*y$ *b*").querySelectorAll("p > em").length, 2);
    });
});

describe("errors and limits", () => {
    test("a KaTeX parse error shows the source, with KaTeX's message as a tooltip", () => {
        const error = render("A typo: $\\frac{1$ here.").querySelector("p > code.math-error")!;
        assert.equal(error.textContent, "$\\frac{1$");
        assert.match(error.getAttribute("title")!, /^KaTeX parse error: /);
        assert.equal(summary("$\\undefinedmacro{x}$ then $y$"), "⚠$\\undefinedmacro{x}$ then ⟨y⟩");
    });

    test("in display math and environments too", () => {
        assert.equal(render("$$\n\\frac{\n$$").querySelector("div.math-display > code.math-error")?.textContent, "$$\n\\frac{\n$$");
        assert.equal(summary("\\begin{align}\na &= \\left( b\n\\end{align}"), "⚠\\begin{align}\na &= \\left( b\n\\end{align}");
    });

    test("runaway macros stop at the expansion limit", () => {
        const error = render("$\\def\\x{\\x\\x}\\x$").querySelector("code.math-error")!;
        assert.match(error.getAttribute("title")!, /Too many expansions/);
    });

    test("\\gdef in one formula does not define a macro for the next", () => {
        assert.equal(summary("$\\gdef\\a{1}\\a$ $\\a$"), "⟨1⟩ ⚠$\\a$");
    });

    test("commands that link or load are not trusted", () => {
        const container = render("$\\href{https://evil.example}{x}$ $\\url{https://evil.example}$ $\\includegraphics{https://evil.example/a.png}$ $\\htmlId{x}{y}$");
        assert.equal(container.querySelector("a, img, [href], [src], [id]"), null);
    });
});

describe("options", () => {
    test("macros are expanded", () => {
        const withMacros = new MarkdownRenderer({window: window as unknown as Window, macros: {"\\Msun": "M_\\odot", "\\vect": "\\mathbf{#1}"}});
        assert.equal(summary("$\\Msun$ and $\\vect{v}$", withMacros), "⟨M⊙⟩ and ⟨v⟩");
        assert.equal(render("$\\vect{v}$", withMacros).querySelector("math mi")?.getAttribute("mathvariant"), "bold");
    });

    test("MathML output has no KaTeX layout and no style attributes", () => {
        const options: RenderOptions = {window: window as unknown as Window, mathOutput: "mathml"};
        const container = render("$x^2$ and\n\n$$\n\\sqrt{y}\n$$", new MarkdownRenderer(options));
        assert.equal(container.querySelectorAll("math").length, 2);
        assert.equal(container.querySelector(".katex-html, [style]"), null);
    });

    test("KaTeX's own layout keeps its inline styles and drops the TeX annotation", () => {
        const container = render("$x^2$");
        assert.ok(container.querySelector(".katex-html [style]"));
        assert.equal(container.querySelector("annotation"), null);
        assert.equal(container.textContent!.includes("x^2"), false);
    });
});

describe("while a message streams", () => {
    test("an unclosed $$ block renders what it has as display math", () => {
        // Like a fence's first line, a bare $$ already opens the block it will be.
        assert.equal(summary("$$"), "⟪⟫");
        assert.equal(summary("$$\nx = 1"), "⟪x=1⟫");
        assert.equal(summary("$$\nx = 1\n\n"), "⟪x=1⟫");
    });

    test("an unclosed environment is closed for KaTeX, so it shows as it grows", () => {
        assert.equal(summary("\\begin{align}\na &= 1 \\\\"), "⟪a=1⟫");
    });

    test("a block is decided by its first line: math closed there with text after it is inline", () => {
        assert.deepEqual(matchBlockMath("$$x$$ and y"), undefined);
        assert.deepEqual(matchBlockMath("$$x$$  \nnext"), {match: {raw: "$$x$$  \n", tex: "x", display: true}, closed: true});
        assert.deepEqual(matchBlockMath("$$\nx"), {match: {raw: "$$\nx", tex: "\nx", display: true}, closed: false});
        assert.deepEqual(matchBlockMath("$$$x$$$"), undefined);
    });
});

describe("mathSyntax", () => {
    test("matchInlineMath finds math only at the start", () => {
        assert.deepEqual(matchInlineMath("$x$ rest"), {raw: "$x$", tex: "x", display: false});
        assert.deepEqual(matchInlineMath("\\(a\\)b"), {raw: "\\(a\\)", tex: "a", display: false});
        assert.deepEqual(matchInlineMath("\\[a\\]"), {raw: "\\[a\\]", tex: "a", display: true});
        assert.deepEqual(matchInlineMath("$\\$5$"), {raw: "$\\$5$", tex: "\\$5", display: false});
        assert.equal(matchInlineMath("x $y$"), undefined);
        assert.equal(matchInlineMath("\\(  \\)"), undefined);
        assert.equal(matchInlineMath("$a `b` c$"), undefined);
    });

    test("\\\\ before a closing delimiter is a line break, not an escape of it", () => {
        assert.deepEqual(matchInlineMath("\\[a \\\\\\]"), {raw: "\\[a \\\\\\]", tex: "a \\\\", display: true});
    });

    test("findBlockMath finds the first later line that opens block math, not one that only looks like it", () => {
        assert.equal(findBlockMath("a\n$$x$$ y\n  $$\nz\n$$"), 10);
        assert.equal(findBlockMath("a\n\\[x\\]\n"), 2);
        assert.equal(findBlockMath("a\n\\begin{align}"), 2);
        assert.equal(findBlockMath("$$\nthe first line is never one"), -1);
        assert.equal(findBlockMath("a\n$$x$$ y\n    $$\n"), -1);
    });

    test("a setext heading's text ends where block math starts", () => {
        assert.deepEqual(renderer.blocks("Title\n$$\nx\n$$\n===").map((block) => block.type), ["paragraph", "blockMath", "paragraph"]);
        assert.deepEqual(renderer.blocks("Title\n$$x$$ y\n===").map((block) => block.type), ["heading"]);
    });

    test("findInlineMathRanges skips code spans and escapes", () => {
        assert.deepEqual(findInlineMathRanges("$a$ `$b$` \\$c$ $d$ ``x`$e$`` \\(f\\)"), [[0, 3], [15, 18], [29, 34]]);
        assert.deepEqual(findInlineMathRanges("`unclosed $x$"), [[10, 13]]);
    });
});
