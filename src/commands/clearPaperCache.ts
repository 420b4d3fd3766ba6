import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";

/** "AstroSage: Clear Paper Cache": deletes every saved prompt state and says how much disk space that freed. */
export const clearPaperCache = (ctx: AstroSageContext) => async () => {
    try {
        const freed = await ctx.promptStates.clear();
        const message = freed.states === 0
            ? "AstroSage: the paper cache was already empty."
            : `AstroSage: cleared the paper cache, ${freed.states} saved ${freed.states === 1 ? "paper" : "papers"}, ${formatBytes(freed.bytes)} freed. Papers are read again on their next question.`;
        void vscode.window.showInformationMessage(message);
    } catch (error) {
        ctx.log.error(`Clearing the paper cache failed: ${String(error)}`);
        void vscode.window.showErrorMessage(`The paper cache in ${ctx.promptStates.directory} could not be cleared: ${error instanceof Error ? error.message : String(error)}`, "Show Log")
            .then((choice) => choice === "Show Log" && ctx.log.show());
    }
};

function formatBytes(bytes: number): string {
    if (bytes >= 2 ** 30)
        return `${(bytes / 2 ** 30).toFixed(1)} GB`;
    return `${Math.max(bytes / 2 ** 20, bytes > 0 ? 0.1 : 0).toFixed(1)} MB`;
}
