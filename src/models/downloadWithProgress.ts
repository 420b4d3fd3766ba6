/**
 * Downloads a catalog build with a progress notification (percent, MB/s, time
 * left, Cancel), then makes it the model. Every failure ends in a message that
 * says what to do next; an interrupted download resumes on the next attempt.
 */
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import type {CatalogBuild} from "../core/modelCatalog.ts";
import {formatBytes} from "../core/units.ts";
import {describeDownloadProgress} from "./describeDownload.ts";
import type {DownloadOutcome} from "./DownloadService.ts";

export async function downloadWithProgress(ctx: AstroSageContext, build: CatalogBuild): Promise<void> {
    if (await ctx.library.has(build)) {
        await useModel(ctx, build, ctx.library.pathOf(build));
        return;
    }
    let download;
    try {
        download = ctx.downloads.start(build);
    } catch (error) {
        void vscode.window.showWarningMessage(error instanceof Error ? error.message : String(error));
        return;
    }
    ctx.log.info(`Downloading ${build.label} into ${ctx.library.directory}`);

    const outcome = await vscode.window.withProgress({
        location: vscode.ProgressLocation.Notification,
        title: `Downloading ${build.label}`,
        cancellable: true
    }, async (progress, token) => {
        token.onCancellationRequested(() => download.cancel());
        let reported = 0;
        const stop = ctx.downloads.onChange((active) => {
            if (active !== download)
                return;
            const {progress: fraction, detail} = describeDownloadProgress(active.progress);
            const percent = Math.floor(fraction * 100);
            progress.report({message: detail, increment: Math.max(0, percent - reported)});
            reported = Math.max(reported, percent);
        });
        try {
            return await download.outcome;
        } finally {
            stop();
        }
    });
    await finish(ctx, build, outcome);
}

async function finish(ctx: AstroSageContext, build: CatalogBuild, outcome: DownloadOutcome) {
    if (outcome.ok) {
        ctx.log.info(`Downloaded ${build.label}: ${outcome.path} (${outcome.bytes} bytes, SHA-256 ${outcome.sha256Checked ? "checked" : "not announced by the source"})`);
        ctx.advisor.forget();
        await useModel(ctx, build, outcome.path);
        void vscode.window.showInformationMessage(`${build.label} is downloaded (${formatBytes(outcome.bytes)}) and ready: ask AstroSage a question in the chat.`);
        return;
    }
    ctx.log.warn(`Download of ${build.label} ended (${outcome.code}): ${outcome.message}`);
    switch (outcome.code) {
        case "cancelled":
            void vscode.window.setStatusBarMessage(`Download of ${build.label} cancelled`, 4000);
            return;
        case "network":
        case "engineCrashed": {
            const choice = await vscode.window.showErrorMessage(outcome.message, "Try Again", "Use a File on Disk…");
            if (choice === "Try Again")
                return downloadWithProgress(ctx, build);
            if (choice === "Use a File on Disk…")
                await vscode.commands.executeCommand("astrosage.selectModelFile");
            return;
        }
        case "notEnoughDisk": {
            const choice = await vscode.window.showErrorMessage(outcome.message, "Manage Models");
            if (choice === "Manage Models")
                await vscode.commands.executeCommand("astrosage.manageModels");
            return;
        }
        case "sourceRefused": {
            const choice = await vscode.window.showErrorMessage(outcome.message, "Try Again", "Download Source Setting");
            if (choice === "Try Again")
                return downloadWithProgress(ctx, build);
            if (choice === "Download Source Setting")
                await vscode.commands.executeCommand("workbench.action.openSettings", "astrosage.download.baseUrl");
            return;
        }
        default: {
            const choice = await vscode.window.showErrorMessage(outcome.message, "Try Again", "Show Log");
            if (choice === "Try Again")
                return downloadWithProgress(ctx, build);
            if (choice === "Show Log")
                ctx.log.show();
        }
    }
}

/** Makes a downloaded build the model; it loads on the next question. */
export async function useModel(ctx: AstroSageContext, build: CatalogBuild, modelPath: string) {
    await ctx.config.setModelPath(modelPath);
    ctx.log.info(`Model set to ${build.label} (${modelPath})`);
}
