/**
 * What the model is asked when it referees one part of a manuscript: a referee
 * rubric for astronomy, and the rules that make its findings land in the editor
 * (quotes copied exactly, short, from the part read). The manuscript's text is
 * data, not instructions: it is fenced and the request comes after it, so a
 * sentence in a paper cannot redirect the review. No `vscode` import.
 */
import type {SummaryPart, SummaryPlan} from "../summarize/planSummary.ts";
import {MAX_FINDINGS_PER_PART, modelFindingCategories} from "./reviewSchema.ts";

/** The system prompt of every review turn (with reasoning on, the engine uses the reasoning prompt instead). */
export const REVIEW_SYSTEM_PROMPT =
    "You are AstroSage, an expert referee for astronomy and astrophysics journals (ApJ, AJ, MNRAS, A&A). " +
    "You review manuscripts written in LaTeX for their authors: specific, constructive and accurate, " +
    "pointing at the exact words concerned, never inventing problems the text does not have, " +
    "and answering only with the JSON the request asks for.";

/** What each category covers, in the rubric's order: the model picks the category by these. */
const RUBRIC: Record<typeof modelFindingCategories[number], string> = {
    clarity: "clarity and structure: the aims, methods and results can be followed; terms and symbols are defined before use",
    correctness: "correctness of claims and equations: derivations, signs, factors, limits and numbers consistent with each other and with known physics",
    units: "units and constants: units given for every quantity and written one way (not km/s in one place and km s$^{-1}$ in another), solar units (M$_\\odot$, L$_\\odot$, R$_\\odot$) and constants defined",
    assumptions: "stated assumptions: cosmology (H$_0$, $\\Omega_m$, $\\Omega_\\Lambda$), magnitude system (AB or Vega), coordinate epoch and frame (J2000, ICRS), initial mass function, distances and extinction",
    uncertainties: "uncertainties and significance: errors given with their meaning (1σ, 68% interval, statistical or systematic), significance of detections, number of trials",
    figures: "figures and tables: each one referred to in the text and described; axes, units and symbols explained in the caption",
    citations: "citations: claims, data, methods and software that need a reference have one",
    availability: "data and software availability: where the data, code and catalogues used can be obtained",
    language: "language: grammar, spelling, ambiguous or overlong sentences"
};

/** The request to referee one part of the manuscript. */
export function reviewPrompt(plan: SummaryPlan, part: SummaryPart): string {
    const piece = part.piece == null ? "" : ` (piece ${part.piece.index} of ${part.piece.count})`;
    const headings = part.headings.map((heading) => heading.title).join("; ");
    const rubric = modelFindingCategories.map((category) => `- "${category}": ${RUBRIC[category]}`).join("\n");
    return [
        `The following is part of the manuscript "${plan.title}": ${headings}${piece}.`,
        fence(part.text),
        "Referee this part as a careful reviewer for an astronomy journal. Judge it against these categories:",
        rubric,
        [
            `Give at most ${MAX_FINDINGS_PER_PART} findings, the most important first; give none when the part has no real problem.`,
            "For each finding:",
            "- \"quote\": the exact text of the manuscript the finding is about, copied character for character from the part above " +
            "(LaTeX commands and math included, as written): one sentence or clause, never more, and never text that is not in the part.",
            "- \"category\": one of the categories above.",
            "- \"severity\": \"major\" for errors that affect the results or conclusions, \"minor\" for problems a reader would notice, " +
            "\"suggestion\" for improvements.",
            "- \"comment\": what is wrong and why, in one to three sentences.",
            "- \"suggestion\": the quote rewritten to fix it, only when the fix is a rewrite of the quoted text; otherwise null.",
            "Answer with the JSON object only: {\"findings\": [{\"quote\": …, \"category\": …, \"severity\": …, \"comment\": …, \"suggestion\": …}]}."
        ].join("\n")
    ].join("\n\n");
}

function fence(text: string): string {
    // A fence longer than any run of backticks inside, so the text cannot close it.
    const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (match) => match[0].length));
    const marks = "`".repeat(longest + 1);
    return `${marks}latex\n${text}\n${marks}`;
}
