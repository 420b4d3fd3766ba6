/**
 * Blanks out comments and the insides of strings, keeping every line break and
 * every other character where it was, so that keyword, bracket and name
 * scanners see only code and their offsets still point into the real text.
 * String delimiters are kept (a line holding only the end of a multi-line
 * string is not blank), as are C preprocessor lines' line breaks.
 */
import type {Language} from "./languages.ts";

export type MaskedCode = {
    /** The text with comments and the insides of strings blanked. */
    text: string;
    /** The blanked spans [from, to): a line starting inside one continues a string or comment. */
    spans: [number, number][];
};

export function maskCode(text: string, language: Language): MaskedCode {
    const masker = new Masker(text);
    switch (language.family) {
        case "python": masker.python(); break;
        case "idl": masker.idl(); break;
        case "fortran": masker.fortran(language.fixedForm); break;
        case "c": masker.c(); break;
        case "javascript": masker.javascript(); break;
        case "julia": masker.julia(); break;
        case "other": break;
    }
    return {text: masker.result(), spans: masker.spans};
}

class Masker {
    private readonly out: string[];
    public readonly spans: [number, number][] = [];

    public constructor(private readonly text: string) {
        // By UTF-16 unit, not by code point, so offsets stay those of the text.
        this.out = text.split("");
    }

    public result(): string {
        return this.out.join("");
    }

    /** Blanks text[from, to), keeping line breaks. */
    private blank(from: number, to: number) {
        if (to > from)
            this.spans.push([from, to]);
        for (let i = from; i < to && i < this.text.length; i++) {
            const character = this.text[i]!;
            if (character !== "\n" && character !== "\r")
                this.out[i] = " ";
        }
    }

    private lineEnd(from: number): number {
        const end = this.text.indexOf("\n", from);
        return end === -1 ? this.text.length : end;
    }

    /** A string opened by `quote` at `open`: blanks its inside and returns the index after it. */
    private quoted(open: number, quote: string, options: {escapes: boolean; doubled: boolean; multiline: boolean; unclosed: "blank" | "keep"}): number {
        const {text} = this;
        let i = open + quote.length;
        while (i < text.length) {
            const character = text[i]!;
            if (options.escapes && character === "\\") {
                i += 2;
                continue;
            }
            if (text.startsWith(quote, i)) {
                if (options.doubled && text.startsWith(quote, i + quote.length)) {
                    i += 2 * quote.length;
                    continue;
                }
                this.blank(open + quote.length, i);
                return i + quote.length;
            }
            if (character === "\n" && !options.multiline)
                break;
            i++;
        }
        if (options.unclosed === "keep")
            return open + quote.length;
        this.blank(open + quote.length, i);
        return i;
    }

    public python() {
        const {text} = this;
        for (let i = 0; i < text.length;) {
            const character = text[i]!;
            if (character === "#") {
                const end = this.lineEnd(i);
                this.blank(i, end);
                i = end;
            } else if (character === "'" || character === "\"") {
                const triple = character.repeat(3);
                i = text.startsWith(triple, i)
                    ? this.quoted(i, triple, {escapes: true, doubled: false, multiline: true, unclosed: "blank"})
                    : this.quoted(i, character, {escapes: true, doubled: false, multiline: false, unclosed: "blank"});
            } else {
                i++;
            }
        }
    }

    public idl() {
        const {text} = this;
        for (let i = 0; i < text.length;) {
            const character = text[i]!;
            if (character === ";") {
                const end = this.lineEnd(i);
                this.blank(i, end);
                i = end;
            } else if (character === "'" || character === "\"") {
                // An unclosed "… is an octal number ("777), not a string.
                i = this.quoted(i, character, {escapes: false, doubled: true, multiline: false, unclosed: "keep"});
            } else {
                i++;
            }
        }
    }

    public fortran(fixedForm: boolean) {
        const {text} = this;
        let lineStart = true;
        for (let i = 0; i < text.length;) {
            const character = text[i]!;
            if (lineStart && fixedForm && /[cC*!dD]/.test(character)) {
                const end = this.lineEnd(i);
                this.blank(i, end);
                i = end;
                continue;
            }
            lineStart = character === "\n";
            if (character === "!") {
                const end = this.lineEnd(i);
                this.blank(i, end);
                i = end;
            } else if (character === "'" || character === "\"") {
                i = this.quoted(i, character, {escapes: false, doubled: true, multiline: false, unclosed: "blank"});
            } else {
                i++;
            }
        }
    }

    public c() {
        const {text} = this;
        let lineStart = true;
        for (let i = 0; i < text.length;) {
            const character = text[i]!;
            if (lineStart && character === "#") {
                // A preprocessor line, with its backslash continuations.
                let end = this.lineEnd(i);
                while (end < text.length && /\\\r?$/.test(text.slice(i, end)))
                    end = this.lineEnd(end + 1);
                this.blank(i, end);
                i = end;
                continue;
            }
            if (character === "\n")
                lineStart = true;
            else if (character !== " " && character !== "\t")
                lineStart = false;
            if (text.startsWith("//", i)) {
                const end = this.lineEnd(i);
                this.blank(i, end);
                i = end;
            } else if (text.startsWith("/*", i)) {
                const close = text.indexOf("*/", i + 2);
                const end = close === -1 ? text.length : close + 2;
                this.blank(i, end);
                i = end;
            } else if (character === "\"") {
                i = this.quoted(i, "\"", {escapes: true, doubled: false, multiline: false, unclosed: "blank"});
            } else if (character === "'") {
                // A digit separator (1'000'000) is not a character literal.
                const literal = /^'(?:\\.[^']{0,8}|[^'\\\n])'/.exec(text.slice(i, i + 12));
                if (literal != null && !/[0-9]/.test(text[i - 1] ?? "")) {
                    this.blank(i + 1, i + literal[0].length - 1);
                    i += literal[0].length;
                } else {
                    i++;
                }
            } else {
                i++;
            }
        }
    }

    public javascript() {
        this.javascriptCode(0, false);
    }

    /**
     * Masks JavaScript from `start`; inside a template literal's `${…}` it stops
     * after the brace that closes it and returns the index after it.
     */
    private javascriptCode(start: number, inTemplate: boolean): number {
        const {text} = this;
        let depth = 0;
        let previous = ""; // the last token: decides whether a slash starts a regular expression
        for (let i = start; i < text.length;) {
            const character = text[i]!;
            if (text.startsWith("//", i)) {
                const end = this.lineEnd(i);
                this.blank(i, end);
                i = end;
            } else if (text.startsWith("/*", i)) {
                const close = text.indexOf("*/", i + 2);
                const end = close === -1 ? text.length : close + 2;
                this.blank(i, end);
                i = end;
            } else if (character === "'" || character === "\"") {
                i = this.quoted(i, character, {escapes: true, doubled: false, multiline: false, unclosed: "blank"});
                previous = "string";
            } else if (character === "`") {
                i = this.template(i);
                previous = "string";
            } else if (character === "/" && startsRegExp(previous)) {
                const literal = regExpLiteral(text, i);
                if (literal == null) {
                    i++;
                    previous = "/";
                } else {
                    this.blank(i + 1, literal.close);
                    i = literal.end;
                    previous = "string";
                }
            } else if (/[\p{L}\p{N}_$]/u.test(character)) {
                const word = /^[\p{L}\p{N}_$]+/u.exec(text.slice(i, i + 200))![0];
                previous = word;
                i += word.length;
            } else {
                if (character === "{")
                    depth++;
                if (character === "}") {
                    if (inTemplate && depth === 0)
                        return i + 1;
                    depth--;
                }
                if (!/\s/.test(character))
                    previous = character;
                i++;
            }
        }
        return text.length;
    }

    /** A template literal opened at `open`: blanks its text, masks its `${…}` as code. */
    private template(open: number): number {
        const {text} = this;
        let i = open + 1;
        let segmentStart = i;
        while (i < text.length) {
            const character = text[i]!;
            if (character === "\\") {
                i += 2;
            } else if (character === "`") {
                this.blank(segmentStart, i);
                return i + 1;
            } else if (text.startsWith("${", i)) {
                this.blank(segmentStart, i);
                i = this.javascriptCode(i + 2, true);
                segmentStart = i;
            } else {
                i++;
            }
        }
        this.blank(segmentStart, text.length);
        return text.length;
    }

    public julia() {
        const {text} = this;
        for (let i = 0; i < text.length;) {
            const character = text[i]!;
            if (text.startsWith("#=", i)) {
                // Block comments nest.
                let depth = 0;
                let j = i;
                while (j < text.length) {
                    if (text.startsWith("#=", j)) {
                        depth++;
                        j += 2;
                    } else if (text.startsWith("=#", j)) {
                        depth--;
                        j += 2;
                        if (depth === 0)
                            break;
                    } else {
                        j++;
                    }
                }
                this.blank(i, j);
                i = j;
            } else if (character === "#") {
                const end = this.lineEnd(i);
                this.blank(i, end);
                i = end;
            } else if (character === "\"") {
                i = text.startsWith("\"\"\"", i)
                    ? this.quoted(i, "\"\"\"", {escapes: true, doubled: false, multiline: true, unclosed: "blank"})
                    : this.quoted(i, "\"", {escapes: true, doubled: false, multiline: true, unclosed: "blank"});
            } else if (character === "`") {
                i = this.quoted(i, "`", {escapes: true, doubled: false, multiline: false, unclosed: "blank"});
            } else if (character === "'") {
                // After a name, a closing bracket, a number or another quote, ' is the adjoint (A').
                const adjoint = /[\p{L}\p{N}_)\]}'.!]/u.test(text[i - 1] ?? " ");
                const literal = adjoint ? null : /^'(?:\\[^']{1,10}|[^'\\\n])'/u.exec(text.slice(i, i + 14));
                if (literal != null) {
                    this.blank(i + 1, i + literal[0].length - 1);
                    i += literal[0].length;
                } else {
                    i++;
                }
            } else {
                i++;
            }
        }
    }
}

const tokensBeforeRegExp = new Set(["", "(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%", "<", ">", "~", "^",
    "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await", "instanceof"]);

function startsRegExp(previous: string): boolean {
    return tokensBeforeRegExp.has(previous);
}

/** Where a regular expression literal starting at `open` closes and ends (after its flags), or null when none does on this line. */
function regExpLiteral(text: string, open: number): {close: number; end: number} | null {
    let inClass = false;
    for (let i = open + 1; i < text.length; i++) {
        const character = text[i]!;
        if (character === "\n" || character === "\r")
            return null;
        if (character === "\\") {
            i++;
        } else if (character === "[") {
            inClass = true;
        } else if (character === "]") {
            inClass = false;
        } else if (character === "/" && !inClass) {
            let end = i + 1;
            while (end < text.length && /[a-z]/.test(text[end]!))
                end++;
            return {close: i, end};
        }
    }
    return null;
}
