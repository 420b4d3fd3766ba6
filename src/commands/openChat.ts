import * as vscode from "vscode";
import type {ConversationSummary} from "../chat/ConversationStore.ts";
import type {AstroSageContext} from "../context.ts";

type ChatItem = vscode.QuickPickItem & {summary: ConversationSummary};

const deleteButton: vscode.QuickInputButton = {iconPath: new vscode.ThemeIcon("trash"), tooltip: "Delete this chat"};

/** "AstroSage: Open Past Chat…": the saved chats, newest first, to reopen or delete. */
export const openChat = (ctx: AstroSageContext) => async () => {
    const picker = vscode.window.createQuickPick<ChatItem>();
    picker.title = "AstroSage: Past Chats";
    picker.placeholder = "Choose a chat to reopen; the trash button deletes one";
    picker.matchOnDetail = true;

    const refresh = async () => {
        picker.busy = true;
        const {conversations, problems} = await ctx.store.list();
        for (const problem of problems)
            ctx.log.warn(`Skipped an unreadable saved chat ${problem.file}: ${problem.reason}`);
        picker.items = conversations.map((summary) => ({
            label: summary.title,
            description: new Date(summary.updatedAt).toLocaleString(),
            detail: `${summary.messageCount} messages${summary.id === ctx.chatView.session.conversation.id ? " · open now" : ""}`,
            buttons: [deleteButton],
            summary
        }));
        picker.busy = false;
    };

    picker.onDidTriggerItemButton(async ({item}) => {
        const choice = await vscode.window.showWarningMessage(`Delete the chat "${item.summary.title}"?`, {modal: true}, "Delete");
        if (choice !== "Delete")
            return;
        await ctx.store.delete(item.summary.id);
        if (item.summary.id === ctx.chatView.session.conversation.id)
            await ctx.chatView.session.startNew();
        await refresh();
    });
    picker.onDidAccept(async () => {
        const item = picker.selectedItems[0];
        picker.hide();
        if (item == null)
            return;
        try {
            const stored = await ctx.store.load(item.summary.id);
            if (stored == null) {
                void vscode.window.showWarningMessage(`The chat "${item.summary.title}" no longer exists.`);
                return;
            }
            await vscode.commands.executeCommand("astrosage.chat.focus");
            await ctx.chatView.session.open(stored);
        } catch (error) {
            ctx.log.error(`Opening a saved chat failed: ${String(error)}`);
            void vscode.window.showErrorMessage(`The chat "${item.summary.title}" could not be opened: its file is damaged. See "AstroSage: Show Log".`);
        }
    });
    picker.onDidHide(() => picker.dispose());
    picker.show();
    await refresh();
};
