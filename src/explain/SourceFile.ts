/**
 * One document as Explain Code reads it: its lines, the same lines with
 * comments and strings blanked (see maskCode.ts), and, worked out once on
 * first use, the functions, classes, constants and imports it defines.
 */
import type {Language} from "./languages.ts";
import {maskCode} from "./maskCode.ts";
import {braceStructure} from "./structure/braceStructure.ts";
import {fortranStructure} from "./structure/fortranStructure.ts";
import {idlStructure} from "./structure/idlStructure.ts";
import {juliaStructure} from "./structure/juliaStructure.ts";
import {pythonStructure} from "./structure/pythonStructure.ts";
import {assignParents, type FileStructure} from "./structure/codeUnits.ts";

export class SourceFile {
    /** The lines, without their line breaks. */
    public readonly lines: readonly string[];
    /** The lines with comments and the insides of strings blanked. */
    public readonly masked: readonly string[];
    /** The masked text, offset for offset the same as the text. */
    public readonly maskedText: string;
    /** Whether each line starts inside a string or comment (the end of a triple-quoted string, say). */
    public readonly continuesString: readonly boolean[];
    /** Where each line starts in the text. */
    private readonly lineStarts: readonly number[];
    private found: FileStructure | undefined;

    public constructor(public readonly text: string, public readonly language: Language) {
        const masked = maskCode(text, language);
        this.maskedText = masked.text;
        const starts = [0];
        for (const match of text.matchAll(/\r\n|\r|\n/g))
            starts.push(match.index + match[0].length);
        this.lineStarts = starts;
        this.lines = starts.map((start, line) => text.slice(start, lineContentEnd(text, starts, line)));
        this.masked = starts.map((start, line) => this.maskedText.slice(start, lineContentEnd(text, starts, line)));
        const inside = new Array<boolean>(starts.length).fill(false);
        for (const [from, to] of masked.spans)
            for (let line = this.lineOf(from) + 1; line < starts.length && starts[line]! <= to; line++)
                inside[line] = true;
        this.continuesString = inside;
    }

    public get lineCount(): number {
        return this.lines.length;
    }

    /** The 0-based line holding `offset`. */
    public lineOf(offset: number): number {
        let low = 0;
        let high = this.lineStarts.length - 1;
        while (low < high) {
            const middle = (low + high + 1) >> 1;
            if (this.lineStarts[middle]! <= offset)
                low = middle;
            else
                high = middle - 1;
        }
        return low;
    }

    /** The offset of a line and character. */
    public offsetAt(line: number, character: number): number {
        const clamped = Math.max(0, Math.min(line, this.lineStarts.length - 1));
        return Math.min(this.lineStarts[clamped]! + character, lineContentEnd(this.text, this.lineStarts, clamped));
    }

    /** Lines first..last (inclusive) joined with "\n". */
    public slice(first: number, last: number): string {
        return this.lines.slice(first, last + 1).join("\n");
    }

    /** Whether a line has code on it (not only blanks or a comment). */
    public hasCode(line: number): boolean {
        return (this.masked[line] ?? "").trim() !== "";
    }

    /** The functions, classes, constants and imports of the file. */
    public get structure(): FileStructure {
        this.found ??= this.findStructure();
        return this.found;
    }

    private findStructure(): FileStructure {
        const found = structureFinders[this.language.family]?.(this) ?? {units: [], imports: []};
        return {units: assignParents(found.units), imports: found.imports};
    }
}

const structureFinders: Partial<Record<Language["family"], (file: SourceFile) => FileStructure>> = {
    python: pythonStructure,
    idl: idlStructure,
    fortran: fortranStructure,
    c: braceStructure,
    javascript: braceStructure,
    julia: juliaStructure
};

function lineContentEnd(text: string, starts: readonly number[], line: number): number {
    const next = starts[line + 1];
    if (next == null)
        return text.length;
    return text[next - 2] === "\r" && text[next - 1] === "\n" ? next - 2 : next - 1;
}
