/**
 * "Apply Suggestion" on a review finding (its comment's title bar, the Review
 * view, or the quick fix "Apply AstroSage suggestion"): replaces the quoted
 * text with the rewrite in one undoable edit, then the finding is done.
 */
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import {applySuggestion} from "../review/ui/applySuggestion.ts";

export function applyReviewSuggestion(ctx: AstroSageContext) {
    return async (argument?: unknown) => {
        const stored = ctx.review.findingFrom(argument);
        if (stored == null) {
            void vscode.window.showInformationMessage("Choose a review finding first: its comment in the editor, or the Review view.");
            return;
        }
        const outcome = await applySuggestion(stored);
        if (!outcome.applied) {
            void vscode.window.showWarningMessage(outcome.reason);
            return;
        }
        ctx.log.info(`Review: applied the suggestion of finding ${stored.finding.id} in ${stored.uri.fsPath}`);
        ctx.review.store.remove(stored.finding.id);
    };
}
