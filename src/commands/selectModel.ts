import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import {downloadWithProgress, useModel} from "../models/downloadWithProgress.ts";
import {pickBuild} from "../models/pickBuild.ts";

/**
 * "AstroSage: Select Model…" (also the status bar item's click): a downloaded
 * build is used at once, another is downloaded first; or a file on disk.
 */
export const selectModel = (ctx: AstroSageContext) => async () => {
    const picked = await pickBuild(ctx, {
        title: "AstroSage: Select Model",
        placeholder: "Choose an AstroSage build (downloaded builds are used at once)",
        extras: [
            {label: "$(file) A GGUF File on Disk…", detail: "Use a model file you already have", action: "file"},
            {label: "$(database) Manage Models…", detail: "See downloaded models and their sizes; delete them", action: "manage"}
        ]
    });
    if (picked == null)
        return;
    if ("action" in picked) {
        await vscode.commands.executeCommand(picked.action === "file" ? "astrosage.selectModelFile" : "astrosage.manageModels");
        return;
    }
    if (await ctx.library.has(picked.build))
        await useModel(ctx, picked.build, ctx.library.pathOf(picked.build));
    else
        await downloadWithProgress(ctx, picked.build);
};
