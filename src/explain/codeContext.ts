/**
 * The context sent with the code: the file's imports, and the definitions
 * elsewhere in the file that the code uses (functions, classes, constants),
 * each as its signature and a short body, within a character budget.
 */
import type {LanguageFamily} from "./languages.ts";
import type {SourceFile} from "./SourceFile.ts";
import type {ExplainTarget} from "./findTarget.ts";
import type {CodeUnit} from "./structure/codeUnits.ts";

/** A definition shown whole when it has at most this many lines; longer ones are cut to their first lines. */
export const SHORT_DEFINITION_LINES = 12;
/** How many lines of a longer definition are shown. */
export const EXCERPT_LINES = 8;
/** The most characters one definition may take. */
export const MAX_DEFINITION_CHARACTERS = 1_200;
/** The most characters the imports may take. */
export const MAX_IMPORT_CHARACTERS = 2_000;

export type Definition = {name: string; unit: CodeUnit; text: string};

const identifier: Record<LanguageFamily, RegExp> = {
    python: /[A-Za-z_]\w*/g,
    idl: /[A-Za-z_][\w$]*/g,
    fortran: /[A-Za-z_]\w*/g,
    c: /[A-Za-z_]\w*/g,
    javascript: /[A-Za-z_$][\w$]*/g,
    julia: /[\p{L}_][\p{L}\p{N}_!]*/gu,
    other: /[A-Za-z_]\w*/g
};

/** IDL and Fortran names are case-insensitive. */
export function caseInsensitive(family: LanguageFamily): boolean {
    return family === "idl" || family === "fortran";
}

/**
 * The names a piece of masked code uses: free names (not after a `.`), and the
 * members it reaches through self, cls or this.
 */
export function usedNames(masked: string, family: LanguageFamily): {free: Set<string>; members: Set<string>; order: string[]} {
    const fold = caseInsensitive(family) ? (name: string) => name.toLowerCase() : (name: string) => name;
    const free = new Set<string>();
    const members = new Set<string>();
    const order: string[] = [];
    for (const match of masked.matchAll(identifier[family])) {
        const name = fold(match[0]);
        const before = masked.slice(Math.max(0, match.index - 8), match.index);
        const member = /\b(?:self|cls|this)(?:\.|->)$/.exec(before);
        if (member != null) {
            members.add(name);
        } else if (/(?:\.|->|%)\s*$/.test(before)) {
            continue; // an attribute of something else
        } else {
            free.add(name);
        }
        if (!order.includes(name))
            order.push(name);
    }
    return {free, members, order};
}

/**
 * Names the code declares itself, which hide module-level ones of the same name:
 * Fortran's declarations (`integer, intent(in) :: day` hides a module's DAY).
 */
function localDeclarations(masked: string, family: LanguageFamily): string[] {
    if (family !== "fortran")
        return [];
    const declared: string[] = [];
    for (const match of masked.matchAll(/^\s*(?:integer|real|logical|complex|character|double\s*precision|type\s*\(|class\s*\()[^:\n]*::([^\n]*)$/gim))
        for (const entity of match[1]!.split(","))
            declared.push(...(/^\s*([A-Za-z]\w*)/.exec(entity)?.slice(1, 2).map((name) => name.toLowerCase()) ?? []));
    return declared;
}

/** "PointSource.fit_psf": the unit's name with its classes' names (Python, JavaScript, Julia) in front. */
export function qualifiedName(unit: CodeUnit, units: readonly CodeUnit[], family: LanguageFamily): string {
    if (unit.name.includes("::") || family === "idl" || family === "fortran")
        return unit.name;
    const separator = family === "c" ? "::" : ".";
    const names = [unit.name];
    for (let parent = unit.parent == null ? undefined : units[unit.parent]; parent != null; parent = parent.parent == null ? undefined : units[parent.parent])
        if (parent.kind === "class" && parent.name !== "")
            names.unshift(parent.name);
    return names.join(separator);
}

/**
 * Definitions outside the target that it names, in the order it first names
 * them: top-level ones, and members of the classes or modules around it.
 */
export function referencedDefinitions(file: SourceFile, target: ExplainTarget, maskedTarget: string, budget: number): Definition[] {
    const {family} = file.language;
    const fold = caseInsensitive(family) ? (name: string) => name.toLowerCase() : (name: string) => name;
    const {free, members, order} = usedNames(maskedTarget, family);
    for (const name of localDeclarations(maskedTarget, family))
        free.delete(name);
    const {units} = file.structure;
    const around = new Set(target.enclosing.map((unit) => `${unit.start}:${unit.end}`));
    const reachable = (unit: CodeUnit) => {
        if (unit.start <= target.last && unit.end >= target.first)
            return false; // the target itself, or around it, or inside it
        const parent = unit.parent == null ? undefined : units[unit.parent];
        return parent == null || parent.kind === "module" || around.has(`${parent.start}:${parent.end}`);
    };
    const lastName = (unit: CodeUnit) => fold(unit.name.split(/::|\./).at(-1)!);
    const candidates = units.filter((unit) => unit.name !== "" && unit.kind !== "module" && reachable(unit) && (free.has(lastName(unit)) || members.has(lastName(unit))));
    candidates.sort((a, b) => order.indexOf(lastName(a)) - order.indexOf(lastName(b)) || a.start - b.start);

    const definitions: Definition[] = [];
    const shown = new Set<string>();
    let used = 0;
    for (const unit of candidates) {
        const key = `${unit.start}:${unit.end}`;
        if (shown.has(key))
            continue; // "a, b = 1, 2" defines two names in one statement
        const text = excerpt(file, unit);
        if (used + text.length + 2 > budget)
            continue; // a shorter one further on may still fit
        shown.add(key);
        used += text.length + 2;
        definitions.push({name: qualifiedName(unit, units, family), unit, text});
    }
    return definitions;
}

/** A definition's text: whole when short, else its first lines and a note of how many more there are. */
export function excerpt(file: SourceFile, unit: CodeUnit): string {
    const comment = file.language.lineComment;
    const count = unit.end - unit.start + 1;
    const lastShown = count <= SHORT_DEFINITION_LINES ? unit.end : Math.min(unit.end, Math.max(unit.start + EXCERPT_LINES - 1, Math.min(unit.headerEnd, unit.start + SHORT_DEFINITION_LINES - 1)));
    const lines = file.lines.slice(unit.start, lastShown + 1);
    const more = () => `${comment === "" ? "" : `${comment} `}… (${unit.end - unit.start + 1 - lines.length} more lines)`;
    let text = lines.join("\n") + (lines.length < count ? `\n${indentOf(lines.at(-1) ?? "")}${more()}` : "");
    while (text.length > MAX_DEFINITION_CHARACTERS && lines.length > 1) {
        lines.pop();
        text = `${lines.join("\n")}\n${indentOf(lines.at(-1) ?? "")}${more()}`;
    }
    return text.length > MAX_DEFINITION_CHARACTERS ? `${text.slice(0, MAX_DEFINITION_CHARACTERS - 1)}…` : text;
}

/** The file's imports outside the target, as many as fit in the budget, with a note of any left out. */
export function importsWithin(file: SourceFile, target: ExplainTarget, budget: number): string[] {
    // Imports inside another program unit (a Fortran program's USE, a Python function's import) are that unit's business.
    const elsewhere = new Uint8Array(file.lineCount);
    for (const unit of file.structure.units)
        if (unit.kind !== "constant" && !(unit.start <= target.first && unit.end >= target.last))
            elsewhere.fill(1, unit.start, unit.end + 1);
    const outside = file.structure.imports.filter((statement) => (statement.end < target.first || statement.start > target.last) && elsewhere[statement.start] === 0);
    const comment = file.language.lineComment;
    const note = (left: number) => `${comment === "" ? "" : `${comment} `}… and ${left} more`;
    const texts: string[] = [];
    let used = 0;
    for (const statement of outside) {
        if (used + statement.text.length + 1 > budget)
            break;
        texts.push(statement.text);
        used += statement.text.length + 1;
    }
    if (texts.length < outside.length) {
        // The note of what is left out must fit too.
        while (texts.length > 0 && used + note(outside.length - texts.length).length + 1 > budget)
            used -= texts.pop()!.length + 1;
        if (used + note(outside.length - texts.length).length + 1 <= budget)
            texts.push(note(outside.length - texts.length));
    }
    return texts;
}

function indentOf(line: string): string {
    return /^\s*/.exec(line)![0];
}
