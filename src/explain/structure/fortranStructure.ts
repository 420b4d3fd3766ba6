/**
 * Fortran (free form, and fixed form by its comment column): program units and
 * procedures up to their END, case-insensitive: PROGRAM, MODULE, SUBMODULE,
 * SUBROUTINE and FUNCTION (with any prefix: PURE, ELEMENTAL, RECURSIVE, a
 * type such as REAL(dp) or TYPE(orbit_t)), and derived TYPEs. A bare END
 * closes the innermost unit, as in Fortran 77. Module variables and
 * parameters declared before CONTAINS are constants. Imports: USE and INCLUDE.
 */
import type {SourceFile} from "../SourceFile.ts";
import type {CodeUnit, CodeUnitKind, FileStructure, ImportStatement} from "./codeUnits.ts";

const parenthesised = String.raw`\((?:[^()]|\([^()]*\))*\)`;
const prefix = String.raw`(?:(?:pure|impure|elemental|recursive|non_recursive|module)\s+)*`;
const typeSpec = String.raw`(?:(?:integer|real|logical|complex|character|double\s*precision|double\s*complex|type|class)\s*(?:${parenthesised}|\*\s*\d+)?\s+)?`;

const starts: {kind: CodeUnitKind; keyword: string; pattern: RegExp}[] = [
    {kind: "function", keyword: "subroutine", pattern: new RegExp(String.raw`^${prefix}subroutine\s+(\w+)`, "i")},
    {kind: "function", keyword: "function", pattern: new RegExp(String.raw`^${prefix}${typeSpec}${prefix}function\s+(\w+)`, "i")},
    {kind: "program", keyword: "program", pattern: /^program\s+(\w+)/i},
    {kind: "module", keyword: "module", pattern: /^module\s+(?!(?:procedure|function|subroutine|pure|impure|elemental|recursive)\b)(\w+)\s*$/i},
    {kind: "module", keyword: "submodule", pattern: /^submodule\s*\([^)]*\)\s*(\w+)/i},
    {kind: "type", keyword: "type", pattern: /^type\s*(?:,[^:]*)?::\s*(\w+)|^type\s+(?!is\b)(\w+)\s*$/i}
];
const endStatement = /^end(?:\s*(subroutine|function|program|module|submodule|procedure|type)(?:\s+\w+)?)?\s*$/i;
const declaration = /^(?:integer|real|logical|complex|character|double\s*precision|type\s*\(|class\s*\()[^:]*::(.*)$/i;

type Open = {kind: CodeUnitKind; keyword: string; name: string; start: number; headerEnd: number};

export function fortranStructure(file: SourceFile): FileStructure {
    const {masked} = file;
    const units: CodeUnit[] = [];
    const imports: ImportStatement[] = [];
    const open: Open[] = [];
    /** Module spec parts (between MODULE and CONTAINS) hold the module's variables and parameters. */
    let inSpecification = false;

    for (let line = 0; line < masked.length; line++) {
        const headerEnd = continuedTo(masked, line);
        const statement = masked.slice(line, headerEnd + 1).map((part) => part.replace(/&\s*$/, "").replace(/^\s*&/, "")).join(" ")
            .replace(/^\s*\d+\s+/, "") // a statement label
            .trim();
        if (statement === "")
            continue;

        const end = endStatement.exec(statement);
        if (end != null) {
            const keyword = end[1]?.toLowerCase();
            if (keyword === "type" && open.at(-1)?.kind !== "type") {
                line = headerEnd;
                continue;
            }
            const unit = open.pop();
            if (unit != null)
                units.push({kind: unit.kind, name: unit.name, start: unit.start, end: headerEnd, headerEnd: unit.headerEnd});
            // A derived type ends inside its module's specification part, which goes on.
            inSpecification = unit?.kind === "type" && open.at(-1)?.kind === "module";
            line = headerEnd;
            continue;
        }

        const start = starts.map((candidate) => ({candidate, match: candidate.pattern.exec(statement)})).find(({match}) => match != null);
        if (start != null) {
            const {candidate, match} = start;
            open.push({kind: candidate.kind, keyword: candidate.keyword, name: match![1] ?? match![2]!, start: line, headerEnd});
            inSpecification = candidate.kind === "module";
            line = headerEnd;
            continue;
        }

        if (/^contains\s*$/i.test(statement)) {
            inSpecification = false;
        } else if (/^(?:use\b|include\s*['"])/i.test(statement)) {
            imports.push({start: line, end: headerEnd, text: file.slice(line, headerEnd).trim()});
        } else if (inSpecification && open.at(-1)?.kind === "module") {
            const declared = declaration.exec(statement);
            for (const name of declared == null ? [] : entityNames(declared[1]!))
                units.push({kind: "constant", name, start: line, end: headerEnd, headerEnd});
        }
        line = headerEnd;
    }
    // A file cut short: what is still open ends at the last line.
    while (open.length > 0) {
        const unit = open.pop()!;
        units.push({kind: unit.kind, name: unit.name, start: unit.start, end: masked.length - 1, headerEnd: unit.headerEnd});
    }
    return {units, imports};
}

/** The last line of a statement continued with a trailing `&`. */
function continuedTo(masked: readonly string[], line: number): number {
    let end = line;
    while (end + 1 < masked.length && /&\s*$/.test(masked[end]!))
        end++;
    return end;
}

/** The names declared by an entity list: "G = 6.674e-11_dp, c = 2.998e8_dp" → G, c. */
function entityNames(entities: string): string[] {
    const names: string[] = [];
    let depth = 0;
    let current = "";
    for (const character of `${entities},`) {
        if (character === "(" || character === "[")
            depth++;
        if (character === ")" || character === "]")
            depth--;
        if (character === "," && depth === 0) {
            const name = /^\s*([A-Za-z]\w*)/.exec(current)?.[1];
            if (name != null)
                names.push(name);
            current = "";
        } else {
            current += character;
        }
    }
    return names;
}
