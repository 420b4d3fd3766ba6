/**
 * LaTeX to HTML with KaTeX, never failing: LaTeX KaTeX cannot read is shown as
 * its source, with KaTeX's message as a tooltip.
 */
import katex from "katex";
import {escapeHtml} from "./escapeHtml.ts";
import type {MathMatch} from "./mathSyntax.ts";

/** What KaTeX writes: see `RenderOptions.mathOutput`. */
export type MathOutput = "htmlAndMathml" | "mathml";

/** KaTeX's settings for model text, which is untrusted. */
export type MathSettings = {
    /** LaTeX macros, e.g. from a manuscript's `\newcommand`s: `{"\\Msun": "M_\\odot"}`. */
    macros: Readonly<Record<string, string>>;
    output: MathOutput;
    /** Set while the open block of a streaming message renders: see `UnfinishedMath`. */
    unfinished?: UnfinishedMath;
};

/**
 * The last rendering that worked of each formula in the open block of a
 * streaming message, in order. Half-written TeX (`\frac{a}{`) does not parse;
 * showing the formula's last good rendering meanwhile keeps the block from
 * flipping between typeset math and its source at every token. Finished
 * blocks render without it, so a formula that never parses ends as its source.
 */
export class UnfinishedMath {
    private readonly lastGood: (string | undefined)[] = [];
    private next = 0;

    /** Call before each rendering of the open block. */
    public restart(): void {
        this.next = 0;
    }

    /** Keeps `html` as the current formula's rendering, or gives the one kept for it when `html` is undefined. */
    public settle(html: string | undefined): string | undefined {
        const slot = this.next++;
        if (html !== undefined)
            this.lastGood[slot] = html;
        return this.lastGood[slot];
    }
}

/** Renders one piece of math (bare KaTeX output, or the source as a `code.math-error`). */
export function renderMath(math: MathMatch, settings: MathSettings): string {
    let html: string | undefined;
    let failure: unknown;
    try {
        html = renderTex(math, settings);
    } catch (error) {
        failure = error;
    }
    html = settings.unfinished?.settle(html) ?? html;
    if (html !== undefined)
        return html;
    // Shown, not thrown: a typo in one equation must not break the answer.
    const message = failure instanceof Error ? failure.message : String(failure);
    return `<code class="math-error" title="${escapeHtml(message)}">${escapeHtml(math.raw)}</code>`;
}

function renderTex(math: MathMatch, settings: MathSettings): string {
    return katex.renderToString(math.tex, {
        displayMode: math.display,
        output: settings.output,
        // A copy: `\gdef` in one equation must not change how the next one renders.
        macros: {...settings.macros},
        throwOnError: true,
        // `\href`, `\url`, `\includegraphics` and `\html…` stay off: they could link or load.
        trust: false,
        strict: "ignore",
        // Bounds what a hostile or runaway equation can cost: a size in em, and macro expansions.
        maxSize: 50,
        maxExpand: 1000
    });
}
