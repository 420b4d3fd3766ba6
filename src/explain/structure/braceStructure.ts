/**
 * C, C++, JavaScript and TypeScript: blocks by their braces. Each `{` is
 * judged by its head, the text before it back to the previous statement:
 * "double flux(const double *x, int n)" opens a function, "struct orbit" a
 * type, "if (n > 0)" or "= {1, 2}" nothing worth naming. A function starts at
 * its head's first line (its return type for C, its name or keyword for
 * JavaScript) and ends at its closing brace.
 *
 * Known limits, where a language extension's symbols do better: C functions
 * whose head holds a macro without a semicolon before it start at that macro;
 * TypeScript generics with commas (`f<A, B>(…)`) are not recognised.
 */
import type {SourceFile} from "../SourceFile.ts";
import {bracketDepths, statementEnd, type CodeUnit, type CodeUnitKind, type FileStructure, type ImportStatement} from "./codeUnits.ts";

export function braceStructure(file: SourceFile): FileStructure {
    const js = file.language.family === "javascript";
    const cpp = file.language.fence === "cpp";
    const text = file.maskedText;
    const units: CodeUnit[] = [];
    const stack: (Classified | undefined)[] = [];

    for (let i = 0; i < text.length; i++) {
        const character = text[i];
        if (character === "{") {
            const insideFunction = stack.some((block) => block?.kind === "function");
            const insideClass = stack.at(-1)?.kind === "class";
            const start = headStart(text, i, js);
            const head = text.slice(start, i);
            const opened = js ? classifyScript(head) : classifyC(head, {cpp, insideFunction, insideClass});
            stack.push(opened == null ? undefined : {...opened, anchor: start + opened.anchor});
        } else if (character === "}") {
            const block = stack.pop();
            if (block == null)
                continue;
            let {name} = block;
            let end = i;
            if (block.typedef || (block.kind === "type" && name === "")) {
                // typedef struct { … } orbit_t;  The name follows the brace.
                const after = /^\s*([A-Za-z_]\w*)\s*[;,[]/.exec(text.slice(i + 1, i + 200));
                if (after != null) {
                    name = after[1]!;
                    end = i + 1 + after[0].length - 1;
                }
            }
            units.push({kind: block.kind, name, start: file.lineOf(block.anchor), end: file.lineOf(end), headerEnd: openingLine(file, text, block.anchor)});
        }
    }

    const structural = units.filter((unit) => unit.kind !== "module");
    const topLevel = (line: number) => !structural.some((unit) => unit.start <= line && unit.end >= line);
    const constants = js ? scriptConstants(file, topLevel, units) : cConstants(file, topLevel);
    return {units: [...units, ...constants], imports: js ? scriptImports(file) : cImports(file)};
}

/** The line of the first `{` after the head's start: the end of the signature. */
function openingLine(file: SourceFile, text: string, anchor: number): number {
    const brace = text.indexOf("{", anchor);
    return file.lineOf(brace === -1 ? anchor : brace);
}

/**
 * Where the head of the brace at `brace` starts: after the previous `;`, `{`
 * or `}` outside brackets, or after an unclosed `(` (a callback's head ends
 * at the call's parenthesis) or, in JavaScript, a `,` (an argument or a property).
 */
function headStart(text: string, brace: number, js: boolean): number {
    let depth = 0;
    const limit = Math.max(0, brace - 3000);
    for (let i = brace - 1; i >= limit; i--) {
        const character = text[i];
        if (character === ")" || character === "]") {
            depth++;
        } else if (character === "(" || character === "[") {
            if (depth === 0)
                return i + 1;
            depth--;
        } else if (depth === 0 && (character === ";" || character === "{" || character === "}" || (js && character === ","))) {
            return i + 1;
        }
    }
    return limit;
}

/** A brace's head judged: what it opens, and where (an offset) its first line is. */
type Classified = {kind: CodeUnitKind; name: string; anchor: number; typedef: boolean};

const cControl = /^(?:if|else|for|while|do|switch|try|catch|return|case|default|goto|sizeof|__try|__except)\b/;
const notFunctionNames = new Set(["if", "while", "for", "switch", "return", "sizeof", "catch", "__attribute__", "__declspec", "alignas", "decltype", "static_assert", "defined"]);

function classifyC(head: string, context: {cpp: boolean; insideFunction: boolean; insideClass: boolean}): Classified | undefined {
    // Access labels in a class body are not part of the next member's head.
    const label = /^\s*(?:(?:public|private|protected)\s*:(?!:)\s*)+/.exec(head);
    const offset = (label?.[0].length ?? 0) + /^\s*/.exec(head.slice(label?.[0].length ?? 0))![0].length;
    const collapsed = head.slice(offset).replace(/\s+/g, " ").trim();
    if (collapsed === "" || cControl.test(collapsed))
        return undefined;
    if (/^extern\s*"\s*"$/.test(collapsed))
        return {kind: "module", name: "", anchor: offset, typedef: false};
    const namespace = /^(?:inline\s+)?namespace\b\s*([\w:]*)/.exec(collapsed);
    if (namespace != null)
        return {kind: "module", name: namespace[1]!, anchor: offset, typedef: false};
    if (!context.insideFunction) {
        const name = cFunctionName(collapsed, context);
        if (name != null)
            return {kind: "function", name, anchor: offset, typedef: false};
    }
    const type = /^(typedef\s+)?(?:template\s*<.*>\s*)?(class|struct|union|enum)(?:\s+(?:class|struct))?(?:\s+(?:\[\[.*?\]\]\s*)?([A-Za-z_][\w:]*))?(?:\s*(?:final\s*)?:.*)?$/.exec(collapsed);
    if (type != null && !topLevelIncludes(collapsed, "=")) {
        const kind: CodeUnitKind = type[2] === "class" || (context.cpp && type[2] === "struct") ? "class" : "type";
        return {kind, name: type[3] ?? "", anchor: offset, typedef: type[1] != null};
    }
    return undefined;
}

/** The name a C or C++ function head declares, or null when it declares none. */
function cFunctionName(head: string, context: {cpp: boolean; insideClass: boolean}): string | null {
    for (let open = head.indexOf("("); open !== -1; open = head.indexOf("(", open + 1)) {
        if (depthAt(head, open) !== 0)
            continue;
        const before = head.slice(0, open);
        const name = /(operator\s*(?:\(\)|[^\s(\w]+|\w+)|~?[A-Za-z_][\w]*(?:\s*::\s*~?[A-Za-z_]\w*)*)\s*$/.exec(before);
        if (name == null || notFunctionNames.has(name[1]!))
            continue;
        const close = matchingParenthesis(head, open);
        if (close == null)
            return null;
        const prefix = before.slice(0, name.index).trim();
        const rest = head.slice(close + 1).trim();
        const qualifiers = /^(?:(?:const|volatile|noexcept(?:\s*\([^)]*\))?|override|final|mutable|&&?|throw\s*\([^)]*\)|__attribute__\s*\(\(.*?\)\))\s*)*(?:->\s*[^:]+?)?\s*(?::(?!:).*)?$/;
        if (!qualifiers.test(rest) || topLevelIncludes(prefix, "=") || /(?:\.|->)$/.test(prefix))
            return null;
        const qualified = name[1]!.replace(/\s+/g, "");
        // Only constructors, destructors and macros have no return type.
        if (prefix === "" && !context.cpp && !qualified.includes("::"))
            return null;
        if (prefix === "" && context.cpp && !qualified.includes("::") && !context.insideClass)
            return null;
        return qualified;
    }
    return null;
}

const scriptControl = /^(?:if|else|for|while|switch|catch|with|do|try|finally|return|case|default)\b/;
const arrowTail = String.raw`(?:\(.*\)\s*(?::.+?)?=>|[\w$]+\s*=>)$`;
const scriptPatterns: {kind: CodeUnitKind; pattern: RegExp}[] = [
    {kind: "class", pattern: /^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?class\s+([\w$]+)/},
    {kind: "function", pattern: /^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:async\s+)?function\b\s*\*?\s*([\w$]+)/},
    {kind: "function", pattern: new RegExp(String.raw`^(?:export\s+)?(?:const|let|var)\s+([\w$]+)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b.*|(?:<[^>]*>\s*)?${arrowTail})`)},
    {kind: "function", pattern: new RegExp(String.raw`^(?:[\w$]+\.)*([\w$]+)\s*=\s*(?:async\s+)?(?:function\b.*|${arrowTail})`)},
    {kind: "function", pattern: new RegExp(String.raw`^([\w$]+)\s*:\s*(?:async\s+)?(?:function\b.*|${arrowTail})`)},
    {kind: "function", pattern: new RegExp(String.raw`^(?:(?:public|private|protected|static|readonly|override)\s+)*(#?[\w$]+)\s*(?::[^=]+)?=\s*(?:async\s+)?${arrowTail}`)},
    {kind: "function", pattern: /^(?:(?:public|private|protected|static|async|override|abstract|get|set)\s+)*\*?\s*(#?[\w$]+)\s*(?:<.*>)?\s*\(.*\)\s*(?::.+)?$/}
];

/**
 * Judges a JavaScript or TypeScript head from its shortest complete ending:
 * statements need no semicolon, so "x = 1\nfunction f(a)" must be read from
 * its last line, and "foo(\n  a,\n)" from the line where the call's name is.
 */
function classifyScript(head: string): Classified | undefined {
    const lines = head.split("\n");
    for (let first = lines.length - 1; first >= 0; first--) {
        const suffix = lines.slice(first).join(" ").replace(/\s+/g, " ").trim();
        if (suffix === "" || !balanced(suffix))
            continue;
        if (scriptControl.test(suffix))
            return undefined;
        for (const {kind, pattern} of scriptPatterns) {
            const match = pattern.exec(suffix);
            if (match != null && !scriptControl.test(match[1]!) && match[1] !== "function") {
                const lineOffset = lines.slice(0, first).reduce((sum, line) => sum + line.length + 1, 0);
                return {kind, name: match[1]!, anchor: lineOffset + /^\s*/.exec(lines[first]!)![0].length, typedef: false};
            }
        }
    }
    return undefined;
}

function balanced(text: string): boolean {
    let depth = 0;
    for (const character of text) {
        if (character === "(" || character === "[" || character === "{")
            depth++;
        else if (character === ")" || character === "]" || character === "}")
            depth--;
        if (depth < 0)
            return false;
    }
    return depth === 0;
}

function depthAt(text: string, index: number): number {
    let depth = 0;
    for (let i = 0; i < index; i++) {
        if (text[i] === "(" || text[i] === "[")
            depth++;
        else if (text[i] === ")" || text[i] === "]")
            depth--;
    }
    return depth;
}

function matchingParenthesis(text: string, open: number): number | null {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        if (text[i] === "(")
            depth++;
        else if (text[i] === ")" && --depth === 0)
            return i;
    }
    return null;
}

function topLevelIncludes(text: string, wanted: string): boolean {
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
        const character = text[i];
        if (character === "(" || character === "[" || character === "<")
            depth++;
        else if ((character === ")" || character === "]" || character === ">") && depth > 0)
            depth--;
        else if (depth === 0 && text.startsWith(wanted, i) && !/operator\s*$/.test(text.slice(0, i)) && text[i + 1] !== "=" && !"=!<>".includes(text[i - 1] ?? ""))
            return true;
    }
    return false;
}

const cDeclaration = /^(?:(?:static|const|constexpr|extern|inline|volatile|unsigned|signed|long|short)\s+)*[A-Za-z_][\w:<>]*(?:\s*\*+\s*|\s+)(?:const\s+)?([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*=/;

/** `#define` macros, and declarations with an initial value outside every function and type. */
function cConstants(file: SourceFile, topLevel: (line: number) => boolean): CodeUnit[] {
    const {lines, masked} = file;
    const found: CodeUnit[] = [];
    for (let line = 0; line < lines.length; line++) {
        const define = /^\s*#\s*define\s+([A-Za-z_]\w*)/.exec(lines[line]!);
        if (define != null) {
            let end = line;
            while (end + 1 < lines.length && /\\\s*$/.test(lines[end]!))
                end++;
            found.push({kind: "constant", name: define[1]!, start: line, end, headerEnd: end});
            line = end;
            continue;
        }
        if (!topLevel(line) || masked[line]!.trim() === "")
            continue;
        const declared = cDeclaration.exec(masked[line]!.trim());
        if (declared == null || /^(?:typedef|return)\b/.test(masked[line]!.trim()))
            continue;
        let end = line;
        while (end + 1 < lines.length && !/;\s*$/.test(masked[end]!))
            end++;
        found.push({kind: "constant", name: declared[1]!, start: line, end, headerEnd: end});
        line = end;
    }
    return found;
}

/** Top-level `const`/`let`/`var` bindings that are not functions (those are units already). */
function scriptConstants(file: SourceFile, topLevel: (line: number) => boolean, units: readonly CodeUnit[]): CodeUnit[] {
    const {masked} = file;
    const depths = bracketDepths(masked);
    const found: CodeUnit[] = [];
    for (let line = 0; line < masked.length; line++) {
        const binding = /^\s*(?:export\s+)?(?:const|let|var)\s+([\w$]+)\s*(?::[^=]+)?=(?!=)/.exec(masked[line]!);
        if (binding == null || !topLevel(line) || units.some((unit) => unit.start === line) || /=\s*require\s*\(/.test(masked[line]!))
            continue;
        const end = statementEnd(masked, depths, line, (text) => /(?:[=+\-*/,?:&|(]|=>)\s*$/.test(text));
        found.push({kind: "constant", name: binding[1]!, start: line, end, headerEnd: end});
        line = end;
    }
    return found;
}

function cImports(file: SourceFile): ImportStatement[] {
    return file.lines.flatMap((line, index) => /^\s*#\s*include\b/.test(line) ? [{start: index, end: index, text: line.trim()}] : []);
}

function scriptImports(file: SourceFile): ImportStatement[] {
    const {masked} = file;
    const depths = bracketDepths(masked);
    const imports: ImportStatement[] = [];
    for (let line = 0; line < masked.length; line++) {
        if (depths[line] !== 0 || !/^\s*(?:import\b(?!\s*\()|(?:const|let|var)\s+[^=]+=\s*require\s*\()/.test(masked[line]!))
            continue;
        const end = statementEnd(masked, depths, line, () => false);
        imports.push({start: line, end, text: file.slice(line, end).trim()});
        line = end;
    }
    return imports;
}
