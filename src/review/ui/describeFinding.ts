/**
 * The words a finding is shown with: its thread's label, its comment as
 * Markdown (severity and category, the referee's comment, the suggested
 * rewrite as a diff) and its line in the Problems panel. No `vscode` import.
 */
import type {Finding, FindingCategory, FindingSeverity} from "../Finding.ts";

const categoryNames: Record<FindingCategory, string> = {
    clarity: "Clarity",
    correctness: "Correctness",
    units: "Units",
    assumptions: "Assumptions",
    uncertainties: "Uncertainties",
    figures: "Figures and tables",
    citations: "Citations",
    availability: "Data availability",
    language: "Language",
    references: "References"
};

const severityNames: Record<FindingSeverity, string> = {major: "Major", minor: "Minor", suggestion: "Suggestion"};

/** Theme icons (codicons) per severity, for the comment's badge and the tree. */
export const severityIcons: Record<FindingSeverity, string> = {major: "warning", minor: "info", suggestion: "lightbulb"};

export function categoryName(category: FindingCategory): string {
    return categoryNames[category] ?? category;
}

export function severityName(severity: FindingSeverity): string {
    return severityNames[severity] ?? severity;
}

/** "Finding 3 of 17 · Units · Minor", with "check" for a deterministic check's. */
export function threadLabel(finding: Finding, number: number, count: number): string {
    const kind = finding.source === "check" ? "Check" : "Finding";
    return `${kind} ${number} of ${count} · ${categoryName(finding.category)} · ${severityName(finding.severity)}`;
}

/**
 * What a thread's and a tree item's `contextValue` says about a finding, for the
 * menus' `when` clauses: "finding", then "suggestion" when it has a rewrite that
 * can be applied (its quote was found), "check" or "model" for its source,
 * "unlocated" when its quote was not found.
 */
export function findingContext(finding: Finding, located: boolean): string {
    return ["finding", finding.suggestion != null && located ? "suggestion" : undefined, finding.source, located ? undefined : "unlocated"]
        .filter((word) => word != null).join(" ");
}

/** The comment's body as Markdown; theme icons `$(…)` in it are meant to be rendered. */
export function findingMarkdown(finding: Finding, located: boolean): string {
    const badge = `$(${severityIcons[finding.severity]}) **${severityName(finding.severity)}** · ${categoryName(finding.category)}`
        + (finding.source === "check" ? " · _check_" : "");
    const parts = [badge, escapeIcons(finding.comment.trim())];
    if (!located)
        parts.push(`_The quoted text was not found in ${escapeIcons(finding.section)}; this comment is shown at its heading._\n\n${quoteBlock(finding.quote)}`);
    if (finding.suggestion != null)
        parts.push(`**Suggested rewrite**\n\n${fenced(diffOf(finding.quote, finding.suggestion), "diff")}`);
    return parts.join("\n\n");
}

/** One line for the Problems panel. */
export function diagnosticMessage(finding: Finding, located: boolean): string {
    const where = located ? "" : ` (quote not found: "${shorten(finding.quote, 60)}")`;
    const rewrite = finding.suggestion == null ? "" : ` Suggested: "${shorten(finding.suggestion, 80)}"`;
    return `${categoryName(finding.category)}: ${finding.comment.trim()}${where}${rewrite}`;
}

/** A short label for a finding in a list: its comment's first words. */
export function shortComment(finding: Finding, length = 70): string {
    return shorten(finding.comment.trim(), length);
}

export function shorten(text: string, length: number): string {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length <= length ? flat : `${flat.slice(0, length - 1).trimEnd()}…`;
}

function diffOf(quote: string, suggestion: string): string {
    const lines = (text: string, sign: string) => text.split(/\r?\n/).map((line) => `${sign} ${line}`).join("\n");
    return `${lines(quote, "-")}\n${lines(suggestion, "+")}`;
}

/** A code block whose fence is longer than any run of backticks inside it. */
function fenced(text: string, language: string): string {
    const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
    const fence = "`".repeat(longest + 1);
    return `${fence}${language}\n${text}\n${fence}`;
}

function quoteBlock(text: string): string {
    return text.split(/\r?\n/).map((line) => `> ${escapeIcons(line)}`).join("\n");
}

/** Model text must not turn into icons: `$(` is escaped outside the badge. */
function escapeIcons(text: string): string {
    return text.replace(/\$\(/g, "\\$(");
}
