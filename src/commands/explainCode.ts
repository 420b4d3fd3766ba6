import * as path from "node:path";
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import {MAX_SELECTION_CHARACTERS} from "../editor/SelectionTracker.ts";
import {buildExplainRequest, type ExplainInput, type ExplainProblem, type OutlineSymbol, type Position, type Range} from "../explain/buildExplainRequest.ts";

/**
 * How long a language extension may take to list the document's symbols
 * before the file's own structure is used (a language server may still be starting).
 */
const SYMBOLS_TIMEOUT_MS = 1_500;

/**
 * "AstroSage: Explain Code": explains the selection, or the function around
 * the cursor, in a new chat, with the file's imports and the definitions the
 * code uses. The work of choosing and framing the code is in src/explain/.
 */
export const explainCode = (ctx: AstroSageContext) => async () => {
    const editor = vscode.window.activeTextEditor;
    if (editor == null) {
        void vscode.window.showInformationMessage("Open a source file and put the cursor inside a function (or select code), then run AstroSage: Explain Code.");
        return;
    }
    const {document, selection} = editor;
    let input: ExplainInput = {
        text: document.getText(),
        languageId: document.languageId,
        fileName: path.basename(document.uri.path),
        selection: selection.isEmpty ? undefined : toRange(selection),
        cursor: toPosition(selection.active),
        symbols: await documentSymbols(document, ctx.log),
        maxCodeCharacters: MAX_SELECTION_CHARACTERS
    };

    let outcome = buildExplainRequest(input);
    while (!outcome.ok) {
        const choice = await showProblem(outcome.problem);
        if (choice == null)
            return;
        input = {...input, selection: choice};
        outcome = buildExplainRequest(input);
    }
    const {request, details} = outcome;

    if (!await ctx.chatView.readyForNewChat("Explain"))
        return;

    ctx.log.info(`Explain Code: ${request.attachment.label}${details.name == null ? "" : ` (${details.name})`}, ${details.codeCharacters} characters of code and context; definitions: ${details.definitions.join(", ") || "none"}; libraries: ${details.stacks.join(", ") || "none"}`);
    try {
        await ctx.chatView.askInNewChat(request.prompt, request.attachment);
    } catch (error) {
        ctx.log.error(`Explain Code failed: ${String(error)}`);
        void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    }
};

/** Tells the user what is wrong; resolves to the smaller part they chose, if any was offered and chosen. */
async function showProblem(problem: ExplainProblem): Promise<Range | undefined> {
    if (problem.choices.length === 0) {
        void (problem.code === "binary" || problem.code === "minified"
            ? vscode.window.showWarningMessage(problem.message)
            : vscode.window.showInformationMessage(problem.message));
        return undefined;
    }
    const label = await vscode.window.showWarningMessage(problem.message, ...problem.choices.map((choice) => choice.label));
    return problem.choices.find((choice) => choice.label === label)?.selection;
}

/**
 * The document's functions and classes from its language extension, or
 * undefined when none answers (as in a code-server without language extensions).
 */
async function documentSymbols(document: vscode.TextDocument, log: vscode.LogOutputChannel): Promise<OutlineSymbol[] | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
        const symbols = await Promise.race([
            vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>("vscode.executeDocumentSymbolProvider", document.uri),
            new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), SYMBOLS_TIMEOUT_MS))
        ]);
        return symbols == null || symbols.length === 0 ? undefined : symbols.flatMap(toOutline);
    } catch (error) {
        log.warn(`The document symbols of ${document.uri.toString()} could not be read; using the file's own structure: ${String(error)}`);
        return undefined;
    } finally {
        clearTimeout(timer);
    }
}

function toOutline(symbol: vscode.DocumentSymbol | vscode.SymbolInformation): OutlineSymbol[] {
    const range = "location" in symbol ? symbol.location.range : symbol.range;
    // A range ending at the start of a line does not hold that line.
    const end = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
    const own: OutlineSymbol = {name: symbol.name, kind: outlineKind(symbol.kind), start: range.start.line, end};
    return "children" in symbol ? [own, ...symbol.children.flatMap(toOutline)] : [own];
}

function outlineKind(kind: vscode.SymbolKind): OutlineSymbol["kind"] {
    switch (kind) {
        case vscode.SymbolKind.Function:
        case vscode.SymbolKind.Method:
        case vscode.SymbolKind.Constructor:
            return "function";
        case vscode.SymbolKind.Class:
        case vscode.SymbolKind.Interface:
            return "class";
        case vscode.SymbolKind.Struct:
        case vscode.SymbolKind.Enum:
            return "type";
        case vscode.SymbolKind.Module:
        case vscode.SymbolKind.Namespace:
        case vscode.SymbolKind.Package:
            return "module";
        default:
            return "other";
    }
}

function toPosition(position: vscode.Position): Position {
    return {line: position.line, character: position.character};
}

function toRange(range: vscode.Range): Range {
    return {start: toPosition(range.start), end: toPosition(range.end)};
}
