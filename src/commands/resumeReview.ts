/**
 * "AstroSage: Resume Review": continues the review that was stopped, skipping
 * the parts already reviewed and keeping their findings. The manuscript is
 * read again, so edits made meanwhile are what the rest is reviewed on.
 */
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import {readManuscript} from "../editor/readManuscript.ts";
import {runReviewWithProgress} from "./runReviewWithProgress.ts";

export function resumeReview(ctx: AstroSageContext) {
    return async () => {
        const stopped = ctx.review.stopped;
        if (stopped == null) {
            void vscode.window.showInformationMessage("There is no stopped review to resume. Run \"AstroSage: Review Manuscript\".");
            return;
        }
        let document: vscode.TextDocument;
        try {
            document = await vscode.workspace.openTextDocument(vscode.Uri.file(stopped.root));
        } catch (error) {
            ctx.log.warn(`Opening ${stopped.root} to resume its review failed: ${String(error)}`);
            void vscode.window.showErrorMessage(`${stopped.root} could not be opened; it may have been moved or deleted. Run "AstroSage: Review Manuscript" again.`);
            return;
        }
        const manuscript = await readManuscript(ctx, document);
        if (manuscript != null)
            await runReviewWithProgress(ctx, {manuscript, scope: stopped.scope, scopeLabel: stopped.scopeLabel, resume: stopped});
    };
}
