/**
 * Runs a review of a manuscript for "Review Manuscript" and "Resume Review":
 * the deterministic checks at once, then the referee part by part, each part's
 * findings shown as it ends, with a progress notification naming the section
 * and Cancel. A stopped review can be resumed (its reviewed parts are skipped).
 *
 * With reasoning on, the review runs as a chat turn titled "Review of … (reasoning)":
 * its thoughts stream into that answer's folded reasoning section, and the
 * comments carry only the findings. The chat's Stop and the notification's
 * Cancel then stop the same turn.
 */
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import type {ChatBackend, StreamFrame, TurnStats} from "../core/chatTypes.ts";
import type {Manuscript} from "../latex/Manuscript.ts";
import {deterministicChecks} from "../review/deterministicChecks.ts";
import {ReviewError, runReview, type ReviewPartResult, type ReviewRunResult} from "../review/runReview.ts";
import {currentText, type StoppedReview} from "../review/ui/ReviewUi.ts";
import {StatsTotal} from "../summarize/askForText.ts";
import type {SummaryScope} from "../summarize/planSummary.ts";

export type ReviewRequest = {
    manuscript: Manuscript;
    scope: SummaryScope;
    /** "the whole manuscript", "§3 Data", "the selection". */
    scopeLabel: string;
    /** Continue this stopped review instead of starting a new one. */
    resume?: StoppedReview;
};

type RunOutcome = ReviewRunResult;

export async function runReviewWithProgress(ctx: AstroSageContext, request: ReviewRequest): Promise<void> {
    const reasoning = ctx.config.reasoning;
    if (ctx.review.running) {
        void vscode.window.showInformationMessage("A review is running. Cancel it in its notification first, or wait for it to end.");
        return;
    }
    if (!await engineFree(ctx, reasoning))
        return;
    ctx.review.running = true;
    try {
        await review(ctx, request, reasoning);
    } finally {
        ctx.review.running = false;
    }
}

async function review(ctx: AstroSageContext, request: ReviewRequest, reasoning: boolean) {
    const {manuscript, scope, scopeLabel, resume} = request;
    const name = fileName(manuscript.root);

    if (resume == null) {
        ctx.review.stopped = undefined;
        ctx.review.store.startReview(manuscript.files.map((file) => file.path));
        const checks = deterministicChecks(manuscript, currentText);
        ctx.review.store.add(checks);
        ctx.log.info(`Review: ${checks.length} findings from the checks of ${name}`);
    }

    const problems: string[] = [];
    let modelFindings = 0;
    const onPart = (result: ReviewPartResult) => {
        ctx.review.store.add(result.findings);
        modelFindings += result.findings.length;
        if (result.problem != null) {
            problems.push(`${result.heading}: ${result.problem}`);
            ctx.log.warn(`Review of ${result.heading} (${result.partId}): ${result.problem}`);
        }
    };

    let outcome: RunOutcome | undefined;
    let failure: unknown;
    await vscode.window.withProgress(
        {location: vscode.ProgressLocation.Notification, title: `AstroSage: reviewing ${name}`, cancellable: true},
        async (progress, token) => {
            let reported = 0;
            const run = async (signal: AbortSignal, onThought?: (text: string) => void, onTurnStats?: (stats: TurnStats) => void) => {
                progress.report({message: "Loading the model…"});
                return runReview({
                    backend: ctx.backend,
                    manuscript,
                    scope,
                    contextSize: ctx.contextSize,
                    sampling: ctx.config.sampling,
                    reasoning,
                    fileText: currentText,
                    skipParts: resume?.reviewed,
                    onPart,
                    onProgress: ({step, steps, label}) => {
                        const done = ((step - 1) / steps) * 100;
                        progress.report({message: `${label} (${step} of ${steps})`, increment: done - reported});
                        reported = done;
                        ctx.review.setStatus(`Reviewing ${label} (${step} of ${steps})`);
                    },
                    onThought,
                    onTurnStats,
                    signal
                });
            };
            try {
                if (reasoning) {
                    token.onCancellationRequested(() => void ctx.chatView.session.stop());
                    // The chat reports a failed turn in the answer; the notification needs it too.
                    const runInChat = async (signal: AbortSignal, onThought: (text: string) => void, onTurnStats: (stats: TurnStats) => void) => {
                        try {
                            return await run(signal, onThought, onTurnStats);
                        } catch (error) {
                            failure = error;
                            throw error;
                        }
                    };
                    const backend = reasoningBackend(runInChat, (result) => outcome = result, () => modelFindings);
                    await ctx.chatView.askInNewChat(`Review of "${manuscript.title ?? name}", ${scopeLabel} (reasoning)`, undefined, {backend});
                } else {
                    const controller = new AbortController();
                    token.onCancellationRequested(() => controller.abort());
                    outcome = await run(controller.signal);
                }
            } catch (error) {
                failure = error;
            } finally {
                ctx.review.setStatus(undefined);
            }
        }
    );
    report(ctx, {name, scopeLabel, request, outcome, failure, problems});
}

/**
 * Whether the model is free for the review: the engine answers one turn at a
 * time, so an answer being written in the chat is stopped first (if the user agrees).
 */
async function engineFree(ctx: AstroSageContext, reasoning: boolean): Promise<boolean> {
    // With reasoning on, the review is itself a chat turn, in a new chat.
    if (reasoning)
        return ctx.chatView.readyForNewChat("Review");
    if (!ctx.chatView.session.generating)
        return true;
    const stop = "Stop and Review";
    const choice = await vscode.window.showWarningMessage("AstroSage is still answering in the chat. Stop that answer and start the review? (What it has written stays in its chat.)", stop);
    if (choice !== stop)
        return false;
    await ctx.chatView.session.stop();
    return true;
}

/**
 * A chat backend whose one turn is the review: thoughts go to the answer's
 * reasoning section as they come; the answer's text, written at the end (text
 * folds the reasoning), lists what was found where.
 */
function reasoningBackend(
    run: (signal: AbortSignal, onThought: (text: string) => void, onTurnStats: (stats: TurnStats) => void) => Promise<RunOutcome>,
    onOutcome: (outcome: RunOutcome) => void,
    findingCount: () => number
): ChatBackend {
    return {
        chat: async (_turn, onFrame: (frame: StreamFrame) => void, signal) => {
            // The answer's figures are the review's: every part's turn summed.
            const totals = new StatsTotal();
            const result = await run(signal, (text) => onFrame({kind: "thought", text}), (stats) => totals.add(stats));
            onOutcome(result);
            const reviewed = `${result.reviewed.length} of ${result.parts.length} ${result.parts.length === 1 ? "part" : "parts"}`;
            onFrame({
                kind: "text",
                text: `Reviewed ${reviewed}${result.stopped ? " (stopped; \"AstroSage: Resume Review\" continues)" : ""}: `
                    + `${findingCount()} ${findingCount() === 1 ? "finding" : "findings"} from the model. `
                    + "The findings are comments in the editor and in the Review view."
            });
            onFrame({kind: "done", stats: totals.result(result.stopped ? "abort" : "eogToken")});
        }
    };
}

function report(ctx: AstroSageContext, {name, scopeLabel, request, outcome, failure, problems}: {
    name: string; scopeLabel: string; request: ReviewRequest; outcome: RunOutcome | undefined; failure: unknown; problems: string[];
}) {
    if (failure instanceof ReviewError && (failure.code === "noModel" || failure.code === "modelNotFound" || failure.code === "invalidModel")) {
        ctx.log.warn(`Review of ${name}: ${failure.message}`);
        void vscode.window.showErrorMessage(`AstroSage could not review ${name}: ${failure.message}`, "Select Model…")
            .then((choice) => choice === "Select Model…" && vscode.commands.executeCommand("astrosage.selectModel"));
        return;
    }
    if (failure != null || outcome == null) {
        const message = failure instanceof Error ? failure.message : String(failure ?? "the review ended without a result");
        ctx.log.error(`Review of ${name} failed: ${failure instanceof Error ? failure.stack ?? message : message}`);
        void vscode.window.showErrorMessage(`AstroSage could not review ${name}: ${message}`, "Show Log")
            .then((choice) => choice === "Show Log" && ctx.log.show());
        return;
    }
    const count = ctx.review.store.size;
    const findings = `${count} ${count === 1 ? "finding" : "findings"}`;
    if (outcome.stopped) {
        const reviewed = new Set([...(request.resume?.reviewed ?? []), ...outcome.reviewed]);
        ctx.review.stopped = {root: request.manuscript.root, scope: request.scope, scopeLabel, reviewed};
        void vscode.window.showInformationMessage(
            `The review of ${name} (${scopeLabel}) stopped after ${reviewed.size} of ${outcome.parts.length} parts; ${findings} so far.`,
            "Resume Review"
        ).then((choice) => choice === "Resume Review" && vscode.commands.executeCommand("astrosage.resumeReview"));
        return;
    }
    ctx.review.stopped = undefined;
    if (problems.length > 0) {
        void vscode.window.showWarningMessage(`Reviewed ${name} (${scopeLabel}): ${findings}. ${problems.length} ${problems.length === 1 ? "part" : "parts"} could not be reviewed: ${problems.join("; ")}`, "Show Log")
            .then((choice) => choice === "Show Log" && ctx.log.show());
        return;
    }
    void vscode.window.showInformationMessage(`Reviewed ${name} (${scopeLabel}): ${findings}. Use "AstroSage: Next Finding" or the Review view to go through them.`);
}

function fileName(file: string): string {
    return file.split(/[\\/]/).at(-1) ?? file;
}
