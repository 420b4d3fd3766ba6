/**
 * A review finding: what a referee (the model) or a deterministic check says
 * about a place in a manuscript. Plain data, shared by the review's core (which
 * produces findings), and its VS Code side (which shows them as comment threads,
 * diagnostics and a tree). No `vscode` import.
 */
import type {SourceLocation} from "../latex/Manuscript.ts";

/** What a finding is about: the referee rubric for astronomy manuscripts. */
export const findingCategories = [
    "clarity",        // clarity and structure
    "correctness",    // claims and equations
    "units",          // units and constants (km/s vs km s^-1, solar units)
    "assumptions",    // cosmology H0/Ωm, AB/Vega, coordinate epoch…
    "uncertainties",  // uncertainties and significance
    "figures",        // figures and tables referenced and described
    "citations",      // claims that need a citation
    "availability",   // data and software availability
    "language",       // language
    "references"      // cross-references, labels and .bib keys (deterministic checks)
] as const;
export type FindingCategory = typeof findingCategories[number];

export const findingSeverities = ["major", "minor", "suggestion"] as const;
export type FindingSeverity = typeof findingSeverities[number];

/** A finding as the model writes it (the JSON schema its output is constrained to). */
export type ModelFinding = {
    /** The exact text of the manuscript the finding is about, copied from the part reviewed. */
    quote: string;
    category: FindingCategory;
    severity: FindingSeverity;
    /** The referee's comment. */
    comment: string;
    /** Replacement text for `quote`, when the fix is a rewrite. */
    suggestion?: string;
};

/** Where a finding sits in a file: character offsets into the text reviewed, and 1-based lines. */
export type FindingRange = {
    file: string;
    /** Offsets into the file's text as it was reviewed (end exclusive). */
    start: number;
    end: number;
    startLine: number;
    endLine: number;
};

export type Finding = ModelFinding & {
    /** Unique within one review. */
    id: string;
    /** "model" for the referee's findings, "check" for deterministic checks. */
    source: "model" | "check";
    /** The section reviewed, for the tree: "§3.2 Photometry". */
    section: string;
    /** The section's heading, where a finding whose quote was not found is shown. */
    sectionAt: SourceLocation;
    /**
     * Where the quote was found; undefined when it was not (the finding is then
     * shown at its section's heading, never dropped).
     */
    range?: FindingRange;
};
