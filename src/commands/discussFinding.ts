/**
 * "Discuss in Chat" on a review finding: a new chat about it, carrying the
 * finding and the lines around its quote, so the user can ask why, argue, or
 * ask for another rewrite.
 */
import * as vscode from "vscode";
import type {Attachment} from "../chat/Conversation.ts";
import type {AstroSageContext} from "../context.ts";
import {categoryName, severityName} from "../review/ui/describeFinding.ts";
import type {StoredFinding} from "../review/ui/FindingStore.ts";

/** Lines of the manuscript shown on each side of the quote. */
const CONTEXT_LINES = 12;

export function discussFinding(ctx: AstroSageContext) {
    return async (argument?: unknown) => {
        const stored = ctx.review.findingFrom(argument);
        if (stored == null) {
            void vscode.window.showInformationMessage("Choose a review finding first: its comment in the editor, or the Review view.");
            return;
        }
        if (!await ctx.chatView.readyForNewChat("Discuss"))
            return;
        const document = await vscode.workspace.openTextDocument(stored.uri);
        const prompt = `A referee's comment on my manuscript says: "${stored.finding.comment.trim()}" Is it right, and how should I address it?`;
        await ctx.chatView.askInNewChat(prompt, findingAttachment(stored, document));
    };
}

function findingAttachment(stored: StoredFinding, document: vscode.TextDocument): Attachment {
    const {finding, range, located} = stored;
    const first = Math.max(0, range.start.line - CONTEXT_LINES);
    const last = Math.min(document.lineCount - 1, range.end.line + CONTEXT_LINES);
    const excerpt = document.getText(new vscode.Range(first, 0, last, document.lineAt(last).text.length));
    const name = stored.uri.path.split("/").at(-1) ?? stored.uri.path;
    const lines = [
        `From the manuscript file ${name}, ${finding.section}, lines ${first + 1}–${last + 1}:`,
        "",
        excerpt,
        "",
        `A referee's finding (${severityName(finding.severity)}, ${categoryName(finding.category)}${finding.source === "check" ? ", from an automatic check" : ""}) about this text${located ? "" : " (not found in the section as written)"}:`,
        `"${finding.quote}"`,
        "",
        `Comment: ${finding.comment.trim()}`,
        ...(finding.suggestion == null ? [] : ["", `Suggested rewrite: "${finding.suggestion}"`])
    ];
    return {label: `${name}:${range.start.line + 1} (review finding)`, text: lines.join("\n")};
}
