/**
 * What a file defines, as line ranges: the shape every language's structure
 * finder returns, whatever the language's syntax.
 */

export type CodeUnitKind =
    /** A function, method, procedure or subroutine: what Explain Code explains at the cursor. */
    | "function"
    /** A class (or a C++ struct): explained when the cursor is in it but in none of its methods. */
    | "class"
    /** A Fortran main program: like a class, its own code is explained when outside its internal procedures. */
    | "program"
    /** A module or namespace: too broad to explain at the cursor. */
    | "module"
    /** A derived type, struct, union or enum. */
    | "type"
    /** A module-level value: a constant, a parameter, a global variable, a macro. */
    | "constant";

export type CodeUnit = {
    kind: CodeUnitKind;
    /** As written: "fit_psf", "Orbit::step", "Base.show"; "" when anonymous. */
    name: string;
    /** The first line, 0-based: decorators and templates included. */
    start: number;
    /** The last line, inclusive. */
    end: number;
    /** The last line of the signature (a definition's excerpt shows at least start..headerEnd). */
    headerEnd: number;
    /** The index of the smallest unit around this one; set by `assignParents`. */
    parent?: number;
};

/** A statement that brings names in from elsewhere: import, use, #include… */
export type ImportStatement = {start: number; end: number; text: string};

export type FileStructure = {
    /** In order of their first line. */
    units: CodeUnit[];
    imports: ImportStatement[];
};

/** Sorts units by position and sets each one's `parent`: the smallest other unit containing it. */
export function assignParents(units: CodeUnit[]): CodeUnit[] {
    const sorted = [...units].sort((a, b) => a.start - b.start || b.end - a.end);
    const open: number[] = [];
    sorted.forEach((unit, index) => {
        while (open.length > 0 && sorted[open.at(-1)!]!.end < unit.start)
            open.pop();
        // A constant never contains anything.
        const parent = open.findLast((candidate) => contains(sorted[candidate]!, unit));
        sorted[index] = parent == null ? {...unit, parent: undefined} : {...unit, parent};
        if (unit.kind !== "constant")
            open.push(index);
    });
    return sorted;
}

function contains(outer: CodeUnit, inner: CodeUnit): boolean {
    return outer.start <= inner.start && outer.end >= inner.end && !(outer.start === inner.start && outer.end === inner.end);
}

/** The width of a line's indentation, tabs to the next multiple of 8 (as Python counts them). */
export function indentWidth(line: string): number {
    let width = 0;
    for (const character of line) {
        if (character === " ")
            width++;
        else if (character === "\t")
            width = (Math.floor(width / 8) + 1) * 8;
        else
            break;
    }
    return width;
}

/**
 * The bracket depth at the start of each line, counting ( [ { in the masked
 * lines (strings and comments are blank there, so their brackets do not count).
 */
export function bracketDepths(masked: readonly string[]): number[] {
    const depths: number[] = [];
    let depth = 0;
    for (const line of masked) {
        depths.push(depth);
        for (const character of line) {
            if (character === "(" || character === "[" || character === "{")
                depth++;
            else if ((character === ")" || character === "]" || character === "}") && depth > 0)
                depth--;
        }
    }
    return depths;
}

/**
 * The last line of the statement starting at `line`: while brackets stay open,
 * a string goes on (`continuesString`, from SourceFile) or the line is continued.
 */
export function statementEnd(masked: readonly string[], depths: readonly number[], line: number, continued: (maskedLine: string) => boolean, continuesString?: readonly boolean[]): number {
    let end = line;
    while (end + 1 < masked.length && (depths[end + 1]! > depths[line]! || continued(masked[end]!) || continuesString?.[end + 1] === true))
        end++;
    return end;
}
