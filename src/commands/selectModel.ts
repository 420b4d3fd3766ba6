import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import {hostOf} from "../core/urlParts.ts";
import {downloadWithProgress, useModel} from "../models/downloadWithProgress.ts";
import {pickBuild, type ExtraItem} from "../models/pickBuild.ts";

/**
 * "AstroSage: Select Model…" (also the status bar item's click): a downloaded
 * build is used at once, another is downloaded first; or a file on disk; or an
 * inference server.
 */
export const selectModel = (ctx: AstroSageContext) => async () => {
    const picked = await pickBuild(ctx, {
        title: "AstroSage: Select Model",
        placeholder: "Choose an AstroSage build (downloaded builds are used at once)",
        extras: [
            {label: "$(file) A GGUF File on Disk…", detail: "Use a model file you already have", action: "file"},
            serverItem(ctx),
            {label: "$(database) Manage Models…", detail: "See downloaded models and their sizes; delete them", action: "manage"}
        ]
    });
    if (picked == null)
        return;
    if ("action" in picked) {
        await vscode.commands.executeCommand(actionCommands[picked.action] ?? "astrosage.manageModels");
        return;
    }
    if (await ctx.library.has(picked.build))
        await useModel(ctx, picked.build, ctx.library.pathOf(picked.build));
    else
        await downloadWithProgress(ctx, picked.build);
};

const actionCommands: Record<string, string> = {
    file: "astrosage.selectModelFile",
    manage: "astrosage.manageModels",
    server: "astrosage.connectToServer"
};

/** "Connect to Server…", marked in use when answers come from a server. */
function serverItem(ctx: AstroSageContext): ExtraItem {
    const {config} = ctx;
    const inUse = config.backendKind === "server" && config.serverBaseUrl !== "";
    return {
        label: `${inUse ? "$(check)" : "$(server)"} Connect to Server…`,
        description: inUse ? `in use: ${config.serverModel === "" ? "the server's model" : config.serverModel} on ${hostOf(config.serverBaseUrl)}` : "",
        detail: "AstroSage on an OpenAI-compatible inference server (vLLM, llama-server, Ollama): for the 70B, which needs about 40 GB",
        action: "server"
    };
}
