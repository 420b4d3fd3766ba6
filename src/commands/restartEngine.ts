import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";

/** "AstroSage: Restart Engine": a fresh engine process; the model loads again on the next question. */
export const restartEngine = (ctx: AstroSageContext) => async () => {
    void ctx.chatView.session.stop();
    ctx.local.reset();
    try {
        await ctx.engine.restart();
        ctx.chatView.setStatus(ctx.idleStatus());
        void vscode.window.setStatusBarMessage("AstroSage engine restarted", 3000);
    } catch (error) {
        ctx.log.error(`Restart failed: ${String(error)}`);
        void vscode.window.showErrorMessage(`The AstroSage engine could not restart: ${error instanceof Error ? error.message : String(error)}`, "Show Log")
            .then((choice) => choice === "Show Log" && ctx.log.show());
    }
};
