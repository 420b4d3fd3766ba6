/**
 * "AstroSage: Summarize LaTeX": the selection, the section at the cursor, or the
 * whole manuscript (asked when more than one applies; menus pass the scope).
 * The summary streams into a new chat, each part linked to its source, with a
 * progress notification naming the part and Cancel. The chat keeps the paper,
 * so follow-up questions are about it.
 */
import * as vscode from "vscode";
import type {Attachment} from "../chat/Conversation.ts";
import type {AstroSageContext} from "../context.ts";
import type {ChatBackend} from "../core/chatTypes.ts";
import {readManuscript} from "../editor/readManuscript.ts";
import {chooseScope} from "../editor/chooseScope.ts";
import {katexMacros} from "../latex/manuscriptQueries.ts";
import type {Manuscript} from "../latex/Manuscript.ts";
import {describePlace, manuscriptNotes} from "../summarize/describeManuscript.ts";
import {paperContext} from "../summarize/paperContext.ts";
import {budgetFor, planSummary, type SummaryPlan, type SummaryScope} from "../summarize/planSummary.ts";
import {measureCharactersPerToken} from "../summarize/measureCharactersPerToken.ts";
import {runSummary, SUMMARY_ANSWER_TOKENS} from "../summarize/runSummary.ts";

export function summarizeLatex(ctx: AstroSageContext) {
    return async (scopeArgument?: unknown) => {
        const editor = vscode.window.activeTextEditor;
        if (editor == null) {
            void vscode.window.showInformationMessage("Open a LaTeX file (.tex) of the manuscript, then run \"AstroSage: Summarize LaTeX\".");
            return;
        }
        const manuscript = await readManuscript(ctx, editor.document);
        if (manuscript == null)
            return;
        const scope = (await chooseScope(manuscript, editor, scopeArgument, {title: "AstroSage: Summarize LaTeX", verb: "summarize"}))?.scope;
        if (scope == null)
            return;

        const budget = budgetFor(ctx.contextSize, SUMMARY_ANSWER_TOKENS);
        const plan = planSummary(manuscript, scope, budget);
        if (plan.parts.length === 0) {
            void vscode.window.showInformationMessage(`${rootName(manuscript)} has no text to summarize yet.`);
            return;
        }
        if (await ctx.chatView.readyForNewChat("Summarize"))
            await summarize(ctx, manuscript, plan, scope);
    };
}

async function summarize(ctx: AstroSageContext, manuscript: Manuscript, plan: SummaryPlan, scope: SummaryScope) {
    const name = rootName(manuscript);
    const prompt = scope.kind === "document" ? `Summarize "${plan.title}"` : `Summarize ${plan.scopeLabel} of "${plan.title}"`;
    await vscode.window.withProgress(
        {location: vscode.ProgressLocation.Notification, title: `AstroSage: summarizing ${name}`, cancellable: true},
        async (progress, token) => {
            token.onCancellationRequested(() => void ctx.chatView.session.stop());
            let reported = 0;
            const backend: ChatBackend = {
                chat: async (_turn, onFrame, signal) => {
                    // Parts are sized with the model's own tokenizer, measured on this manuscript.
                    progress.report({message: "Loading the model and sizing the parts…"});
                    const charactersPerToken = await measureCharactersPerToken(ctx.backend, manuscript, signal);
                    const budget = budgetFor(ctx.contextSize, SUMMARY_ANSWER_TOKENS, charactersPerToken);
                    ctx.log.info(`Summarize: ${charactersPerToken.toFixed(2)} characters per token, parts of up to ${budget.partTokens} tokens`);
                    const notes = manuscriptNotes(manuscript);
                    if (notes !== "")
                        onFrame({kind: "text", text: notes});
                    await runSummary({
                        backend: ctx.backend,
                        plan: planSummary(manuscript, scope, budget),
                        budget,
                        sampling: ctx.config.sampling,
                        describePlace: (at) => describePlace(manuscript, at),
                        onFrame,
                        signal,
                        onProgress: ({step, steps, label}) => {
                            const done = ((step - 1) / steps) * 100;
                            progress.report({message: `${label} (${step} of ${steps})`, increment: done - reported});
                            reported = done;
                        }
                    });
                }
            };
            await ctx.chatView.askInNewChat(prompt, attachmentFor(ctx, manuscript, plan, scope), {backend, macros: katexMacros(manuscript)});
        }
    );
}

/**
 * What follow-up questions carry: the summarized text when it fits half the
 * context, otherwise the paper's abstract and outline (the section summaries
 * in the answer carry the rest).
 */
function attachmentFor(ctx: AstroSageContext, manuscript: Manuscript, plan: SummaryPlan, scope: SummaryScope): Attachment {
    const budget = Math.floor(ctx.contextSize / 2);
    const paper = paperContext(manuscript, budget);
    // The paper's root names it: when it is edited, states saved for its old text are dropped.
    const document = manuscript.root;
    if (scope.kind === "document" || paper.complete)
        return {label: paper.label, text: paper.text, document};
    const text = plan.parts.map((part) => part.text).join("\n\n");
    if (text.length / 3 <= budget)
        return {label: `${rootName(manuscript)} (${plan.scopeLabel})`, text: `From the manuscript "${plan.title}", ${plan.scopeLabel}:\n\n${text}`, document: `${document}#${plan.scopeLabel}`};
    return {label: paper.label, text: paper.text, document};
}

function rootName(manuscript: Manuscript): string {
    return manuscript.root.split(/[\\/]/).at(-1) ?? manuscript.root;
}
