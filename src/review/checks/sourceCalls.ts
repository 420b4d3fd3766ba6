/**
 * Reads LaTeX commands back from a file's text at a line the manuscript model
 * names, so a check's finding covers exactly the command it is about
 * (`\citep[e.g.][]{a, b}`, `\sect{gps}`, `\label{eq:1}`), arguments included,
 * even when they run onto the next lines. No `vscode` import.
 */

/** A command as written: `start` at its backslash, `end` after its last argument read. */
export type SourceCall = {
    name: string;
    start: number;
    end: number;
    /** The contents of its brace arguments, comments removed, trimmed. */
    args: string[];
};

/** How many arguments to read after a command's name (and its `*`). */
export type ArgumentShape = {optionals: number; mandatory: number};

/** Reads a file's commands line by line; line starts are computed once per file. */
export class SourceCallReader {
    private readonly lineStarts: number[] = [0];

    public constructor(public readonly text: string) {
        for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1))
            this.lineStarts.push(at + 1);
    }

    /** Offsets of a 1-based line, without its newline; undefined past the end. */
    public lineSpan(line: number): {start: number; end: number} | undefined {
        const start = this.lineStarts[line - 1];
        if (start == null)
            return undefined;
        const next = this.lineStarts[line];
        return {start, end: next == null ? this.text.length : next - 1};
    }

    /**
     * The commands whose backslash is on `line` and not in a comment, in order,
     * each with the arguments `shape` gives for its name (none when it gives none).
     */
    public callsOnLine(line: number, shape: (name: string) => ArgumentShape | undefined): SourceCall[] {
        const span = this.lineSpan(line);
        if (span == null)
            return [];
        const calls: SourceCall[] = [];
        const text = this.text;
        let index = span.start;
        while (index < span.end) {
            const char = text[index]!;
            if (char === "%")
                break; // the rest of the line is a comment (an escaped `\%` is skipped below)
            if (char !== "\\") {
                index++;
                continue;
            }
            const nameMatch = /^[A-Za-z@]+/.exec(text.slice(index + 1, Math.min(text.length, index + 80)));
            if (nameMatch == null) {
                index += 2; // a control symbol: `\\`, `\%`, `\{`
                continue;
            }
            const name = nameMatch[0];
            const call = readArguments(text, index, index + 1 + name.length, name, shape(name));
            calls.push(call);
            // Arguments are read past, but a command inside one (`\textit{\ref{x}}`)
            // still counts: continue right after the name.
            index += 1 + name.length;
        }
        return calls;
    }
}

function readArguments(text: string, start: number, afterName: number, name: string, shape: ArgumentShape | undefined): SourceCall {
    const call: SourceCall = {name, start, end: afterName, args: []};
    if (shape == null)
        return call;
    let index = afterName;
    if (text[index] === "*")
        call.end = ++index;
    let optionals = 0;
    while (call.args.length < shape.mandatory) {
        index = skipBlank(text, index);
        const open = text[index];
        if (open === "[" && optionals < shape.optionals && call.args.length === 0) {
            const close = groupEnd(text, index, "[", "]");
            if (close < 0)
                break;
            optionals++;
            index = call.end = close + 1;
        } else if (open === "{") {
            const close = groupEnd(text, index, "{", "}");
            if (close < 0)
                break;
            call.args.push(withoutComments(text.slice(index + 1, close)).trim());
            index = call.end = close + 1;
        } else {
            break;
        }
    }
    return call;
}

/** Spaces, at most one line break (a blank line ends a command's arguments) and comments. */
function skipBlank(text: string, index: number): number {
    let breaks = 0;
    while (index < text.length) {
        const char = text[index];
        if (char === " " || char === "\t" || char === "\r")
            index++;
        else if (char === "\n" && breaks++ === 0)
            index++;
        else if (char === "%") {
            const lineEnd = text.indexOf("\n", index);
            index = lineEnd < 0 ? text.length : lineEnd;
        } else
            break;
    }
    return index;
}

/** The offset of the bracket closing the group opened at `open`, or -1; nested braces, escapes and comments respected. */
function groupEnd(text: string, open: number, opener: string, closer: string): number {
    let depth = 0;
    for (let index = open; index < text.length; index++) {
        const char = text[index];
        if (char === "\\") {
            index++;
        } else if (char === "%") {
            const lineEnd = text.indexOf("\n", index);
            if (lineEnd < 0)
                return -1;
            index = lineEnd;
        } else if (char === "{" || (opener === "[" && char === "[")) {
            depth++;
        } else if (char === closer || char === "}") {
            depth--;
            if (depth === 0)
                return char === closer ? index : -1;
            if (depth < 0)
                return -1;
        }
    }
    return -1;
}

function withoutComments(text: string): string {
    return text.replace(/(^|[^\\])%[^\n]*/g, "$1");
}
