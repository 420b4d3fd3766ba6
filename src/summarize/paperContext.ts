/**
 * The manuscript as the model reads it in a chat about the paper: the whole
 * text when it fits the budget, otherwise its title, abstract and outline
 * (the section summaries of a Summarize run then carry the rest). Sent as the
 * first message's attachment, so follow-up questions reuse its evaluation.
 * No `vscode` import.
 */
import type {Manuscript, ManuscriptSection} from "../latex/Manuscript.ts";
import {estimateTokens, headingTitle} from "./planSummary.ts";

export type PaperContext = {
    /** The chip in the chat: "RTN-095.tex (whole manuscript)". */
    label: string;
    text: string;
    /** Whether `text` is the whole manuscript or its outline. */
    complete: boolean;
    /** Estimated tokens of the whole manuscript. */
    fullTokens: number;
};

export function paperContext(manuscript: Manuscript, budgetTokens: number): PaperContext {
    const name = manuscript.root.split(/[\\/]/).at(-1) ?? manuscript.root;
    const title = manuscript.title ?? name;
    const abstract = manuscript.abstract?.text.trim();
    const full = [
        `Manuscript: "${title}" (${name}).`,
        abstract == null ? "" : `Abstract:\n${abstract}`,
        manuscript.preface.map((text) => text.text).join("\n").trim(),
        ...manuscript.sections.map(sectionText)
    ].filter((text) => text !== "").join("\n\n");
    const fullTokens = estimateTokens(full);
    if (fullTokens <= budgetTokens)
        return {label: `${name} (whole manuscript)`, text: full, complete: true, fullTokens};

    const outline = manuscript.sections.flatMap((section) => outlineLines(section, 0));
    const digest = [
        `Manuscript: "${title}" (${name}). It is too long to read whole here; this is its abstract and outline.`,
        abstract == null ? "" : `Abstract:\n${abstract}`,
        `Sections:\n${outline.join("\n")}`
    ].filter((text) => text !== "").join("\n\n");
    return {label: `${name} (abstract and outline)`, text: digest.slice(0, budgetTokens * 3), complete: false, fullTokens};
}

function sectionText(section: ManuscriptSection): string {
    const heading = `${"#".repeat(Math.min(6, section.depth + 2))} ${headingTitle(section)}`;
    return [heading, section.body.map((text) => text.text).join("\n").trim(), ...section.children.map(sectionText)]
        .filter((text) => text !== "").join("\n\n");
}

function outlineLines(section: ManuscriptSection, depth: number): string[] {
    return [`${"  ".repeat(depth)}- ${headingTitle(section)}`, ...section.children.flatMap((child) => outlineLines(child, depth + 1))];
}
