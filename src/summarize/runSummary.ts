/**
 * Runs a summary plan against a model backend and streams one answer out of it:
 * each part's heading, linked to its place in the sources, then the model's
 * summary of that part as it is written; then, for more than one part, an
 * overall summary that combines them (map, then reduce). Summaries of many
 * parts that do not fit one turn are combined in groups first. No `vscode` import.
 */
import type {ChatBackend, SamplingOptions, StreamFrame} from "../core/chatTypes.ts";
import {sourceLink} from "../core/sourceLinks.ts";
import type {SourceLocation} from "../latex/Manuscript.ts";
import {askForText, partLabel, StatsTotal, type TurnText} from "./askForText.ts";
import {estimateTokens, type PlanBudget, type SummaryPart, type SummaryPlan} from "./planSummary.ts";
import {combinePrompt, partPrompt, SUMMARY_SYSTEM_PROMPT, wholePrompt} from "./summaryPrompts.ts";

export type SummaryProgress = {
    /** 1-based step, of `steps` model turns planned (group combining may add one or two). */
    step: number;
    steps: number;
    /** What is being read: "§3.2 Photometry", "Overall summary". */
    label: string;
};

export type SummaryRunOptions = {
    backend: ChatBackend;
    plan: SummaryPlan;
    budget: PlanBudget;
    /** Sampling for every turn; the answer lengths are capped per step. */
    sampling: SamplingOptions;
    /** "sections/photometry.tex:40" for a place in the sources. */
    describePlace: (at: SourceLocation) => string;
    onFrame: (frame: StreamFrame) => void;
    onProgress?: (progress: SummaryProgress) => void;
    signal: AbortSignal;
};

/** The most tokens a part's summary may have, and the overall summary's. */
const PART_ANSWER_TOKENS = 400;
const OVERALL_ANSWER_TOKENS = 900;

/** Answer tokens the budget must leave room for. */
export const SUMMARY_ANSWER_TOKENS = OVERALL_ANSWER_TOKENS;

/** Streams the summary as one answer: text frames, then one done or error frame. */
export async function runSummary(options: SummaryRunOptions): Promise<void> {
    const {plan, onFrame} = options;
    const totals = new StatsTotal();
    const emit = (text: string) => onFrame({kind: "text", text});
    const direct = plan.parts.length === 1;
    const steps = plan.parts.length + (direct ? 0 : 1);

    const summaries: {heading: string; text: string}[] = [];
    for (const [index, part] of plan.parts.entries()) {
        const label = partLabel(part);
        options.onProgress?.({step: index + 1, steps, label});
        emit(`${index === 0 ? "" : "\n\n"}### ${partLinks(part, options.describePlace)}\n\n`);
        const prompt = direct ? wholePrompt(plan, part) : partPrompt(plan, part);
        const result = await ask(options, prompt, direct ? OVERALL_ANSWER_TOKENS : PART_ANSWER_TOKENS, emit);
        totals.add(result.stats);
        if (result.error != null || result.stats?.stopReason === "abort") {
            onFrame(result.error ?? {kind: "done", stats: totals.result("abort")});
            return;
        }
        summaries.push({heading: label, text: result.text});
    }

    if (!direct) {
        emit("\n\n---\n\n### Overall summary\n\n");
        const grouped = await combineInGroups(options, summaries, totals, steps);
        if (grouped.ended)
            return;
        options.onProgress?.({step: steps, steps, label: "Overall summary"});
        const result = await ask(options, combinePrompt(plan, grouped.summaries, true), OVERALL_ANSWER_TOKENS, emit);
        totals.add(result.stats);
        if (result.error != null) {
            onFrame(result.error);
            return;
        }
        onFrame({kind: "done", stats: totals.result(result.stats?.stopReason ?? "abort")});
        return;
    }
    onFrame({kind: "done", stats: totals.result("eogToken")});
}

/**
 * When the parts' summaries together are too long for one turn, combines them
 * in consecutive groups that fit (not shown; the progress says so) until they fit.
 */
async function combineInGroups(
    options: SummaryRunOptions,
    summaries: {heading: string; text: string}[],
    totals: StatsTotal,
    steps: number
): Promise<{summaries: {heading: string; text: string}[]; ended: boolean}> {
    let current = summaries;
    const {budget} = options;
    const fits = (list: typeof summaries) => estimateTokens(combinePrompt(options.plan, list, true), budget.charactersPerToken) <= budget.partTokens;
    while (!fits(current) && current.length > 1) {
        const groups: (typeof summaries)[] = [[]];
        for (const summary of current) {
            const group = groups.at(-1)!;
            if (group.length > 0 && !fits([...group, summary]))
                groups.push([summary]);
            else
                group.push(summary);
        }
        // Two summaries that alone overflow a turn cannot be combined further; cut rather than loop.
        if (groups.length === current.length)
            return {summaries: current.map((summary) => ({...summary, text: summary.text.slice(0, 1500)})), ended: false};
        const next: typeof summaries = [];
        for (const group of groups) {
            const heading = group.length === 1 ? group[0]!.heading : `${group[0]!.heading} to ${group.at(-1)!.heading}`;
            options.onProgress?.({step: steps, steps, label: `Combining ${heading}`});
            const result = await ask(options, combinePrompt(options.plan, group, false), PART_ANSWER_TOKENS, () => {});
            totals.add(result.stats);
            if (result.error != null || result.stats?.stopReason === "abort") {
                options.onFrame(result.error ?? {kind: "done", stats: totals.result("abort")});
                return {summaries: current, ended: true};
            }
            next.push({heading, text: result.text});
        }
        current = next;
    }
    return {summaries: current, ended: false};
}

/** One model turn; its answer text goes to `onText` as it streams (thoughts are not part of a summary). */
function ask(options: SummaryRunOptions, prompt: string, maxTokens: number, onText: (text: string) => void): Promise<TurnText> {
    return askForText(options.backend, {
        messages: [{role: "user", text: prompt}],
        systemPrompt: SUMMARY_SYSTEM_PROMPT,
        reasoning: false,
        sampling: {...options.sampling, maxTokens: Math.min(options.sampling.maxTokens, maxTokens)}
    }, options.signal, {onText});
}

/** "§2 Data · §3 Methods", each linked to its heading's place. */
function partLinks(part: SummaryPart, describePlace: (at: SourceLocation) => string): string {
    const piece = part.piece == null ? "" : ` (part ${part.piece.index} of ${part.piece.count})`;
    return part.headings
        .map((heading, index) => sourceLink(`${heading.title}${index === part.headings.length - 1 ? piece : ""} — ${describePlace(heading.at)}`, heading.at))
        .join(" · ");
}
