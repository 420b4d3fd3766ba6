/**
 * Where math starts and ends in model text: the delimiters AstroSage writes
 * (`$…$`, `$$…$$`, `\(…\)`, `\[…\]` and a few LaTeX environments), found
 * without treating prices or shell variables as math.
 *
 * Pure string scanning, so the rules are tested without marked or KaTeX.
 */

/** A piece of math found at the start of some text. */
export type MathMatch = {
    /** The source text the match covers, delimiters included. */
    raw: string;
    /** What KaTeX renders: the inside of the delimiters, or a whole `\begin…\end` environment. */
    tex: string;
    /** Display math (set apart, centred) rather than math in a line of text. */
    display: boolean;
};

/** The LaTeX environments rendered as display math without `$$` around them. */
export const mathEnvironments = ["equation", "equation*", "align", "align*", "gather", "gather*"] as const;

const environmentPattern = mathEnvironments.map((name) => name.replace("*", "\\*")).join("|");
const environmentOpening = new RegExp(`^\\\\begin\\{(${environmentPattern})\\}`);

/** Characters that can start inline math: used to stop marked's text scanner there. */
const inlineStartPattern = new RegExp(`\\$|\\\\[([]|\\\\begin\\{(?:${environmentPattern})\\}`);

/** A line (after a newline) that may open block math: `$$`, `\[` or an environment. */
const blockStartPattern = new RegExp(`\\n {0,3}(?:\\$\\$|\\\\\\[|\\\\begin\\{(?:${environmentPattern})\\})`);

/** The index in `src` where inline math may start, or -1. */
export function findInlineMathStart(src: string): number {
    return src.search(inlineStartPattern);
}

/** The index in `src` of the first line that may open block math, or -1. */
function findBlockMathStart(src: string): number {
    const found = src.search(blockStartPattern);
    return found < 0 ? -1 : found + 1;
}

/**
 * The index in `src` of the first line after its first that opens block math
 * (as `matchBlockMath` decides), or -1. Only line starts are returned, so
 * marked cuts a paragraph at a line boundary.
 */
export function findBlockMath(src: string): number {
    let from = 0;
    for (;;) {
        const found = findBlockMathStart(src.slice(from));
        if (found < 0)
            return -1;
        from += found;
        if (matchBlockMath(src.slice(from)) != null)
            return from;
    }
}

/**
 * Inline math at the very start of `src`, or undefined.
 *
 * Dollars follow pandoc's rule: the opening `$` has a non-space right after it,
 * the closing `$` a non-space right before it and no digit right after it, so
 * "costs $5 and $10" and `echo $HOME $PATH` stay text while `$M_\odot$` is math.
 * Stricter than pandoc, the next `$` must be that closing one: "$5 and $10 for
 * $x$" is text, then math. A backslash escapes the next character (`\$` is
 * never a delimiter).
 */
export function matchInlineMath(src: string): MathMatch | undefined {
    const math = matchInlineDelimiters(src);
    // Code spans bind first: math never reaches into one ("$5 and `$HOME`" is no math).
    return math == null || math.tex.includes("`") ? undefined : math;
}

function matchInlineDelimiters(src: string): MathMatch | undefined {
    if (src.startsWith("$$"))
        return matchDelimited(src, "$$", "$$", true);
    if (src.startsWith("$"))
        return matchDollar(src);
    if (src.startsWith("\\("))
        return matchDelimited(src, "\\(", "\\)", false);
    if (src.startsWith("\\["))
        return matchDelimited(src, "\\[", "\\]", true);
    return matchEnvironment(src);
}

/**
 * Where inline math lies in `src`, as the inline tokenizer meets it going
 * from the start: `[start, end)` of each, code spans and escaped characters
 * skipped. Links and other inline markup are not followed, which at worst
 * finds math the tokenizer will not (inside a link's address).
 */
export function findInlineMathRanges(src: string): [number, number][] {
    const ranges: [number, number][] = [];
    let i = 0;
    while (i < src.length) {
        const char = src[i];
        const math = char === "$" || char === "\\" ? matchInlineMath(src.slice(i)) : undefined;
        if (math != null) {
            ranges.push([i, i + math.raw.length]);
            i += math.raw.length;
        } else if (char === "\\")
            i += 2;
        else if (char === "`")
            i = codeSpanEnd(src, i);
        else
            i++;
    }
    return ranges;
}

/** Past the code span starting at `start` (a backtick), or past its backticks when they open none. */
function codeSpanEnd(src: string, start: number): number {
    let fenceEnd = start;
    while (src[fenceEnd] === "`")
        fenceEnd++;
    const fence = src.slice(start, fenceEnd);
    let at = src.indexOf(fence, fenceEnd);
    while (at >= 0) {
        let runEnd = at;
        while (src[runEnd] === "`")
            runEnd++;
        if (runEnd - at === fence.length)
            return runEnd;
        at = src.indexOf(fence, runEnd);
    }
    return fenceEnd;
}

/**
 * Block math at the very start of `src` (a block's first line, up to three
 * spaces of indent), or undefined.
 *
 * Decided by the first line alone, so a block that has started streaming stays
 * a block: math closed on its first line is a block only when nothing but
 * spaces follows the closing delimiter (else it is inline math in a paragraph);
 * math left open on its first line runs to its closing delimiter, wherever that
 * is, and the rest of that line starts the next block. Math never closed runs
 * to the end of the text, as an unclosed code fence does.
 */
export function matchBlockMath(src: string): {match: MathMatch; closed: boolean} | undefined {
    const indent = /^ {0,3}/.exec(src)![0].length;
    const rest = src.slice(indent);
    const opening = rest.startsWith("$$") && !rest.startsWith("$$$") ? {open: "$$", close: "$$"}
        : rest.startsWith("\\[") ? {open: "\\[", close: "\\]"}
            : environmentOpening.test(rest) ? {open: "", close: `\\end{${environmentOpening.exec(rest)![1]}}`}
                : undefined;
    if (opening == null)
        return undefined;

    const firstLineEnd = lineEnd(rest, 0);
    const closeAt = findCloser(rest, Math.max(opening.open.length, 1), opening.close);
    if (closeAt < 0) {
        // An environment still streaming is closed for KaTeX, so it shows while it grows.
        const tex = opening.open === "" ? `${rest}\n${opening.close}` : rest.slice(opening.open.length);
        return {match: {raw: src, tex, display: true}, closed: false};
    }
    const afterClose = closeAt + opening.close.length;
    const trailing = /^[ \t]*(?:\n|$)/.exec(rest.slice(afterClose));
    if (closeAt < firstLineEnd && trailing == null)
        return undefined;
    const end = afterClose + (trailing?.[0].length ?? 0);
    const tex = opening.open === "" ? rest.slice(0, afterClose) : rest.slice(opening.open.length, closeAt);
    return {match: {raw: src.slice(0, indent + end), tex, display: true}, closed: true};
}

function matchDelimited(src: string, open: string, close: string, display: boolean): MathMatch | undefined {
    const closeAt = findCloser(src, open.length, close);
    if (closeAt < 0)
        return undefined;
    const tex = src.slice(open.length, closeAt);
    if (tex.trim() === "")
        return undefined;
    return {raw: src.slice(0, closeAt + close.length), tex, display};
}

function matchDollar(src: string): MathMatch | undefined {
    if (src.length < 3 || /\s/.test(src[1]))
        return undefined;
    const closeAt = findCloser(src, 1, "$");
    // The first dollar after the opening one decides: a closing one, or no math at all.
    // So a price opens no math that a formula further on would close.
    if (closeAt < 2 || /\s/.test(src[closeAt - 1]) || /[0-9]/.test(src[closeAt + 1] ?? ""))
        return undefined;
    return {raw: src.slice(0, closeAt + 1), tex: src.slice(1, closeAt), display: false};
}

function matchEnvironment(src: string): MathMatch | undefined {
    const opening = environmentOpening.exec(src);
    if (opening == null)
        return undefined;
    const close = `\\end{${opening[1]}}`;
    const closeAt = findCloser(src, opening[0].length, close);
    if (closeAt < 0)
        return undefined;
    const raw = src.slice(0, closeAt + close.length);
    return {raw, tex: raw, display: true};
}

/**
 * The index of `close` in `src` from `from` on, skipping backslash pairs so an
 * escaped character never closes (`\\)` is a line break then a parenthesis), or -1.
 */
function findCloser(src: string, from: number, close: string): number {
    for (let i = from; i < src.length; i++) {
        if (src.startsWith(close, i))
            return i;
        if (src[i] === "\\")
            i++;
    }
    return -1;
}

function lineEnd(src: string, from: number): number {
    const newline = src.indexOf("\n", from);
    return newline < 0 ? src.length : newline;
}
