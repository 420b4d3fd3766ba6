import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";

/** "AstroSage: Select Model File…": picks a .gguf on disk and makes it the model. */
export const selectModelFile = (ctx: AstroSageContext) => async () => {
    const current = ctx.config.modelPath;
    const picked = await vscode.window.showOpenDialog({
        title: "Select an AstroSage model file",
        openLabel: "Use This Model",
        canSelectMany: false,
        filters: {"GGUF models": ["gguf"]},
        defaultUri: current === "" ? undefined : vscode.Uri.file(current)
    });
    const file = picked?.[0];
    if (file == null)
        return;

    await ctx.config.setModelPath(file.fsPath);
    ctx.log.info(`Model set to ${file.fsPath}`);
    await vscode.commands.executeCommand("astrosage.chat.focus");
};
