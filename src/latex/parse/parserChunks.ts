/**
 * Cuts a LaTeX file into the small pieces the parser reads, and shrinks them.
 *
 * Why: unified-latex's PEG parser memoizes every rule at every position, so its
 * cost grows with the number of characters, and faster than linearly with the
 * size of one input (measured on the Rubin paper: 2.3 s for whole files, 0.9 s
 * for the same text cut at line ends, 0.6 s once prose is shrunk as below).
 * Nothing the manuscript model takes from the parser lives in running prose:
 * body text, equations and abstracts are cut from the original text by offset.
 *
 * - A chunk ends at a line end outside display math and optional arguments,
 *   outside any brace group the model reads or needs the extent of (see
 *   `ArgumentMode`), and never between a command and its arguments on the next
 *   line. So every construct the parser must see whole stays in one chunk.
 * - Outside the arguments of the commands the model reads (`KEEP_ARGUMENTS`, and
 *   any short key-like group such as `{sec:intro}`), runs of prose become one
 *   space. Comments and skipped blocks are dropped; verbatim text becomes a space.
 * - Each chunk maps its offsets back to the file's (`toOriginal`), so positions
 *   from the parser name the exact line of the source.
 */
import {controlSequenceEnd, isLetter, type OffsetProblem, type SourceRegions} from "./sourceRegions.ts";
import {KEEP_ARGUMENTS, LAYOUT_COMMANDS, NOT_BODY_TEXT_COMMANDS} from "./latexCommands.ts";

export type ParserChunk = {
    /** The shrunken text the parser reads. */
    text: string;
    /** Flat pairs `[chunkOffset, fileOffset, …]`: from each pair on, offsets advance together. */
    map: number[];
};

/**
 * After a command whose arguments the model reads ("keep": kept as written and
 * in one chunk) or whose extent it needs ("whole": in one chunk, prose shrunk).
 */
type ArgumentMode = "none" | "keep" | "whole";

/** A group longer than this is never "key-like". */
const MAX_KEY_LENGTH = 80;

const BACKSLASH = 92, LEFT_BRACE = 123, RIGHT_BRACE = 125, LEFT_BRACKET = 91, RIGHT_BRACKET = 93,
    DOLLAR = 36, HASH = 35, NEWLINE = 10, SPACE = 32, TAB = 9, CARRIAGE_RETURN = 13, STAR = 42;

/** Characters of running prose: letters, digits, blanks, ordinary punctuation, anything beyond ASCII. */
function isProse(code: number): boolean {
    if (code >= 128)
        return true;
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57))
        return true;
    switch (code) {
        case SPACE: case TAB: case CARRIAGE_RETURN:
        case 46: case 44: case 59: case 58: case 33: case 63: case 39: case 34: case 96: // . , ; : ! ? ' " `
        case 40: case 41: case 45: case 47: case 43: case 61: case 60: case 62: case 124: case 64: // ( ) - / + = < > | @
            return true;
        default:
            return false;
    }
}

function isBlank(code: number): boolean {
    return code === SPACE || code === TAB || code === CARRIAGE_RETURN;
}

export function chunksForParser(text: string, regions: SourceRegions): {chunks: ParserChunk[]; problems: OffsetProblem[]} {
    const writer = new ChunkWriter(text);
    const problems: OffsetProblem[] = [];
    /**
     * One entry per open brace group: whether its content is kept as written,
     * whether it must stay in one chunk (an argument the model reads, or whose
     * extent it needs), and the argument mode outside it.
     */
    const groups: {keep: boolean; whole: boolean; outerArgumentMode: ArgumentMode}[] = [];
    let argumentMode: ArgumentMode = "none";
    let keptBrackets = 0; // depth of `[…]` optional arguments being kept
    let displayMathAt = -1; // where open `\[` or `$$` display math began, where chunks may be cut
    let nextRegion = 0;
    let at = 0;

    const keeping = () => keptBrackets > 0 || (groups.length > 0 && groups[groups.length - 1]!.keep);
    /** Inside a group that must stay whole, no chunk ends. */
    const holdingWhole = () => groups.length > 0 && groups[groups.length - 1]!.whole;

    while (at < text.length) {
        const region = regions.regions[nextRegion];
        if (region !== undefined && at >= region.start) {
            if (region.end > at && !isHarmlessVerbatim(text, region.kind, at, region.end))
                writer.replace(at, region.end, region.kind === "verbatim" ? " " : "");
            nextRegion++;
            at = Math.max(at, region.end);
            continue;
        }
        const code = text.charCodeAt(at);
        if (code === BACKSLASH) {
            const end = controlSequenceEnd(text, at);
            if (end > at + 1 && isLetter(text.charCodeAt(at + 1))) {
                const name = text.slice(at + 1, end);
                if (KEEP_ARGUMENTS.has(name))
                    argumentMode = "keep";
                else if (argumentMode === "none" && (NOT_BODY_TEXT_COMMANDS.has(name) || LAYOUT_COMMANDS.has(name)))
                    argumentMode = "whole";
            } else if (!holdingWhole()) {
                const symbol = text[at + 1];
                if (symbol === "[" && displayMathAt < 0)
                    displayMathAt = at;
                else if (symbol === "]")
                    displayMathAt = -1;
            }
            at = end;
        } else if (code === LEFT_BRACE && !regions.strayBraces.has(at)) {
            const keep = keeping() || argumentMode === "keep" || isKeyLike(text, at, regions.braceMates.get(at));
            groups.push({keep, whole: keep || holdingWhole() || argumentMode !== "none", outerArgumentMode: argumentMode});
            argumentMode = "none";
            at++;
        } else if (code === RIGHT_BRACE && !regions.strayBraces.has(at)) {
            argumentMode = groups.pop()?.outerArgumentMode ?? "none";
            at++;
        } else if (code === LEFT_BRACKET && argumentMode !== "none") {
            keptBrackets++;
            at++;
        } else if (code === RIGHT_BRACKET && keptBrackets > 0) {
            keptBrackets--;
            at++;
        } else if (code === DOLLAR) {
            if (text.charCodeAt(at + 1) === DOLLAR) {
                if (!holdingWhole())
                    displayMathAt = displayMathAt < 0 ? at : -1;
                at += 2;
            } else
                at++;
        } else if (code === HASH) {
            // A macro parameter `#1` stays whole: the digit is not prose.
            at += text.charCodeAt(at + 1) >= 48 && text.charCodeAt(at + 1) <= 57 ? 2 : 1;
        } else if (code === NEWLINE) {
            const nextLine = nextLineStart(text, at + 1);
            if (nextLine.blank) {
                argumentMode = "none";
                if (displayMathAt >= 0) {
                    problems.push({message: "Display math is not closed before the paragraph ends.", offset: displayMathAt});
                    displayMathAt = -1;
                }
            }
            const argumentsGoOn = argumentMode !== "none" && (nextLine.first === LEFT_BRACE || nextLine.first === LEFT_BRACKET);
            at++;
            // Inside a group the model does not read whole (a `\response{…}` around a whole
            // section, a long footnote) chunks may end: the parser takes the braces
            // left open or closed in a chunk for characters, which is all they are to the model.
            if (!holdingWhole() && keptBrackets === 0 && displayMathAt < 0 && !argumentsGoOn)
                writer.cut(at);
        } else if (isProse(code)) {
            if (keeping())
                at++;
            else if (argumentMode !== "none" && isBlank(code))
                at++; // blanks between a command and its arguments
            else {
                argumentMode = "none";
                let end = at + 1;
                const stop = regions.regions[nextRegion]?.start ?? text.length;
                while (end < stop && isProse(text.charCodeAt(end)))
                    end++;
                writer.replace(at, end, " ");
                at = end;
            }
        } else {
            if (code !== STAR)
                argumentMode = "none";
            at++;
        }
    }
    if (displayMathAt >= 0)
        problems.push({message: "Display math is not closed before the file ends.", offset: displayMathAt});
    writer.cut(text.length);
    return {chunks: writer.chunks, problems};
}

/**
 * A short verbatim piece the parser reads the same way as verbatim (most URLs):
 * kept, so a macro whose body holds a URL keeps it.
 */
function isHarmlessVerbatim(text: string, kind: string, start: number, end: number): boolean {
    return kind === "verbatim" && end - start <= 200 && !/[%#{}\\\n]/.test(text.slice(start, end));
}

/** A short group with no blanks, braces or commands: a label, a key, a file name. */
function isKeyLike(text: string, open: number, close: number | undefined): boolean {
    if (close === undefined || close - open - 1 > MAX_KEY_LENGTH)
        return false;
    for (let at = open + 1; at < close; at++) {
        const code = text.charCodeAt(at);
        if (code === SPACE || code === TAB || code === NEWLINE || code === CARRIAGE_RETURN || code === BACKSLASH || code === LEFT_BRACE || code === 37)
            return false;
    }
    return true;
}

/** Whether the line starting at `from` is blank, and its first non-blank character. */
function nextLineStart(text: string, from: number): {blank: boolean; first: number} {
    let at = from;
    while (at < text.length && isBlank(text.charCodeAt(at)))
        at++;
    const first = at < text.length ? text.charCodeAt(at) : NEWLINE;
    return {blank: first === NEWLINE, first};
}

/** Builds chunks from slices of the file and replacements, keeping the offset map. */
class ChunkWriter {
    public readonly chunks: ParserChunk[] = [];
    private parts: string[] = [];
    private length = 0;
    private map: number[];
    private copiedUpTo: number;

    public constructor(private readonly text: string) {
        this.map = [0, 0];
        this.copiedUpTo = 0;
    }

    /** Writes `replacement` in place of the file's `[from, to)`. */
    public replace(from: number, to: number, replacement: string): void {
        this.copy(from);
        if (replacement !== "") {
            this.mark(from);
            this.parts.push(replacement);
            this.length += replacement.length;
        }
        this.copiedUpTo = to;
        this.mark(to);
    }

    /** Ends the current chunk at the file's offset `at`. */
    public cut(at: number): void {
        this.copy(at);
        const text = this.parts.join("");
        // A chunk without a command or math holds nothing the model reads.
        if (text.includes("\\") || text.includes("$"))
            this.chunks.push({text, map: this.map});
        this.parts = [];
        this.length = 0;
        this.map = [0, at];
        this.copiedUpTo = at;
    }

    private copy(upTo: number): void {
        if (upTo > this.copiedUpTo) {
            this.parts.push(this.text.slice(this.copiedUpTo, upTo));
            this.length += upTo - this.copiedUpTo;
            this.copiedUpTo = upTo;
        }
    }

    /** From the chunk's current length on, offsets continue at the file's `original`. */
    private mark(original: number): void {
        const last = this.map.length - 2;
        if (this.map[last] === this.length)
            this.map[last + 1] = original;
        else
            this.map.push(this.length, original);
    }
}

/** The file offset of a chunk offset. */
export function toOriginal(chunk: ParserChunk, offset: number): number {
    const map = chunk.map;
    let low = 0, high = map.length / 2 - 1;
    while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (map[middle * 2]! <= offset)
            low = middle;
        else
            high = middle - 1;
    }
    return map[low * 2 + 1]! + (offset - map[low * 2]!);
}

/** The file offset just after the character that ends before chunk offset `end`. */
export function toOriginalEnd(chunk: ParserChunk, end: number): number {
    return end <= 0 ? toOriginal(chunk, 0) : toOriginal(chunk, end - 1) + 1;
}
