/**
 * Julia: `function`/`macro` … `end`, `module`, `struct`; every block keyword
 * outside brackets opens a block that `end` closes (inside brackets, `end` and
 * `begin` are indices and `for`/`if` belong to comprehensions). Top-level
 * one-line methods `f(x) = …` are functions too; `const` bindings are
 * constants. Imports: using, import, include.
 */
import type {SourceFile} from "../SourceFile.ts";
import {bracketDepths, statementEnd, type CodeUnit, type CodeUnitKind, type FileStructure, type ImportStatement} from "./codeUnits.ts";

const token = /(?<![\w!.:])(?:(abstract|primitive)\s+type|mutable\s+struct|function|macro|module|baremodule|struct|quote|begin|let|if|for|while|try|do|end)(?![\w!])|[()[\]{}]/g;
const named: Record<string, {kind: CodeUnitKind; pattern: RegExp}> = {
    function: {kind: "function", pattern: /^function\s+([\w.!]+|\([^)]*\))/},
    macro: {kind: "function", pattern: /^macro\s+([\w!]+)/},
    module: {kind: "module", pattern: /^module\s+(\w+)/},
    baremodule: {kind: "module", pattern: /^baremodule\s+(\w+)/},
    struct: {kind: "type", pattern: /^struct\s+(\w+)/},
    "mutable struct": {kind: "type", pattern: /^mutable\s+struct\s+(\w+)/}
};
const shortFunction = /^([\w.!]+)(?:\{[^}]*\})?\(.*\)\s*(?:::\s*[\w{}.,\s]+?)?\s*(?:where\s*.+?)?=(?![=>])/;
const constant = /^const\s+([A-Za-z_]\w*)/;
const importLine = /^\s*(?:using\s|import\s|include\s*\()/;

type Open = {keyword: string; start: number; column: number};

export function juliaStructure(file: SourceFile): FileStructure {
    const {masked} = file;
    const depths = bracketDepths(masked);
    const units: CodeUnit[] = [];
    const open: Open[] = [];
    /** Whether each line starts outside every block: where one-line methods and constants count. */
    const topLevel: boolean[] = [];
    let brackets = 0;

    masked.forEach((line, index) => {
        topLevel.push(open.filter((block) => !(block.keyword in named && named[block.keyword]!.kind === "module")).length === 0 && brackets === 0);
        for (const match of line.matchAll(token)) {
            const word = match[0];
            if ("([{".includes(word)) {
                brackets++;
            } else if (")]}".includes(word)) {
                brackets = Math.max(0, brackets - 1);
            } else if (brackets > 0) {
                continue;
            } else if (word === "end") {
                const block = open.pop();
                const spec = block == null ? undefined : named[block.keyword];
                if (block == null || spec == null)
                    continue;
                const header = masked[block.start]!.slice(block.column);
                const name = spec.pattern.exec(header.replace(/\s+/g, " "))?.[1] ?? "";
                const headerEnd = statementEnd(masked, depths, block.start, () => false);
                units.push({kind: spec.kind, name: name.startsWith("(") ? "" : name, start: block.start, end: index, headerEnd});
            } else {
                open.push({keyword: word.replace(/\s+/g, " "), start: index, column: match.index});
            }
        }
    });

    masked.forEach((line, index) => {
        if (!topLevel[index])
            return;
        const trimmed = line.trim();
        const method = shortFunction.exec(trimmed);
        const value = constant.exec(trimmed);
        if (method == null && value == null)
            return;
        const end = statementEnd(masked, depths, index, (text) => /[=+\-*/,]\s*$/.test(text), file.continuesString);
        if (method != null)
            units.push({kind: "function", name: method[1]!, start: index, end, headerEnd: index});
        else
            units.push({kind: "constant", name: value![1]!, start: index, end, headerEnd: end});
    });

    const imports: ImportStatement[] = [];
    masked.forEach((line, index) => {
        if (topLevel[index] && importLine.test(line)) {
            const end = statementEnd(masked, depths, index, (text) => /,\s*$/.test(text));
            imports.push({start: index, end, text: file.slice(index, end).trim()});
        }
    });
    return {units, imports};
}
