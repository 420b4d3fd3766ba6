/**
 * "Apply suggestion": replaces a finding's quote with its rewrite in one edit,
 * so one Undo restores the text. Only when the text at the finding's range is
 * still exactly what was reviewed; otherwise the quote is looked for again near
 * its old place, and when it is gone the edit is refused with a message.
 */
import * as vscode from "vscode";
import type {StoredFinding} from "./FindingStore.ts";
import {whereToApply} from "./whereToApply.ts";

export type ApplyOutcome = {applied: true} | {applied: false; reason: string};

export async function applySuggestion(stored: StoredFinding): Promise<ApplyOutcome> {
    const {finding} = stored;
    if (finding.suggestion == null)
        return {applied: false, reason: "This finding has no suggested rewrite."};
    const document = await vscode.workspace.openTextDocument(stored.uri);
    const target = whereToApply(document.getText(), stored);
    if (target == null) {
        const reason = stored.located
            ? "The quoted text has changed since the review, so the suggestion was not applied. Edit it by hand, or review the section again."
            : "The quoted text was not found in the manuscript, so there is nothing to replace.";
        return {applied: false, reason};
    }
    const editor = await vscode.window.showTextDocument(document, {preserveFocus: false, preview: false});
    const range = new vscode.Range(document.positionAt(target.start), document.positionAt(target.end));
    // One edit with undo stops around it: a single Undo brings the quote back.
    const applied = await editor.edit((edit) => edit.replace(range, finding.suggestion!), {undoStopBefore: true, undoStopAfter: true});
    if (!applied)
        return {applied: false, reason: "VS Code did not accept the edit (the document may be read-only)."};
    const end = document.positionAt(target.start + finding.suggestion.length);
    editor.selection = new vscode.Selection(range.start, end);
    editor.revealRange(new vscode.Range(range.start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return {applied: true};
}
