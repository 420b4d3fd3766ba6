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
};

/** Renders one piece of math (bare KaTeX output, or the source as a `code.math-error`). */
export function renderMath(math: MathMatch, settings: MathSettings): string {
    try {
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
    } catch (error) {
        // Shown, not thrown: a typo in one equation must not break the answer.
        const message = error instanceof Error ? error.message : String(error);
        return `<code class="math-error" title="${escapeHtml(message)}">${escapeHtml(math.raw)}</code>`;
    }
}
