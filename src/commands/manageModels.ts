import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import {formatBytes} from "../core/units.ts";
import type {LibraryFile} from "../models/ModelLibrary.ts";

type FileItem = vscode.QuickPickItem & {file: LibraryFile};

const deleteButton: vscode.QuickInputButton = {iconPath: new vscode.ThemeIcon("trash"), tooltip: "Delete"};

/**
 * "AstroSage: Manage Models": the downloaded models and interrupted downloads
 * with their sizes; a model is used by picking it and deleted with its trash button.
 */
export const manageModels = (ctx: AstroSageContext) => async () => {
    const quickPick = vscode.window.createQuickPick<FileItem>();
    quickPick.title = "AstroSage: Manage Models";
    const refresh = async () => {
        const files = await ctx.library.list();
        const total = files.reduce((sum, file) => sum + file.bytes, 0);
        quickPick.placeholder = files.length === 0
            ? `No models downloaded yet (${ctx.library.directory})`
            : `${files.length} file${files.length === 1 ? "" : "s"}, ${formatBytes(total)} in ${ctx.library.directory}. Pick one to use it.`;
        quickPick.items = files.map((file) => ({
            label: `${file.partial ? "$(debug-pause)" : file.path === ctx.config.modelPath ? "$(check)" : "$(file)"} ${file.build?.label ?? file.fileName}`,
            description: [formatBytes(file.bytes), file.partial ? "interrupted download" : file.path === ctx.config.modelPath ? "in use" : ""].filter((part) => part !== "").join(" · "),
            detail: file.fileName,
            buttons: [deleteButton],
            file
        }));
    };

    // The confirmation dialog takes focus and so hides the list; it is shown again afterwards, not disposed.
    let confirming = false;
    quickPick.onDidTriggerItemButton(async ({item}) => {
        confirming = true;
        try {
            await deleteFile(ctx, item.file);
            await refresh();
        } catch (error) {
            ctx.log.error(`Deleting ${item.file.path} failed: ${String(error)}`);
            void vscode.window.showErrorMessage(`${item.file.fileName} could not be deleted: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
            confirming = false;
        }
        quickPick.show();
    });
    quickPick.onDidAccept(async () => {
        const file = quickPick.selectedItems[0]?.file;
        quickPick.hide();
        if (file == null)
            return;
        if (file.partial) {
            if (file.build != null)
                await vscode.commands.executeCommand("astrosage.downloadModel", file.build.id);
            return;
        }
        await ctx.config.setModelPath(file.path);
    });
    quickPick.onDidHide(() => {
        if (!confirming)
            quickPick.dispose();
    });
    await refresh();
    quickPick.show();
};

async function deleteFile(ctx: AstroSageContext, file: LibraryFile) {
    const name = file.build?.label ?? file.fileName;
    const inUse = !file.partial && file.path === ctx.config.modelPath;
    const choice = await vscode.window.showWarningMessage(
        `Delete ${name} (${formatBytes(file.bytes)})?`,
        {modal: true, detail: inUse ? "It is the model in use; AstroSage will have no model until you choose another." : "You can download it again later."},
        "Delete"
    );
    if (choice !== "Delete")
        return;
    if (ctx.downloads.active?.build.fileName === file.fileName) {
        ctx.downloads.active.cancel();
        await ctx.downloads.active?.outcome;
    }
    if (inUse) {
        await ctx.chatView.session.stop();
        await ctx.local.unload().catch((error: unknown) => ctx.log.warn(`Unloading before the delete failed: ${String(error)}`));
        await ctx.config.setModelPath("");
    }
    await ctx.library.delete(file.fileName);
    ctx.advisor.forget();
    ctx.log.info(`Deleted ${file.path}`);
    void vscode.window.setStatusBarMessage(`Deleted ${name}`, 4000);
}
