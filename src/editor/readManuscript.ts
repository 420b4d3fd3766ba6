/**
 * Reads the manuscript an editor belongs to, through the LaTeX worker, with the
 * unsaved text of open editors in place of what is on disk. Says what to do
 * when the editor holds no LaTeX, an unsaved file, or too much text.
 */
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import type {Manuscript} from "../latex/Manuscript.ts";

/** Larger than any manuscript source file; beyond it the editor holds data, not LaTeX. */
export const MAX_LATEX_CHARACTERS = 5_000_000;

export function isLatexDocument(document: vscode.TextDocument): boolean {
    return ["latex", "tex", "doctex"].includes(document.languageId) || /\.(tex|ltx)$/i.test(document.uri.path);
}

/** The manuscript of `document`, or undefined after telling the user why not. */
export async function readManuscript(ctx: AstroSageContext, document: vscode.TextDocument): Promise<Manuscript | undefined> {
    if (!isLatexDocument(document)) {
        void vscode.window.showInformationMessage("Open a LaTeX file (.tex) of the manuscript, then run the command again.");
        return undefined;
    }
    if (document.uri.scheme !== "file") {
        void vscode.window.showInformationMessage("Save the LaTeX file first: AstroSage reads the manuscript's other files from its folder.");
        return undefined;
    }
    const text = document.getText();
    if (text.length > MAX_LATEX_CHARACTERS || text.includes("\u0000")) {
        const what = text.includes("\u0000") ? "looks like a binary file, not LaTeX" : `is ${(text.length / 1e6).toFixed(1)} million characters long, more than a manuscript`;
        void vscode.window.showWarningMessage(`${fileName(document)} ${what}. Select the part to summarize and run the command on the selection.`);
        return undefined;
    }

    // Unsaved edits count: the user summarizes what they see.
    const overrides: Record<string, string> = {};
    for (const open of vscode.workspace.textDocuments) {
        if (open.isDirty && open.uri.scheme === "file" && isLatexDocument(open))
            overrides[open.uri.fsPath] = open.getText();
    }
    try {
        const manuscript = await vscode.window.withProgress(
            {location: vscode.ProgressLocation.Window, title: `AstroSage: reading ${fileName(document)}`},
            () => ctx.latex.manuscriptFor(document.uri.fsPath, {overrides})
        );
        ctx.chatView.allowSourceFiles(manuscript.files.map((file) => file.path));
        for (const problem of manuscript.problems)
            ctx.log.info(`LaTeX: ${problem.at == null ? "" : `${problem.at.file}:${problem.at.line}: `}${problem.message}`);
        return manuscript;
    } catch (error) {
        ctx.log.error(`Reading the manuscript of ${document.uri.fsPath} failed: ${String(error)}`);
        void vscode.window.showErrorMessage(`AstroSage could not read the manuscript of ${fileName(document)}: ${error instanceof Error ? error.message : String(error)}`, "Show Log")
            .then((choice) => choice === "Show Log" && ctx.log.show());
        return undefined;
    }
}

function fileName(document: vscode.TextDocument): string {
    return document.uri.path.split("/").at(-1) ?? document.uri.path;
}
