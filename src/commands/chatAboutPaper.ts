/**
 * "AstroSage: Chat About This Paper": a new chat whose first question carries
 * the manuscript, so every follow-up is about it. The paper is evaluated once;
 * follow-ups (and, with the saved state, later sessions) evaluate only the new
 * question. A paper longer than the context is summarized first, or the chat
 * uses its abstract and outline: the user chooses.
 */
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import {readManuscript} from "../editor/readManuscript.ts";
import {katexMacros} from "../latex/manuscriptQueries.ts";
import {paperContext} from "../summarize/paperContext.ts";

export function chatAboutPaper(ctx: AstroSageContext) {
    return async () => {
        const editor = vscode.window.activeTextEditor;
        if (editor == null) {
            void vscode.window.showInformationMessage("Open a LaTeX file (.tex) of the manuscript, then run \"AstroSage: Chat About This Paper\".");
            return;
        }
        const manuscript = await readManuscript(ctx, editor.document);
        if (manuscript == null)
            return;
        const contextSize = ctx.contextSize;
        const paper = paperContext(manuscript, Math.floor(contextSize / 2));
        const title = manuscript.title ?? paper.label;
        if (!paper.complete) {
            const choice = await vscode.window.showInformationMessage(
                `"${title}" is about ${paper.fullTokens.toLocaleString("en")} tokens, more than AstroSage's context of ${contextSize.toLocaleString("en")} holds. ` +
                "Summarize it first (the chat then holds a summary of every section), or chat with its abstract and outline?",
                "Summarize First", "Use Abstract and Outline"
            );
            if (choice === "Summarize First") {
                await vscode.commands.executeCommand("astrosage.summarizeLatex", "document");
                return;
            }
            if (choice !== "Use Abstract and Outline")
                return;
        }
        const question = await vscode.window.showInputBox({
            title: `AstroSage: chat about "${title}"`,
            prompt: "Your first question about the paper; ask follow-ups in the chat.",
            placeHolder: "What are the main results, and how robust are they?",
            ignoreFocusOut: true
        });
        if (question == null || question.trim() === "" || !await ctx.chatView.readyForNewChat("Ask"))
            return;
        await ctx.chatView.askInNewChat(question.trim(), {label: paper.label, text: paper.text, document: manuscript.root}, {macros: katexMacros(manuscript)});
    };
}
