/** "Dismiss" on a review finding: its comment, tree item and problem go away. */
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";

export function dismissFinding(ctx: AstroSageContext) {
    return (argument?: unknown) => {
        const stored = ctx.review.findingFrom(argument);
        if (stored == null) {
            void vscode.window.showInformationMessage("Choose a review finding first: its comment in the editor, or the Review view.");
            return;
        }
        ctx.review.store.remove(stored.finding.id);
    };
}
