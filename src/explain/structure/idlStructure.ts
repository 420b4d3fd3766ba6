/**
 * IDL: `pro` and `function` routines (case-insensitive) up to their `end`.
 * A plain END also closes BEGIN blocks and CASE/SWITCH statements, so the
 * routine's own END is found by counting those; if the count goes wrong (a
 * file that does not compile), the routine ends at the last END before the
 * next routine. Imports: `@file` batch includes, FORWARD_FUNCTION,
 * RESOLVE_ROUTINE.
 */
import type {SourceFile} from "../SourceFile.ts";
import type {CodeUnit, FileStructure, ImportStatement} from "./codeUnits.ts";

const routine = /^\s*(pro|function)\s+([\w$]+(?:::[\w$]+)?)/i;
const openers = /(?<![\w$.!])(?:begin|(?:case|switch)\b.*?\bof)(?![\w$])/gi;
const closers = /(?<![\w$.!])(end(?:if|else|for|foreach|while|rep|case|switch)?)(?![\w$])/gi;
const importLine = /^\s*(?:@\S|(?:forward_function|resolve_routine)\b)/i;

export function idlStructure(file: SourceFile): FileStructure {
    const {masked} = file;
    const starts = masked.flatMap((line, index) => routine.test(line) ? [index] : []);
    const units: CodeUnit[] = starts.map((start, k) => {
        const match = routine.exec(masked[start]!)!;
        const limit = (starts[k + 1] ?? masked.length) - 1;
        const headerEnd = continuedTo(masked, start);
        return {kind: "function", name: match[2]!, start, end: routineEnd(masked, headerEnd, limit), headerEnd};
    });

    const imports: ImportStatement[] = [];
    masked.forEach((line, index) => {
        if (importLine.test(line)) {
            const end = continuedTo(masked, index);
            imports.push({start: index, end, text: file.slice(index, end).trim()});
        }
    });
    return {units, imports};
}

/** The last line of a statement continued with `$`. */
function continuedTo(masked: readonly string[], line: number): number {
    let end = line;
    while (end + 1 < masked.length && /\$\s*$/.test(masked[end]!))
        end++;
    return end;
}

function routineEnd(masked: readonly string[], headerEnd: number, limit: number): number {
    let depth = 0;
    for (let line = headerEnd + 1; line <= limit; line++) {
        // Openers and closers in the order they appear on the line ("if a then begin … endif else begin").
        const tokens = [...masked[line]!.matchAll(openers)].map((match) => ({at: match.index, open: true}))
            .concat([...masked[line]!.matchAll(closers)].map((match) => ({at: match.index, open: false})))
            .sort((a, b) => a.at - b.at);
        for (const token of tokens) {
            if (token.open) {
                depth++;
            } else if (depth === 0) {
                return line;
            } else {
                depth--;
            }
        }
    }
    for (let line = limit; line > headerEnd; line--)
        if (/^\s*end\s*$/i.test(masked[line]!))
            return line;
    let last = limit;
    while (last > headerEnd && masked[last]!.trim() === "")
        last--;
    return last;
}
