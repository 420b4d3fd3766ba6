/**
 * Python: functions and classes by indentation, with their decorators;
 * module-level assignments; import statements. Only logical lines count: a
 * line inside brackets, after a backslash or inside a triple-quoted string
 * (blank once masked) never ends a block, whatever its indentation.
 */
import type {SourceFile} from "../SourceFile.ts";
import {bracketDepths, indentWidth, statementEnd, type CodeUnit, type FileStructure, type ImportStatement} from "./codeUnits.ts";

const definition = /^\s*(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)/;
const assignment = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=]*)?=(?!=)/;
const importLine = /^\s*(?:import\s|from\s+[\w.]+\s+import\b)/;

export function pythonStructure(file: SourceFile): FileStructure {
    const {lines, masked} = file;
    const depths = bracketDepths(masked);
    const continued = (line: string) => /\\\s*$/.test(line);
    // A logical line starts where no bracket or string is open and the line before is not continued.
    const logicalStart = masked.map((_, line) => depths[line] === 0 && !file.continuesString[line] && (line === 0 || !continued(masked[line - 1]!)));
    const endOf = (line: number) => statementEnd(masked, depths, line, continued, file.continuesString);
    const isCode = (line: number) => logicalStart[line]! && file.hasCode(line);

    const units: CodeUnit[] = [];
    for (let line = 0; line < lines.length; line++) {
        if (!isCode(line))
            continue;
        const match = definition.exec(masked[line]!);
        if (match == null)
            continue;
        const indent = indentWidth(lines[line]!);
        const headerEnd = endOf(line);
        let end = headerEnd;
        for (let next = headerEnd + 1; next < lines.length; next++) {
            if (isCode(next) && indentWidth(lines[next]!) <= indent)
                break;
            // Code, or a comment indented into the body, extends the block; blank lines only if more follows.
            if (file.hasCode(next) || (lines[next]!.trim() !== "" && indentWidth(lines[next]!) > indent))
                end = next;
        }
        units.push({kind: match[1] === "def" ? "function" : "class", name: match[2]!, start: decoratorsStart(line, indent), end, headerEnd});
    }

    /** The first of the decorators right above a definition (each may span lines). */
    function decoratorsStart(line: number, indent: number): number {
        let start = line;
        for (let above = line - 1; above >= 0; above--) {
            if (!logicalStart[above])
                continue; // inside a decorator's arguments
            if (!/^\s*@/.test(masked[above]!) || indentWidth(lines[above]!) !== indent)
                break;
            start = above;
        }
        return start;
    }

    for (let line = 0; line < lines.length; line++) {
        if (!isCode(line) || indentWidth(lines[line]!) !== 0)
            continue;
        const match = assignment.exec(masked[line]!);
        if (match == null)
            continue;
        const end = endOf(line);
        for (const name of match[1]!.split(",").map((part) => part.trim()))
            if (!name.startsWith("__"))
                units.push({kind: "constant", name, start: line, end, headerEnd: end});
        line = end;
    }

    const imports: ImportStatement[] = [];
    for (let line = 0; line < lines.length; line++) {
        if (!isCode(line) || !importLine.test(masked[line]!))
            continue;
        const end = endOf(line);
        const insideDefinition = units.some((unit) => unit.kind !== "constant" && unit.start <= line && unit.end >= line);
        if (!insideDefinition && !underMainGuard(line))
            imports.push({start: line, end, text: file.slice(line, end).trim()});
        line = end;
    }

    /** Whether an indented line belongs to `if __name__ == "__main__":`, the script's own entry point. */
    function underMainGuard(line: number): boolean {
        if (indentWidth(lines[line]!) === 0)
            return false;
        for (let above = line - 1; above >= 0; above--)
            if (isCode(above) && indentWidth(lines[above]!) === 0)
                return /^if\s+__name__\s*==/.test(masked[above]!);
        return false;
    }

    return {units, imports};
}
