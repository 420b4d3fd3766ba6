/**
 * The first look at a LaTeX file: where its comments, verbatim text and
 * switched-off blocks (`\iffalse … \fi`, the comment environment) are, and which
 * braces pair up. The later passes read the file through this, so a `{` in a
 * comment or a `\verb|}|` never unbalances anything, and a stray brace is
 * reported once, where it is, instead of swallowing the rest of the file.
 */
import {URL_COMMANDS, VERBATIM_ENVIRONMENTS} from "./latexCommands.ts";

export type RegionKind = "comment" | "verbatim" | "skipped";

/** `[start, end)` offsets in the file's text. */
export type SourceRegion = {start: number; end: number; kind: RegionKind};

/** A problem found in one file, at an offset of its text. */
export type OffsetProblem = {message: string; offset: number};

export type SourceRegions = {
    /** In order, never overlapping. */
    regions: SourceRegion[];
    /** Offset of each `{` that a `}` closes → offset of that `}`. */
    braceMates: Map<number, number>;
    /** Braces that pair with nothing: reported, then read as plain characters. */
    strayBraces: Set<number>;
    problems: OffsetProblem[];
};

const BACKSLASH = 92, PERCENT = 37, LEFT_BRACE = 123, RIGHT_BRACE = 125, NEWLINE = 10;

export function isLetter(code: number): boolean {
    // `@` counts as a letter everywhere: class-like code in preambles uses it in
    // names under \makeatletter, and a body never depends on it being "other".
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 64;
}

/** The end of the control sequence starting with the backslash at `at`: `\name` or `\x`. */
export function controlSequenceEnd(text: string, at: number): number {
    let end = at + 1;
    if (end < text.length && isLetter(text.charCodeAt(end))) {
        while (end < text.length && isLetter(text.charCodeAt(end)))
            end++;
        return end;
    }
    return Math.min(text.length, end + 1);
}

export function lineEnd(text: string, from: number): number {
    const end = text.indexOf("\n", from);
    return end < 0 ? text.length : end;
}

export function findRegions(text: string): SourceRegions {
    const scan = new RegionScan(text);
    scan.run();
    return {regions: scan.regions, braceMates: scan.braceMates, strayBraces: scan.strayBraces, problems: scan.problems};
}

class RegionScan {
    public readonly regions: SourceRegion[] = [];
    public readonly braceMates = new Map<number, number>();
    public readonly strayBraces = new Set<number>();
    public readonly problems: OffsetProblem[] = [];
    private readonly open: number[] = [];

    public constructor(private readonly text: string) {}

    public run(): void {
        const text = this.text;
        let at = 0;
        while (at < text.length) {
            const code = text.charCodeAt(at);
            if (code === BACKSLASH)
                at = this.controlSequence(at);
            else if (code === PERCENT) {
                const end = lineEnd(text, at);
                this.regions.push({start: at, end, kind: "comment"});
                at = end;
            } else {
                if (code === LEFT_BRACE)
                    this.open.push(at);
                else if (code === RIGHT_BRACE)
                    this.closeBrace(at);
                at++;
            }
        }
        for (const start of this.open) {
            this.strayBraces.add(start);
            this.problems.push({message: "This `{` is never closed; it is read as a plain character.", offset: start});
        }
    }

    private closeBrace(at: number): void {
        const start = this.open.pop();
        if (start === undefined) {
            this.strayBraces.add(at);
            this.problems.push({message: "This `}` closes nothing; it is read as a plain character.", offset: at});
        } else
            this.braceMates.set(start, at);
    }

    /** Reads the control sequence at `at` and whatever it makes special; returns where to go on. */
    private controlSequence(at: number): number {
        const end = controlSequenceEnd(this.text, at);
        const name = this.text.slice(at + 1, end);
        if (name === "verb")
            return this.verb(at, end);
        if (name === "begin")
            return this.begin(at, end);
        if (name === "iffalse")
            return this.iffalse(at, end);
        if (URL_COMMANDS.has(name))
            return this.url(end);
        return end;
    }

    /** `\verb|…|` (or `\verb*|…|`): the text up to the next delimiter on the line. */
    private verb(at: number, end: number): number {
        const text = this.text;
        let delimiterAt = end;
        if (text[delimiterAt] === "*")
            delimiterAt++;
        const delimiter = text[delimiterAt];
        if (delimiter == null || delimiter === "\n")
            return end;
        const close = text.indexOf(delimiter, delimiterAt + 1);
        const eol = lineEnd(text, delimiterAt + 1);
        if (close < 0 || close > eol) {
            this.problems.push({message: "`\\verb` is not closed on its line.", offset: at});
            this.regions.push({start: delimiterAt + 1, end: eol, kind: "verbatim"});
            return eol;
        }
        this.regions.push({start: delimiterAt + 1, end: close, kind: "verbatim"});
        return close + 1;
    }

    /** `\begin{verbatim}` and kin are read verbatim; `\begin{comment}` is skipped whole. */
    private begin(at: number, end: number): number {
        const match = /^\s*\{([^{}\n]*)\}/.exec(this.text.slice(end, end + 64));
        if (match == null)
            return end;
        const name = match[1]!;
        const isComment = name === "comment";
        if (!isComment && !VERBATIM_ENVIRONMENTS.has(name))
            return end;
        const contentStart = end + match[0].length;
        const endTag = `\\end{${name}}`;
        let close = this.text.indexOf(endTag, contentStart);
        if (close < 0) {
            this.problems.push({message: `\`\\begin{${name}}\` is never closed: the rest of the file is read as its content.`, offset: at});
            close = this.text.length;
        }
        if (isComment) {
            const skippedEnd = Math.min(this.text.length, close + endTag.length);
            this.regions.push({start: at, end: skippedEnd, kind: "skipped"});
            return skippedEnd;
        }
        this.regions.push({start: contentStart, end: close, kind: "verbatim"});
        return close;
    }

    /**
     * `\iffalse … \fi`: TeX skips it, counting nested conditionals, so nothing in
     * it is part of the manuscript. An `\else` at the outer level ends the skip.
     */
    private iffalse(at: number, end: number): number {
        const text = this.text;
        let nesting = 0;
        let position = end;
        while (position < text.length) {
            const code = text.charCodeAt(position);
            if (code === PERCENT) {
                position = lineEnd(text, position);
                continue;
            }
            if (code !== BACKSLASH) {
                position++;
                continue;
            }
            const nameEnd = controlSequenceEnd(text, position);
            const name = text.slice(position + 1, nameEnd);
            if (name === "fi" || (name === "else" && nesting === 0)) {
                if (nesting === 0) {
                    this.regions.push({start: at, end: nameEnd, kind: "skipped"});
                    return nameEnd;
                }
                nesting--;
            } else if (name.startsWith("if") && name !== "iff" && name !== "ifthenelse")
                nesting++;
            position = nameEnd;
        }
        this.problems.push({message: "`\\iffalse` has no matching `\\fi`: the rest of the file is skipped.", offset: at});
        this.regions.push({start: at, end: text.length, kind: "skipped"});
        return text.length;
    }

    /** A URL argument on one line: its braces pair, its `%` and `#` are characters. */
    private url(end: number): number {
        const text = this.text;
        let open = end;
        while (text[open] === " ")
            open++;
        if (text.charCodeAt(open) !== LEFT_BRACE)
            return end;
        const close = text.indexOf("}", open);
        if (close < 0 || close > lineEnd(text, open) || text.charCodeAt(close) === NEWLINE)
            return end;
        this.braceMates.set(open, close);
        if (close > open + 1)
            this.regions.push({start: open + 1, end: close, kind: "verbatim"});
        return close + 1;
    }
}
