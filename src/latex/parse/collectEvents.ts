/**
 * Parses one chunk with unified-latex and turns the commands the model reads
 * into `FileEvent`s at file offsets.
 *
 * Environments are reported as separate `begin` and `end` events whether the
 * parser paired them (both in one chunk) or not (a figure spans many chunks);
 * the assembler pairs them across chunks and files, and reports the unpaired.
 */
import type * as Ast from "@unified-latex/unified-latex-types";
import {parseMinimal} from "@unified-latex/unified-latex-util-parse";
import {attachMacroArgsInArray} from "@unified-latex/unified-latex-util-arguments";
import {printRaw} from "@unified-latex/unified-latex-util-print-raw";
import type {SectionCommand} from "../Manuscript.ts";
import type {FileEvent, InputCommand} from "./FileFacts.ts";
import {
    BACK_MATTER_COMMANDS, CITE_COMMANDS, LAYOUT_COMMANDS, DEF_LIKE, NOT_BODY_TEXT_COMMANDS, INPUT_COMMANDS, MACRO_SIGNATURES, NEWCOMMAND_LIKE, REFERENCE_COMMANDS, SECTION_COMMANDS
} from "./latexCommands.ts";
import {toOriginal, toOriginalEnd, type ParserChunk} from "./parserChunks.ts";
import {plainText} from "./plainText.ts";
import type {OffsetProblem} from "./sourceRegions.ts";

/** Arguments of unknown commands longer than this are not recorded (labels and keys are short). */
const MAX_CALL_ARGUMENT = 80;
/** Unknown commands so common that recording them would only cost memory. */
const NEVER_CALLS = new Set([
    "textit", "textbf", "texttt", "emph", "textsc", "textrm", "textsf", "mathrm", "mathbf", "mathit", "mathcal", "text",
    "gls", "Gls", "glspl", "Glspl", "acrshort", "acrlong", "acrfull", "footnote", "url", "href", "includegraphics",
    "hspace", "vspace", "colhead", "multicolumn", "cline", "hline", "tablenotetext", "textsubscript", "textsuperscript",
    "newacronym", "newglossaryentry", "usepackage", "RequirePackage", "frac", "sqrt", "mbox", "item", "let"
]);

export function collectChunkEvents(chunk: ParserChunk, events: FileEvent[], problems: OffsetProblem[]): void {
    try {
        const root = parseMinimal(chunk.text);
        new ChunkWalker(chunk, events).walk(root.content);
    } catch (error) {
        // unified-latex is lenient (a stray brace is a character to it), so this is
        // a parser bug; the rest of the file is still read.
        problems.push({message: `This part could not be parsed (${error instanceof Error ? error.message : String(error)}); it is left out.`, offset: toOriginal(chunk, 0)});
    }
}

class ChunkWalker {
    public constructor(private readonly chunk: ParserChunk, private readonly events: FileEvent[]) {}

    public walk(nodes: Ast.Node[]): void {
        prepareNames(nodes);
        // Arguments are attached list by list as the walk reaches them: cheaper
        // than unified-latex's attachMacroArgs, which visits the whole tree first.
        attachMacroArgsInArray(nodes, MACRO_SIGNATURES);
        for (let index = 0; index < nodes.length; index++) {
            const node = nodes[index]!;
            switch (node.type) {
                case "macro":
                    // `\string\begin{x}` prints the command; it does nothing.
                    if (node.content === "string") {
                        index++;
                        while (nodes[index]?.type === "whitespace")
                            index++;
                    } else
                        index = this.macro(node, nodes, index);
                    break;
                case "environment":
                case "mathenv":
                    this.environment(node);
                    break;
                case "displaymath":
                    this.displayMath(node);
                    break;
                case "group":
                    if (node._renderInfo?.[DEFINED_NAME] !== true)
                        this.walk(node.content);
                    break;
                case "inlinemath":
                    this.walk(node.content);
                    break;
                default:
                    break;
            }
        }
    }

    private start(node: Ast.Node): number {
        return toOriginal(this.chunk, node.position?.start.offset ?? 0);
    }

    private end(node: Ast.Node): number {
        return toOriginalEnd(this.chunk, node.position?.end.offset ?? 0);
    }

    /** The file offset where a command's attached arguments end. */
    private argumentsEnd(node: Ast.Macro): number {
        const chunkEnd = argumentsEndInChunk(this.chunk.text, node);
        return toOriginalEnd(this.chunk, chunkEnd);
    }

    private environment(node: Ast.Environment): void {
        // The parser gives `env` as a string, or (for some environments it pairs) as the name's node.
        const name = typeof node.env === "string" ? node.env : printRaw(node.env as Ast.Node).trim();
        const at = this.start(node);
        const end = this.end(node);
        const beginMatch = /^\\begin\s*\{[^}]*\}/.exec(this.chunk.text.slice(node.position?.start.offset ?? 0));
        const contentAt = toOriginalEnd(this.chunk, (node.position?.start.offset ?? 0) + (beginMatch?.[0].length ?? 0));
        this.events.push({kind: "begin", at, contentAt, name});
        this.walk(node.content);
        const endTagAt = this.chunk.text.lastIndexOf("\\end", node.position?.end.offset ?? 0);
        this.events.push({kind: "end", at: endTagAt >= 0 ? toOriginal(this.chunk, endTagAt) : end, end, name});
    }

    private displayMath(node: Ast.DisplayMath): void {
        const at = this.start(node);
        const end = this.end(node);
        this.events.push({kind: "begin", at, contentAt: at + 2, name: "display"});
        this.walk(node.content);
        this.events.push({kind: "end", at: end - 2, end, name: "display"});
    }

    /** Handles one command; returns the index of the last sibling it used. */
    private macro(node: Ast.Macro, siblings: Ast.Node[], index: number): number {
        const name = node.content;
        const args = node.args ?? [];
        const at = this.start(node);
        if (SECTION_COMMANDS.has(name)) {
            this.events.push({
                kind: "heading", at, end: this.argumentsEnd(node), command: name as SectionCommand,
                starred: args[0] != null && args[0].content.length > 0, title: plainText(args[2]?.content ?? [])
            });
        } else if (name === "label" || REFERENCE_COMMANDS.has(name)) {
            this.events.push({kind: "call", at, name, args: [rawText(args[0])]});
        } else if (CITE_COMMANDS.has(name)) {
            const keys = splitList(rawText(args[3])).filter((key) => key !== "*");
            this.events.push({kind: "cite", at, command: name, keys});
        } else if (INPUT_COMMANDS.has(name)) {
            const command = name as InputCommand;
            const [directory, target] = args.length >= 2 ? [rawText(args.at(-2)), rawText(args.at(-1))] : [undefined, rawText(args[0])];
            if (target !== "")
                this.events.push({kind: "input", at, end: this.argumentsEnd(node), command, target, ...(directory == null ? {} : {directory})});
        } else if (name === "bibliography" || name === "addbibresource") {
            this.events.push({kind: "bibliography", at, command: name, targets: splitList(rawText(args.at(-1)))});
        } else if (NEWCOMMAND_LIKE.has(name)) {
            this.newcommand(node, at);
            return index; // a `\ref{#1}` or `\begin{x}` in a definition is not one in the text
        } else if (name === "DeclareMathOperator") {
            const starred = (args[0]?.content.length ?? 0) > 0;
            const defined = macroName(args[1]?.content ?? []);
            if (defined != null)
                this.events.push({
                    kind: "define", at, end: this.argumentsEnd(node), name: defined, command: starred ? "\\DeclareMathOperator*" : "\\DeclareMathOperator",
                    parameters: 0, body: printRaw(args[2]?.content ?? [])
                });
            return index;
        } else if (DEF_LIKE.has(name)) {
            return this.def(node, siblings, index, at);
        } else if (name === "caption" || name === "tablecaption") {
            this.events.push({kind: "caption", at, text: plainText(args.at(-1)?.content ?? [])});
        } else if (name === "title") {
            this.events.push({kind: "title", at, end: this.argumentsEnd(node), text: plainText(args[1]?.content ?? [])});
        } else if (name === "abstract" && args[0]?.openMark === "{") {
            const span = argumentSpans(this.chunk.text, node)[0];
            if (span != null)
                this.events.push({kind: "abstract", at, end: this.argumentsEnd(node), contentAt: toOriginal(this.chunk, span.open + 1), contentEnd: toOriginal(this.chunk, span.close)});
        } else if (name === "begin" || name === "end") {
            this.unpairedEnvironment(node, name, at);
        } else if (name === "appendix") {
            this.events.push({kind: "appendix", at});
        } else if (BACK_MATTER_COMMANDS.has(name)) {
            this.events.push({kind: "backMatter", at, end: this.end(node)});
        } else if (name === "documentclass") {
            this.events.push({kind: "documentClass", at, name: rawText(args[1]), options: rawText(args[0])});
        }
        if (name === "setcounter" && rawText(args[0]) === "secnumdepth") {
            const value = Number.parseInt(rawText(args[1]), 10);
            if (Number.isFinite(value))
                this.events.push({kind: "secnumdepth", at, value});
        }
        if (NOT_BODY_TEXT_COMMANDS.has(name) || LAYOUT_COMMANDS.has(name))
            this.events.push({kind: "notBodyText", at, end: this.argumentsEnd(node), layout: LAYOUT_COMMANDS.has(name)});
        if (args.length > 0) {
            for (const arg of args)
                this.walk(arg.content);
            return index;
        }
        if (!NEVER_CALLS.has(name) && /^[A-Za-z@]+$/.test(name))
            return this.candidateCall(name, at, siblings, index);
        return index;
    }

    /** `\begin{x}` or `\end{x}` the parser did not pair (its partner is in another chunk). */
    private unpairedEnvironment(node: Ast.Macro, name: "begin" | "end", at: number): void {
        const environment = rawText(node.args?.[0]);
        if (!/^[A-Za-z@*0-9]+$/.test(environment))
            return;
        const end = this.argumentsEnd(node);
        if (name === "begin")
            this.events.push({kind: "begin", at, contentAt: end, name: environment});
        else
            this.events.push({kind: "end", at, end, name: environment});
    }

    private newcommand(node: Ast.Macro, at: number): void {
        const [star, nameArg, count, optional, body] = node.args ?? [];
        const defined = macroName(nameArg?.content ?? []);
        if (defined == null || body == null || body.openMark !== "{")
            return;
        const parameters = Number.parseInt(rawText(count), 10);
        this.events.push({
            kind: "define", at, end: this.argumentsEnd(node), name: defined, command: `\\${node.content}${(star?.content.length ?? 0) > 0 ? "*" : ""}`,
            parameters: Number.isFinite(parameters) ? parameters : 0,
            ...(optional != null && optional.openMark === "[" ? {optionalDefault: printRaw(optional.content)} : {}),
            body: printRaw(body.content)
        });
    }

    /** `\def\name#1#2{body}`: the name, the parameter text, then a group, as siblings. */
    private def(node: Ast.Macro, siblings: Ast.Node[], index: number, at: number): number {
        let cursor = index + 1;
        while (siblings[cursor]?.type === "whitespace")
            cursor++;
        const nameNode = definedName(siblings[cursor]);
        if (nameNode == null)
            return index;
        let parameters = 0;
        cursor++;
        while (cursor < siblings.length && siblings[cursor]!.type !== "group") {
            const part = siblings[cursor]!;
            if (part.type === "string" && part.content === "#")
                parameters++;
            else if (part.type !== "string" && part.type !== "whitespace")
                return index; // not a definition this model can read (`\def` of a token list, say)
            cursor++;
        }
        const body = siblings[cursor];
        if (body?.type !== "group")
            return index;
        this.events.push({kind: "define", at, end: this.end(body), name: nameNode.content, command: `\\${node.content}`, parameters, body: printRaw(body.content)});
        return cursor;
    }

    /** An unknown command followed by short key-like groups: maybe a user's `\secref{…}`. */
    private candidateCall(name: string, at: number, siblings: Ast.Node[], index: number): number {
        const args: string[] = [];
        let cursor = index + 1;
        while (args.length < 3 && siblings[cursor]?.type === "group") {
            const text = printRaw((siblings[cursor] as Ast.Group).content);
            if (text.length > MAX_CALL_ARGUMENT || /\s/.test(text))
                break;
            args.push(text);
            cursor++;
        }
        if (args.length > 0)
            this.events.push({kind: "call", at, name, args});
        return index;
    }
}

/** Marks a group made by `prepareNames` around the name a definition defines. */
const DEFINED_NAME = "astrosageDefinedName";
/** Commands followed by the name of a command they define or rename, unbraced: `\def\x`, `\let\a\b`. */
const NAMING_COMMANDS = new Set([...NEWCOMMAND_LIKE, ...DEF_LIKE, "DeclareMathOperator", "let"]);

/**
 * Fixes two things in a list of sibling nodes before arguments are attached:
 * - `\env@matrix` arrives as the command `\env` and the text `@matrix`: it is
 *   joined back (the scanner reads `@` as a letter too);
 * - in `\renewcommand\section{…}` or `\let\origsection\section`, the defined
 *   name would otherwise take the following group as its own argument (and be
 *   read as a heading): it is wrapped in a marked group, as if written `{\section}`.
 */
function prepareNames(nodes: Ast.Node[]): void {
    for (let index = 0; index < nodes.length; index++) {
        const node = nodes[index]!;
        const next = nodes[index + 1];
        if (node.type === "macro" && next?.type === "string" && /^@[A-Za-z@]*$/.test(next.content)
            && next.position?.start.offset === node.position?.end.offset && /^[A-Za-z@]+$/.test(node.content)) {
            node.content += next.content;
            if (node.position != null && next.position != null)
                node.position = {start: node.position.start, end: next.position.end};
            nodes.splice(index + 1, 1);
            index--;
        }
    }
    for (let index = 0; index < nodes.length; index++) {
        const node = nodes[index]!;
        if (node.type !== "macro" || !NAMING_COMMANDS.has(node.content))
            continue;
        const names = node.content === "let" ? 2 : 1;
        let cursor = index + 1;
        for (let wrapped = 0; wrapped < names; wrapped++) {
            while (nodes[cursor]?.type === "whitespace" || (nodes[cursor]?.type === "string" && (nodes[cursor] as Ast.String).content === "*") || (wrapped > 0 && nodes[cursor]?.type === "string" && (nodes[cursor] as Ast.String).content === "="))
                cursor++;
            const name = nodes[cursor];
            if (name?.type !== "macro")
                break;
            nodes[cursor] = {type: "group", content: [name], _renderInfo: {[DEFINED_NAME]: true}, ...(name.position == null ? {} : {position: name.position})};
            cursor++;
        }
    }
}

/** The command a definition names: `\x` as written, or wrapped by `prepareNames`. */
function definedName(node: Ast.Node | undefined): Ast.Macro | undefined {
    if (node?.type === "macro")
        return node;
    if (node?.type === "group" && node.content.length === 1 && node.content[0]!.type === "macro")
        return node.content[0] as Ast.Macro;
    return undefined;
}

function rawText(arg: Ast.Argument | undefined): string {
    return arg == null ? "" : printRaw(arg.content).trim();
}

function splitList(text: string): string[] {
    return text.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

/** The name a definition defines: `{\foo}` or `\foo`. */
function macroName(nodes: Ast.Node[]): string | undefined {
    const macro = nodes.find((node) => node.type !== "whitespace");
    return macro?.type === "macro" ? macro.content : undefined;
}

/**
 * Where each brace or bracket argument of a command opens and closes in the
 * chunk: unified-latex gives arguments no positions, so they are found again in
 * the text after the command's name (chunks hold no comments, which keeps this simple).
 */
export function argumentSpans(text: string, node: Ast.Macro): {open: number; close: number}[] {
    const spans: {open: number; close: number}[] = [];
    let at = node.position?.end.offset ?? 0;
    for (const arg of node.args ?? []) {
        if (arg.openMark === "" && arg.content.length === 0)
            continue;
        while (/\s/.test(text[at] ?? ""))
            at++;
        if (arg.openMark === "{" || arg.openMark === "[") {
            const close = matchingClose(text, at, arg.openMark === "{" ? "}" : "]");
            spans.push({open: at, close});
            at = close + 1;
        } else
            at = Math.max(at + 1, arg.content.at(-1)?.position?.end.offset ?? at + 1);
    }
    return spans;
}

function argumentsEndInChunk(text: string, node: Ast.Macro): number {
    const spans = argumentSpans(text, node);
    const last = spans.at(-1);
    const lastArg = node.args?.at(-1);
    if (lastArg != null && lastArg.openMark === "" && lastArg.content.length > 0)
        return Math.max(last == null ? 0 : last.close + 1, lastArg.content.at(-1)?.position?.end.offset ?? 0);
    return last == null ? node.position?.end.offset ?? 0 : last.close + 1;
}

/** The offset of the `close` matching the opener at `open`, counting braces; the text's end when there is none. */
function matchingClose(text: string, open: number, close: "}" | "]"): number {
    let depth = 0;
    for (let at = open + 1; at < text.length; at++) {
        const char = text[at];
        if (char === "\\") {
            at++;
            continue;
        }
        if (char === "{")
            depth++;
        else if (char === "}") {
            if (depth === 0 && close === "}")
                return at;
            depth--;
        } else if (char === "]" && depth === 0 && close === "]")
            return at;
    }
    return text.length - 1;
}
