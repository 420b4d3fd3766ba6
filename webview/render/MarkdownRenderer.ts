/**
 * Model text (markdown with LaTeX math) to safe HTML: marked with GFM, KaTeX,
 * highlight.js, then DOMPurify over the result. Model output is untrusted, so
 * raw HTML shows as text, images are never loaded and only http, https and
 * mailto links stay links.
 */
import type {Marked} from "marked";
import {CodeBlockRenderer} from "./CodeBlockRenderer.ts";
import {createMarked} from "./createMarked.ts";
import {escapeHtml} from "./escapeHtml.ts";
import {HtmlSanitizer} from "./HtmlSanitizer.ts";
import type {MathOutput, MathSettings, UnfinishedMath} from "./renderMath.ts";

export type RenderOptions = {
    /**
     * LaTeX macros for KaTeX, e.g. from a manuscript's `\newcommand`s:
     * `{"\\Msun": "M_\\odot", "\\vect": "\\mathbf{#1}"}`.
     *
     * Defaults to none.
     */
    macros?: Readonly<Record<string, string>>;
    /**
     * How KaTeX writes math. `"htmlAndMathml"`: KaTeX's own layout, identical on
     * every platform, with hidden MathML for screen readers; the page must load
     * KaTeX's CSS and fonts and allow inline styles (`style-src 'unsafe-inline'`).
     * `"mathml"`: MathML alone, laid out by the browser with a system math font.
     *
     * Defaults to `"htmlAndMathml"`.
     */
    mathOutput?: MathOutput;
    /**
     * The window whose DOM sanitizes the HTML and owns the fragments made.
     *
     * Defaults to the global `window` (the page's).
     */
    window?: Window;
};

/** One block of markdown as marked's lexer cut it: its type and exact source. */
export type MarkdownBlock = {type: string; raw: string};

/** Renders markdown; one instance serves many messages (it holds compiled grammars and the sanitizer). */
export class MarkdownRenderer {
    private readonly marked: Marked;
    private readonly sanitizer: HtmlSanitizer;
    /** Shared with the math extension, which reads `unfinished` at each formula. */
    private readonly math: MathSettings;

    public constructor(options: RenderOptions = {}) {
        const window = options.window ?? globalThis.window;
        if (window == null)
            throw new Error("MarkdownRenderer needs a window: pass options.window outside a browser");
        const output = options.mathOutput ?? "htmlAndMathml";
        this.math = {macros: options.macros ?? {}, output};
        this.marked = createMarked(this.math, new CodeBlockRenderer());
        this.sanitizer = new HtmlSanitizer(window, output);
    }

    /** Safe HTML for `markdown`. */
    public render(markdown: string): string {
        return this.sanitizer.toHtml(this.toUnsafeHtml(markdown));
    }

    /**
     * Safe HTML for `markdown` as nodes of the window's document. With
     * `unfinished` (the open block of a streaming message), a formula that does
     * not parse yet shows its last good rendering.
     */
    public renderFragment(markdown: string, unfinished?: UnfinishedMath): DocumentFragment {
        unfinished?.restart();
        this.math.unfinished = unfinished;
        try {
            return this.sanitizer.toFragment(this.toUnsafeHtml(markdown));
        } finally {
            this.math.unfinished = undefined;
        }
    }

    /**
     * The top-level blocks of `markdown` (without parsing their inline content),
     * whose sources, joined, are `markdown` with line endings normalized.
     */
    public blocks(markdown: string): MarkdownBlock[] {
        const lexer = new this.marked.Lexer(this.marked.defaults);
        return lexer.blockTokens(normalizeNewlines(markdown)).map(({type, raw}) => ({type, raw}));
    }

    /**
     * Block by block, each from its own source alone, as StreamingRenderer
     * renders them: lexed among others, a block's text can come out otherwise
     * (an indented line marked joins to the paragraph before loses its indent).
     */
    private toUnsafeHtml(markdown: string): string {
        try {
            const text = normalizeNewlines(markdown);
            const html: string[] = [];
            let covered = 0;
            for (const block of this.blocks(text)) {
                if (!text.startsWith(block.raw, covered))
                    break;
                if (block.type !== "space")
                    html.push(this.marked.parse(block.raw, {async: false}));
                covered += block.raw.length;
            }
            // Only when the lexer's blocks did not add up to the text: the rest whole.
            if (covered < text.length)
                html.push(this.marked.parse(text.slice(covered), {async: false}));
            return html.join("");
        } catch (error) {
            // Shown as text rather than lost: the answer stays readable even if marked fails on it.
            console.error("AstroSage: markdown rendering failed", error);
            return `<pre class="render-error">${escapeHtml(markdown)}</pre>`;
        }
    }
}

/** Renders `markdown` once. To render many, keep a `MarkdownRenderer`: this one builds it each call. */
export function renderMarkdown(markdown: string, options?: RenderOptions): string {
    return new MarkdownRenderer(options).render(markdown);
}

export function normalizeNewlines(text: string): string {
    return text.replace(/\r\n?/g, "\n");
}
