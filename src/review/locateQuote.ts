/**
 * Finds the text a referee's finding quotes in the file it was reviewed from.
 * The model copies its quote from the part it read (comments removed, lines
 * joined), so an exact search is tried first and then a tolerant one: runs of
 * whitespace (line breaks included) match runs of whitespace, LaTeX line
 * comments in the file count as whitespace, `~` counts as a space, and TeX's
 * dashes and quotes match their typographic characters (`--` and `–`, ``` `` ```
 * and `“` and `"`). The answer is always offsets into the file's own text, so a
 * comment thread covers exactly what the quote names. No `vscode` import.
 */

export type QuoteSpan = {start: number; end: number};

export type LocateOptions = {
    /**
     * Prefer an occurrence entirely inside this span (the part reviewed). A
     * quote shorter than `MIN_TOLERANT_QUOTE` is only looked for inside it.
     */
    within?: QuoteSpan;
    /** Among equally preferred occurrences, take the one starting nearest this offset. Defaults to the first. */
    near?: number;
};

/**
 * Quotes shorter than this (after trimming) are too common to search loosely:
 * "the", "$M_*$" or "Fig." occur everywhere. They match only exactly, and only
 * inside `within`.
 */
export const MIN_TOLERANT_QUOTE = 8;

/**
 * A file's text with its tolerant form built once, for locating several quotes
 * in the same file (a review gives many findings per part).
 */
export class QuoteLocator {
    private normalized?: NormalizedText;

    public constructor(public readonly text: string) {}

    /** The quote's place in the text, or undefined when it is not there (or too short to trust). */
    public locate(quote: string, options: LocateOptions = {}): QuoteSpan | undefined {
        const trimmed = quote.trim();
        if (trimmed === "")
            return undefined;
        if (trimmed.length < MIN_TOLERANT_QUOTE) {
            if (options.within == null)
                return undefined;
            const inside = exactOccurrences(this.text, trimmed).filter((span) => isInside(span, options.within!));
            return choose(inside, options);
        }
        // Stages from strict to tolerant. An occurrence inside `within` wins over
        // a stricter one outside it: the model quotes the part it read, which
        // may hold the same words re-wrapped that another section has verbatim.
        const stages = [() => exactOccurrences(this.text, quote), () => exactOccurrences(this.text, trimmed), () => this.tolerantOccurrences(trimmed)];
        let fallback: QuoteSpan[] | undefined;
        for (const stage of stages) {
            const spans = stage();
            if (spans.length === 0)
                continue;
            if (options.within == null || spans.some((span) => isInside(span, options.within!)))
                return choose(spans, options);
            fallback ??= spans;
        }
        return fallback == null ? undefined : choose(fallback, options);
    }

    private tolerantOccurrences(quote: string): QuoteSpan[] {
        this.normalized ??= normalize(this.text, true);
        const wanted = normalize(quote, false).text.trim();
        const spans: QuoteSpan[] = [];
        if (wanted.length === 0)
            return spans;
        const {text, starts, ends} = this.normalized;
        for (let at = text.indexOf(wanted); at >= 0; at = text.indexOf(wanted, at + 1))
            spans.push({start: starts[at]!, end: ends[at + wanted.length - 1]!});
        return spans;
    }
}

/** `quote`'s place in `text`: see `QuoteLocator`. */
export function locateQuote(text: string, quote: string, options: LocateOptions = {}): QuoteSpan | undefined {
    return new QuoteLocator(text).locate(quote, options);
}

/** The 1-based line of `offset` in `text` (an offset at a newline belongs to the line it ends). */
export function lineOfOffset(text: string, offset: number): number {
    let line = 1;
    const limit = Math.min(offset, text.length);
    for (let at = text.indexOf("\n"); at >= 0 && at < limit; at = text.indexOf("\n", at + 1))
        line++;
    return line;
}

function exactOccurrences(text: string, quote: string): QuoteSpan[] {
    const spans: QuoteSpan[] = [];
    for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1))
        spans.push({start: at, end: at + quote.length});
    return spans;
}

function isInside(span: QuoteSpan, within: QuoteSpan): boolean {
    return span.start >= within.start && span.end <= within.end;
}

/** The occurrence inside `within` if any, then the one nearest `near`, then the first. */
function choose(spans: QuoteSpan[], options: LocateOptions): QuoteSpan | undefined {
    const inside = options.within == null ? [] : spans.filter((span) => isInside(span, options.within!));
    const candidates = inside.length > 0 ? inside : spans;
    if (candidates.length === 0)
        return undefined;
    const near = options.near;
    if (near == null)
        return candidates[0];
    let best = candidates[0]!;
    for (const span of candidates)
        if (Math.abs(span.start - near) < Math.abs(best.start - near))
            best = span;
    return best;
}

/**
 * Text in its tolerant form, each character mapped to the source characters it
 * stands for: `starts[i]` is where the i-th character's source begins and
 * `ends[i]` where it ends (exclusive), so a match maps back to exact offsets.
 */
type NormalizedText = {text: string; starts: Int32Array; ends: Int32Array};

/**
 * TeX ligatures and their typographic characters, longest first so `---` is
 * not read as `--` then `-`. Both sides of a search are normalized, so a quote
 * with `–` finds `--` in the file and the other way round.
 */
const LIGATURES: readonly (readonly [string, string])[] = [
    ["---", "—"], ["--", "–"], ["``", "\""], ["''", "\""], ["“", "\""], ["”", "\""], ["„", "\""],
    ["`", "'"], ["‘", "'"], ["’", "'"]
];
const LIGATURE_STARTS = new Set(LIGATURES.map(([tex]) => tex[0]!));

/**
 * One pass over `source`: whitespace runs (and, when `dropComments`, the LaTeX
 * line comments among them) become one space; an unescaped `~` is a space;
 * ligatures become one character. Linear in the text's length.
 */
function normalize(source: string, dropComments: boolean): NormalizedText {
    const chars: string[] = [];
    const starts = new Int32Array(source.length + 1);
    const ends = new Int32Array(source.length + 1);
    let count = 0;
    let runStart = -1; // start of the whitespace run being read, or -1
    let index = 0;
    const push = (char: string, start: number, end: number) => {
        chars.push(char);
        starts[count] = start;
        ends[count] = end;
        count++;
    };
    const flushRun = () => {
        if (runStart >= 0)
            push(" ", runStart, index);
        runStart = -1;
    };
    while (index < source.length) {
        const char = source[index]!;
        if (isSpace(char) || (char === "~" && !isEscaped(source, index))) {
            if (runStart < 0)
                runStart = index;
            index++;
            continue;
        }
        if (dropComments && char === "%" && !isEscaped(source, index)) {
            if (runStart < 0)
                runStart = index;
            const lineEnd = source.indexOf("\n", index);
            index = lineEnd < 0 ? source.length : lineEnd;
            continue;
        }
        flushRun();
        const ligature = LIGATURE_STARTS.has(char) ? LIGATURES.find(([tex]) => source.startsWith(tex, index)) : undefined;
        if (ligature != null) {
            push(ligature[1], index, index + ligature[0].length);
            index += ligature[0].length;
        } else {
            push(char, index, index + 1);
            index++;
        }
    }
    flushRun();
    return {text: chars.join(""), starts, ends};
}

function isSpace(char: string): boolean {
    return char === " " || char === "\n" || char === "\t" || char === "\r" || char === "\u00a0" || char === "\f" || char === "\v";
}

/** Whether the character at `index` follows an odd number of backslashes (`\%`, `\~`). */
function isEscaped(source: string, index: number): boolean {
    let backslashes = 0;
    for (let at = index - 1; at >= 0 && source[at] === "\\"; at--)
        backslashes++;
    return backslashes % 2 === 1;
}
