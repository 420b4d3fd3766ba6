/**
 * "AstroSage: Explain Code" without VS Code: from a document's text, its
 * language, the selection and the cursor, the question the chat shows and
 * the attachment the model reads before it.
 *
 * The user sees only the short question ("Explain `fit_psf` in
 * photometry.py (Python, astropy, numpy)") and the attachment's chip
 * ("photometry.py:41-55"). The attachment carries the rest, in the order the
 * model reads it: imports, the definitions the code uses, the code, then the
 * instructions and the checks for the libraries it uses, right before the
 * question. The code context (code, imports, definitions) stays within the
 * same limit as a selection sent with a question; the instructions add at
 * most ~2,000 characters, so the prompt leaves room for the answer in
 * AstroSage's 8,192-token context.
 */
import type {Attachment} from "../chat/Conversation.ts";
import {titleFromPrompt} from "../chat/store/titleFromPrompt.ts";
import {detectStacks, languageHint} from "./astronomyStacks.ts";
import {importsWithin, MAX_IMPORT_CHARACTERS, qualifiedName, referencedDefinitions, usedNames} from "./codeContext.ts";
import {findTarget, type ExplainProblem, type ExplainTarget, type OutlineSymbol, type Position, type Range} from "./findTarget.ts";
import {languageOf, type Language} from "./languages.ts";
import {SourceFile} from "./SourceFile.ts";

export type {ExplainChoice, ExplainProblem, OutlineSymbol, Position, Range} from "./findTarget.ts";

/** The default limit on code context: the chat's limit on a selection sent with a question. */
export const MAX_CODE_CHARACTERS = 12_000;
/** The most the signature of the function around a selection may take. */
const MAX_ENCLOSING_CHARACTERS = 600;

export type ExplainInput = {
    /** The whole document. */
    text: string;
    /** VS Code's language id; with "plaintext" the file name's extension decides. */
    languageId: string;
    /** The file's name as the user knows it: "photometry.py". */
    fileName: string;
    /** The selection; when absent or blank, the code around the cursor is explained. */
    selection?: Range;
    cursor: Position;
    /** The document's symbols from a language extension, when one provides them. */
    symbols?: readonly OutlineSymbol[];
    /** The most characters of code context. Defaults to MAX_CODE_CHARACTERS. */
    maxCodeCharacters?: number;
};

export type ExplainRequest = {
    /** The question the chat shows, short. */
    prompt: string;
    /** The code and its context, shown as a chip; the model reads it before the prompt. */
    attachment: Attachment;
    /** The chat's title. */
    title: string;
};

export type ExplainDetails = {
    target: ExplainTarget;
    /** The name of the function or class explained, qualified ("PointSource.fit_psf"). */
    name?: string;
    imports: string[];
    /** Qualified names of the definitions sent along. */
    definitions: string[];
    /** Ids of the libraries detected: "astropy.units", "numpy", "cfitsio"… */
    stacks: string[];
    /** Characters of code, imports and definitions in the attachment. */
    codeCharacters: number;
};

export type ExplainOutcome = {ok: true; request: ExplainRequest; details: ExplainDetails} | {ok: false; problem: ExplainProblem};

export function buildExplainRequest(input: ExplainInput): ExplainOutcome {
    const maxCharacters = input.maxCodeCharacters ?? MAX_CODE_CHARACTERS;
    const language = languageOf(input.languageId, input.fileName);
    const file = new SourceFile(input.text, language);
    const found = findTarget(file, {selection: input.selection, cursor: input.cursor, symbols: input.symbols, maxCharacters, fileName: input.fileName});
    if ("problem" in found)
        return {ok: false, problem: found.problem};
    const {target} = found;

    let room = maxCharacters - target.text.length;
    // A selection inside a function is sent with the function's signature (unless it holds it already).
    const around = target.source === "block"
        ? undefined
        : target.enclosing.find((unit) => (unit.kind === "function" || unit.kind === "class") && unit.headerEnd < target.first);
    const aroundName = around == null ? undefined : qualifiedName(around, target.units, language.family);
    const signature = around == null ? "" : signatureOf(file, around.start, around.headerEnd, Math.min(room, MAX_ENCLOSING_CHARACTERS));
    room -= signature.length;
    const imports = importsWithin(file, target, Math.min(room, MAX_IMPORT_CHARACTERS));
    room -= imports.reduce((sum, text) => sum + text.length + 1, 0);
    const maskedTarget = file.masked.slice(target.first, target.last + 1).join("\n");
    const definitions = referencedDefinitions(file, target, maskedTarget, room);

    const maskedDefinitions = definitions.map(({unit}) => file.masked.slice(unit.start, unit.end + 1).join("\n")).join("\n");
    const stacks = detectStacks({
        language,
        imports: file.structure.imports.map((statement) => statement.text),
        code: `${maskedTarget}\n${maskedDefinitions}`,
        names: usedNames(`${maskedTarget}\n${maskedDefinitions}`, language.family).free
    });
    const hints = [languageHint(language, file.maskedText, maskedTarget), ...stacks.map((stack) => stack.hint)]
        .filter((hint): hint is string => hint != null && hint !== "")
        .filter((hint, index, all) => all.indexOf(hint) === index);

    const name = target.unit == null ? undefined : qualifiedName(target.unit, target.units, language.family);
    const lines = target.first === target.last ? `line ${target.first + 1}` : `lines ${target.first + 1}-${target.last + 1}`;
    const tags = [language.displayName, ...stacks.map((stack) => stack.name)].filter((tag, index, all) => tag !== "" && all.indexOf(tag) === index);
    const shownTags = tags.length > 5 ? [...tags.slice(0, 5), "…"] : tags;
    const prompt = `Explain ${name == null || name === "" ? `${lines} of ${input.fileName}` : `\`${name}\` in ${input.fileName}`} (${shownTags.join(", ")})`;

    const where = name == null || name === ""
        ? `${lines}${aroundName == null || aroundName === "" ? "" : `, inside \`${aroundName}\``}`
        : `\`${name}\`, ${lines}`;
    const sections = [`Code from ${input.fileName} (${language.displayName}): ${where}.`];
    if (imports.length > 0)
        sections.push(`The file's imports:\n${fenced(imports.join("\n"), language)}`);
    if (definitions.length > 0)
        sections.push(`Definitions elsewhere in ${input.fileName} that this code uses:\n${fenced(definitions.map((definition) => definition.text).join("\n\n"), language)}`);
    if (signature !== "")
        sections.push(`The code is inside this ${around!.kind === "class" ? "class" : "function"}:\n${fenced(signature, language)}`);
    sections.push(`The code to explain:\n${fenced(target.text, language)}`);
    sections.push(instructions(hints));

    const label = target.first === target.last ? `${input.fileName}:${target.first + 1}` : `${input.fileName}:${target.first + 1}-${target.last + 1}`;
    const codeCharacters = target.text.length + signature.length
        + imports.reduce((sum, text) => sum + text.length + 1, 0)
        + definitions.reduce((sum, definition) => sum + definition.text.length + 2, 0);
    return {
        ok: true,
        request: {prompt, attachment: {label, text: sections.join("\n\n")}, title: titleFromPrompt(prompt)},
        details: {target, name, imports, definitions: definitions.map((definition) => definition.name), stacks: stacks.map((stack) => stack.id), codeCharacters}
    };
}

/** What the answer should cover: a referee's reading of the code, with the checks for what it uses. */
function instructions(hints: readonly string[]): string {
    const steps = [
        "Explain this code to an astronomer who will review it, concisely:",
        "1. What it does, step by step.",
        "2. The astronomy and physics behind it, with the formulas in LaTeX.",
        "3. The units of its inputs, outputs and intermediate quantities, and the conventions it follows.",
        "4. Its assumptions, and where they break down.",
        "5. Bugs or pitfalls you can see, quoting the code; say so if you see none.",
        "Do not repeat the code."
    ];
    return hints.length === 0 ? steps.join("\n") : `${steps.join("\n")}\nCheck in particular:\n${hints.map((hint) => `- ${hint}`).join("\n")}`;
}

/** The signature lines of a function, with a note that its body is left out. */
function signatureOf(file: SourceFile, start: number, headerEnd: number, budget: number): string {
    const comment = file.language.lineComment;
    const text = `${file.slice(start, headerEnd)}\n${comment === "" ? "" : `${comment} `}…`;
    return text.length <= budget ? text : "";
}

/** A Markdown code block whose fence no backtick run in the code can close. */
function fenced(code: string, language: Language): string {
    const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((run) => run[0].length));
    const fence = "`".repeat(Math.max(3, longest + 1));
    return `${fence}${language.fence}\n${code}\n${fence}`;
}
