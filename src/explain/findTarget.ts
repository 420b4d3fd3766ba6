/**
 * What "Explain Code" explains: the selection, or else the function around
 * the cursor (from the language extension's symbols when there are any, else
 * from the file's own structure), or else the lines around the cursor. Each
 * refusal says what to do instead; one that is only too long offers smaller
 * parts that fit.
 */
import type {SourceFile} from "./SourceFile.ts";
import {assignParents, type CodeUnit} from "./structure/codeUnits.ts";

export type Position = {line: number; character: number};
export type Range = {start: Position; end: Position};

/** A block from the editor's document symbol provider, reduced to what matters here. */
export type OutlineSymbol = {name: string; kind: CodeUnit["kind"] | "other"; start: number; end: number};

export type ExplainTarget = {
    /** Chosen by the user, a function or class found around the cursor, or the lines around it. */
    source: "selection" | "block" | "lines";
    /** First and last line, 0-based, inclusive. */
    first: number;
    last: number;
    /** The exact text explained (a selection may start or end inside a line). */
    text: string;
    /** The function or class explained, when the target is one. */
    unit?: CodeUnit;
    /** The functions and classes around the target, innermost first. */
    enclosing: CodeUnit[];
    /** The units the target was found among (the symbols' or the file's own). */
    units: CodeUnit[];
};

export type ExplainChoice = {label: string; selection: Range};

export type ExplainProblem = {
    code: "binary" | "minified" | "empty" | "noCode" | "tooLarge";
    /** For the user: what is wrong and what to do. */
    message: string;
    /** Smaller parts that would fit, offered as buttons after "…, or explain:" (short: a toast's buttons share one line). */
    choices: ExplainChoice[];
};

export type FindTargetInput = {
    selection?: Range;
    cursor: Position;
    symbols?: readonly OutlineSymbol[];
    maxCharacters: number;
    fileName: string;
};

/** Lines longer than this are minified or generated text, not code to read. */
export const MAX_LINE_LENGTH = 2_000;
/** The lines around the cursor explained when no function is found: this many on each side. */
export const WINDOW_RADIUS = 15;

export function findTarget(file: SourceFile, input: FindTargetInput): {target: ExplainTarget} | {problem: ExplainProblem} {
    const {fileName, maxCharacters} = input;
    if (looksBinary(file.text))
        return refuse("binary", `${fileName} looks like a binary file (it contains NUL or other control bytes), not source code. Open a source file, then run AstroSage: Explain Code.`);
    if (file.text.trim() === "")
        return refuse("empty", `${fileName} is empty: there is no code to explain.`);

    const fromSymbols = symbolUnits(file, input.symbols);
    const units = fromSymbols ?? file.structure.units;
    const selected = input.selection == null ? undefined : selectionTarget(file, input.selection, units);
    let target = selected ?? cursorTarget(file, input.cursor.line, units, maxCharacters);
    // Symbols that hold nothing around the cursor leave it to the file's own structure.
    if (selected == null && fromSymbols != null && ("problem" in target || target.source !== "block"))
        target = cursorTarget(file, input.cursor.line, file.structure.units, maxCharacters);
    if ("problem" in target)
        return target;

    const longLine = findLongLine(file, target.first, target.last);
    if (longLine != null)
        return refuse("minified", `${fileName} looks minified or generated (line ${longLine + 1} is ${file.lines[longLine]!.length.toLocaleString("en")} characters long), which AstroSage cannot explain usefully. Select a readable part, or open the original source.`);

    if (target.text.length > maxCharacters) {
        const size = `${target.text.length.toLocaleString("en")} characters (${(target.last - target.first + 1).toLocaleString("en")} lines)`;
        const limit = `over the ${maxCharacters.toLocaleString("en")} AstroSage explains at a time`;
        const choices = [firstLinesChoice(file, target.first, target.last, maxCharacters)];
        if (target.source === "selection") {
            const atCursor = cursorTarget(file, input.cursor.line, units, maxCharacters);
            if (!("problem" in atCursor) && atCursor.source === "block" && atCursor.text.length <= maxCharacters)
                choices.push({label: "The function at the cursor", selection: fullLines(file, atCursor.first, atCursor.last)});
            return refuse("tooLarge", `The selection is too long to explain: ${size}, ${limit}. Select less, or explain:`, choices);
        }
        const window = windowAround(file, input.cursor.line, maxCharacters, units);
        if (window != null)
            choices.push({label: `${window.last - window.first + 1} lines around the cursor`, selection: fullLines(file, window.first, window.last)});
        return refuse("tooLarge", `${describeUnit(target.unit!)} is too long to explain whole: ${size}, ${limit}. Select part of it, or explain:`, choices);
    }
    return {target};
}

/** The symbols as units, when they name any function; their ranges are preferred to the file's own structure. */
function symbolUnits(file: SourceFile, symbols: readonly OutlineSymbol[] | undefined): CodeUnit[] | undefined {
    if (symbols == null || !symbols.some((symbol) => symbol.kind === "function"))
        return undefined;
    const own = file.structure.units;
    return assignParents(symbols.flatMap((symbol): CodeUnit[] => {
        if (symbol.kind === "other")
            return [];
        // Providers differ on where a definition starts (at its decorators, its return type or its name):
        // the file's own unit of that name whose signature holds the symbol's first line says.
        const same = own.find((unit) => unit.name.endsWith(symbol.name) && unit.start <= symbol.start && unit.headerEnd >= symbol.start);
        const start = Math.min(symbol.start, same?.start ?? symbol.start);
        return [{kind: symbol.kind, name: symbol.name, start, end: symbol.end, headerEnd: Math.max(symbol.start, same?.headerEnd ?? symbol.start)}];
    }));
}

function selectionTarget(file: SourceFile, selection: Range, units: CodeUnit[]): ExplainTarget | undefined {
    const from = file.offsetAt(selection.start.line, selection.start.character);
    const to = file.offsetAt(selection.end.line, selection.end.character);
    const [start, end] = from <= to ? [from, to] : [to, from];
    const text = file.text.slice(start, end);
    if (text.trim() === "")
        return undefined;
    const first = file.lineOf(start);
    // A selection ending at the start of a line does not include that line (as the chat's chip counts it).
    const last = end > start && file.lineOf(end) > first && file.offsetAt(file.lineOf(end), 0) === end ? file.lineOf(end) - 1 : file.lineOf(end);
    const fullLineText = file.slice(first, last);
    const unit = text.trim() === fullLineText.trim()
        ? units.find((candidate) => candidate.kind !== "constant" && candidate.start === first && candidate.end === last)
        : undefined;
    return {source: "selection", first, last, text, unit, enclosing: enclosingUnits(units, first, last), units};
}

function cursorTarget(file: SourceFile, line: number, units: CodeUnit[], maxCharacters: number): ExplainTarget | {problem: ExplainProblem} {
    const around = enclosingUnits(units, line, line);
    // Outermost first: a closure or a callback is explained with the function it belongs to, when that fits.
    const functions = around.filter((unit) => unit.kind === "function").reverse();
    const blockTarget = (unit: CodeUnit): ExplainTarget => ({
        source: "block", first: unit.start, last: unit.end, text: file.slice(unit.start, unit.end), unit,
        enclosing: around.filter((other) => other !== unit && other.start <= unit.start && other.end >= unit.end), units
    });
    if (functions.length > 0) {
        const fitting = functions.find((unit) => file.slice(unit.start, unit.end).length <= maxCharacters);
        return blockTarget(fitting ?? functions.at(-1)!);
    }
    if (!file.hasCode(line))
        return {problem: {code: "noCode", message: "Select code or put the cursor inside a function to explain it: there is no code at the cursor.", choices: []}};
    const container = around.find((unit) => unit.kind === "class" || unit.kind === "program" || unit.kind === "type");
    if (container != null)
        return blockTarget(container);
    const window = windowAround(file, line, maxCharacters, units)!;
    return {source: "lines", first: window.first, last: window.last, text: file.slice(window.first, window.last), enclosing: around, units};
}

/** Units that contain lines first..last, innermost first; constants contain nothing. */
function enclosingUnits(units: readonly CodeUnit[], first: number, last: number): CodeUnit[] {
    return units
        .filter((unit) => unit.kind !== "constant" && unit.start <= first && unit.end >= last)
        .sort((a, b) => (a.end - a.start) - (b.end - b.start));
}

/**
 * Up to WINDOW_RADIUS lines each side of the cursor, within the budget, without
 * blank lines at either end and without reaching into functions or classes
 * the cursor is not in.
 */
function windowAround(file: SourceFile, line: number, maxCharacters: number, units: readonly CodeUnit[]): {first: number; last: number} | undefined {
    const others = units.filter((unit) => unit.kind !== "constant" && unit.kind !== "module" && (unit.end < line || unit.start > line));
    const floor = Math.max(0, ...others.filter((unit) => unit.end < line).map((unit) => unit.end + 1));
    const ceiling = Math.min(file.lineCount - 1, ...others.filter((unit) => unit.start > line).map((unit) => unit.start - 1));
    for (let radius = WINDOW_RADIUS; radius >= 0; radius--) {
        let first = Math.max(floor, line - radius);
        let last = Math.min(ceiling, line + radius);
        while (first < line && file.lines[first]!.trim() === "")
            first++;
        while (last > line && file.lines[last]!.trim() === "")
            last--;
        if (file.slice(first, last).length <= maxCharacters)
            return {first, last};
    }
    return undefined;
}

function firstLinesChoice(file: SourceFile, first: number, last: number, maxCharacters: number): ExplainChoice {
    let length = 0;
    let end = first;
    for (let line = first; line <= last; line++) {
        length += file.lines[line]!.length + 1;
        if (length - 1 > maxCharacters)
            break;
        end = line;
    }
    return {label: `First ${end - first + 1} lines`, selection: fullLines(file, first, end)};
}

function fullLines(file: SourceFile, first: number, last: number): Range {
    return {start: {line: first, character: 0}, end: {line: last, character: file.lines[last]!.length}};
}

function findLongLine(file: SourceFile, first: number, last: number): number | undefined {
    for (let line = first; line <= last; line++)
        if (file.lines[line]!.length > MAX_LINE_LENGTH)
            return line;
    return undefined;
}

/** NUL bytes, or more than 1 % control characters other than tab, line breaks and form feed. */
function looksBinary(text: string): boolean {
    if (text.includes("\0"))
        return true;
    const sample = text.slice(0, 8_000);
    const controls = sample.match(/[\x01-\x08\x0e-\x1a\x1c-\x1f]/g)?.length ?? 0;
    return controls > sample.length / 100;
}

/** "fit_psf (lines 41-55)", for messages (which show no Markdown). */
function describeUnit(unit: CodeUnit): string {
    return `${unit.name === "" ? "The block" : unit.name} (lines ${unit.start + 1}-${unit.end + 1})`;
}

function refuse(code: ExplainProblem["code"], message: string, choices: ExplainChoice[] = []): {problem: ExplainProblem} {
    return {problem: {code, message, choices}};
}
