/**
 * "AstroSage: Review Manuscript": a referee's reading of the selection, the
 * section at the cursor or the whole manuscript (asked when more than one
 * applies; menus and tests pass the scope). Findings appear as comments at
 * the sentences they quote, in the Review view and in the Problems panel.
 */
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import {readManuscript} from "../editor/readManuscript.ts";
import {chooseScope} from "../editor/chooseScope.ts";
import {runReviewWithProgress} from "./runReviewWithProgress.ts";

export function reviewManuscript(ctx: AstroSageContext) {
    return async (scopeArgument?: unknown) => {
        const editor = vscode.window.activeTextEditor;
        if (editor == null) {
            void vscode.window.showInformationMessage("Open a LaTeX file (.tex) of the manuscript, then run \"AstroSage: Review Manuscript\".");
            return;
        }
        const manuscript = await readManuscript(ctx, editor.document);
        if (manuscript == null)
            return;
        const chosen = await chooseScope(manuscript, editor, scopeArgument, {title: "AstroSage: Review Manuscript", verb: "review"});
        if (chosen != null)
            await runReviewWithProgress(ctx, {manuscript, scope: chosen.scope, scopeLabel: chosen.label});
    };
}
