/**
 * What the model is asked at each step of a summary. The manuscript's text is
 * data, not instructions: it is fenced and the request comes after it, so a
 * sentence in a paper cannot redirect the summary. No `vscode` import.
 */
import type {SummaryPart, SummaryPlan} from "./planSummary.ts";

/** The system prompt of every summary turn. */
export const SUMMARY_SYSTEM_PROMPT =
    "You are AstroSage, a research assistant for professional astronomers. You summarize astronomy manuscripts " +
    "written in LaTeX for a colleague: accurately, concisely, keeping key numbers with their units and uncertainties, " +
    "writing mathematics in LaTeX between $ signs, and never adding claims the text does not make.";

/** The request for one part of a longer summary. */
export function partPrompt(plan: SummaryPlan, part: SummaryPart): string {
    const piece = part.piece == null ? "" : ` (piece ${part.piece.index} of ${part.piece.count})`;
    const headings = part.headings.map((heading) => heading.title).join("; ");
    return [
        `The following is part of the manuscript "${plan.title}": ${headings}${piece}.`,
        fence(part.text),
        "Summarize this part in 2 to 5 bullet points: what is done, how, and the results with their numbers and units. " +
        "Do not repeat the section titles. Do not comment on the writing."
    ].join("\n\n");
}

/** The request when the whole scope fits in one turn. */
export function wholePrompt(plan: SummaryPlan, part: SummaryPart): string {
    return [
        `The following is ${plan.scopeLabel === "the whole manuscript" ? "the manuscript" : `${plan.scopeLabel} of the manuscript`} "${plan.title}".`,
        fence(part.text),
        "Summarize it for an astronomer: one short paragraph on the aims and context, then bullet points for the " +
        "methods, the data and the main results with their numbers and units, and one sentence on the conclusions."
    ].join("\n\n");
}

/** The request that combines the parts' summaries into one. */
export function combinePrompt(plan: SummaryPlan, summaries: readonly {heading: string; text: string}[], final: boolean): string {
    const abstract = plan.abstract == null ? [] : ["The abstract, for orientation:", fence(plan.abstract)];
    const listed = summaries.map((summary) => `### ${summary.heading}\n${summary.text.trim()}`).join("\n\n");
    return [
        `Below are summaries of consecutive parts of the manuscript "${plan.title}".`,
        ...abstract,
        fence(listed),
        final
            ? "Write the overall summary of " + plan.scopeLabel + ": one paragraph on the aims and context, one on the methods " +
              "and data, and bullet points for the main results with their numbers and units. Do not list the parts one by one."
            : "Combine these into one summary of the same parts, in bullet points, keeping every key result and number."
    ].join("\n\n");
}

function fence(text: string): string {
    // A fence longer than any run of backticks inside, so the text cannot close it.
    const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (match) => match[0].length));
    const marks = "`".repeat(longest + 1);
    return `${marks}latex\n${text}\n${marks}`;
}
