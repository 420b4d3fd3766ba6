import * as vscode from "vscode";
import {exportMarkdown} from "../chat/exportMarkdown.ts";
import type {AstroSageContext} from "../context.ts";

/** "AstroSage: Export Chat as Markdown…": writes the open chat to a .md file the user picks. */
export const exportChat = (ctx: AstroSageContext) => async () => {
    const conversation = ctx.chatView.session.conversation;
    if (conversation.isEmpty) {
        void vscode.window.showInformationMessage("This chat is empty: there is nothing to export yet.");
        return;
    }
    const stored = conversation.toStored();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${stored.title.replace(/[^\p{L}\p{N} _-]+/gu, "").trim().slice(0, 60) || "AstroSage chat"}.md`;
    const target = await vscode.window.showSaveDialog({
        title: "Export the chat as Markdown",
        saveLabel: "Export",
        filters: {Markdown: ["md"]},
        defaultUri: folder == null ? undefined : vscode.Uri.joinPath(folder, name)
    });
    if (target == null)
        return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exportMarkdown(stored, {includeThoughts: true})));
    ctx.log.info(`Chat exported to ${target.fsPath}`);
    const choice = await vscode.window.showInformationMessage(`Chat exported to ${vscode.workspace.asRelativePath(target)}.`, "Open");
    if (choice === "Open")
        await vscode.window.showTextDocument(target);
};
