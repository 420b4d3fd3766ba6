/**
 * Cuts what the user asked to summarize into parts that each fit the model's
 * context, following the manuscript's sections: a section that fits is one
 * part with its subsections; one that does not gives its own text as a part
 * and its subsections their own parts; small neighbouring sections share a
 * part. Every section is covered exactly once. No `vscode` import.
 */
import type {Manuscript, ManuscriptSection, SourceLocation, SourceSpan, SourceText} from "../latex/Manuscript.ts";

export type SummaryScope =
    | {kind: "document"}
    | {kind: "section"; sectionId: string}
    | {kind: "selection"; text: string; at: SourceSpan};

/** A heading a part covers, linked to its place in the sources. */
export type PartHeading = {
    /** "§3.2 Photometry", "Introduction" (unnumbered), "Selection". */
    title: string;
    at: SourceLocation;
    /** The section, when the heading is one. */
    sectionId?: string;
};

export type SummaryPart = {
    headings: PartHeading[];
    /** The LaTeX the model reads, headings written as Markdown headings. */
    text: string;
    /** Set when one section's own text was too long and was cut: this is piece `index` of `count`. */
    piece?: {index: number; count: number};
    /** The source lines the text comes from, in order (a review finds its quotes in them). */
    spans?: SourceSpan[];
};

export type SummaryPlan = {
    /** The manuscript's title, or its root file's name. */
    title: string;
    /** What is summarized, for the chat: "the whole manuscript", "§3 Data". */
    scopeLabel: string;
    parts: SummaryPart[];
    /** The abstract, given to the combining step as orientation (not summarized itself). */
    abstract?: string;
};

/** How much text one model turn may read. */
export type PlanBudget = {
    /** In tokens of the model's tokenizer, estimated from characters. */
    partTokens: number;
    /**
     * Characters per token for this manuscript and model, measured by tokenizing a
     * sample (see `measureCharactersPerToken`). Defaults to 3: LaTeX runs about 3.5
     * with Llama 3's tokenizer, and 3 keeps parts dense with math inside the context.
     */
    charactersPerToken?: number;
};

export const DEFAULT_CHARACTERS_PER_TOKEN = 3;

export function estimateTokens(text: string, charactersPerToken = DEFAULT_CHARACTERS_PER_TOKEN): number {
    return Math.ceil(text.length / charactersPerToken);
}

/** The part budget for a context size: what is left after the instructions and the answer. */
export function budgetFor(contextSize: number, answerTokens: number, charactersPerToken = DEFAULT_CHARACTERS_PER_TOKEN): PlanBudget {
    const instructions = 400;
    return {partTokens: Math.max(256, Math.floor((contextSize - answerTokens - instructions) * 0.9)), charactersPerToken};
}

export function planSummary(manuscript: Manuscript, scope: SummaryScope, budget: PlanBudget): SummaryPlan {
    const title = manuscript.title ?? fileName(manuscript.root);
    const abstract = manuscript.abstract?.text.trim() || undefined;
    switch (scope.kind) {
        case "selection": {
            const at = {file: scope.at.file, line: scope.at.startLine};
            const heading: PartHeading = {title: `Selection (lines ${scope.at.startLine}–${scope.at.endLine})`, at};
            const texts: SourceText[] = [{...scope.at, text: scope.text}];
            return {title, scopeLabel: "the selection", abstract, parts: splitLong([heading], texts, budget)};
        }
        case "section": {
            const section = findSection(manuscript.sections, scope.sectionId);
            if (section == null)
                throw new Error(`The section ${scope.sectionId} is not in ${fileName(manuscript.root)} any more; run the command again.`);
            return {title, scopeLabel: headingTitle(section), abstract, parts: planSections([section], budget)};
        }
        case "document": {
            const parts: SummaryPart[] = [];
            const preface = manuscript.preface.filter((text) => text.text.trim() !== "");
            if (preface.length > 0)
                parts.push(...splitLong([{title: manuscript.sections.length === 0 ? "Manuscript" : "Opening", at: {file: preface[0]!.file, line: preface[0]!.startLine}}], preface, budget));
            parts.push(...planSections(manuscript.sections, budget));
            return {title, scopeLabel: "the whole manuscript", abstract, parts};
        }
    }
}

/**
 * Parts for sibling sections: whole subtrees packed together while they fit, big
 * ones opened up. `lead` is an opened parent's own text, which starts the first
 * pack, so a section's short introduction is read with its first subsections.
 */
function planSections(sections: readonly ManuscriptSection[], budget: PlanBudget, lead?: {heading: PartHeading; text: string; spans: SourceSpan[]}): SummaryPart[] {
    const parts: SummaryPart[] = [];
    let pack: {headings: PartHeading[]; text: string[]; spans: SourceSpan[]} | undefined = lead == null ? undefined : {headings: [lead.heading], text: [lead.text], spans: lead.spans};
    const flush = () => {
        if (pack != null)
            parts.push({headings: pack.headings, text: pack.text.join("\n\n"), spans: pack.spans});
        pack = undefined;
    };

    for (const section of sections) {
        const whole = subtreeText(section);
        const tokens = estimateTokens(whole, budget.charactersPerToken);
        if (tokens <= budget.partTokens) {
            if (pack != null && estimateTokens([...pack.text, whole].join("\n\n"), budget.charactersPerToken) > budget.partTokens)
                flush();
            pack ??= {headings: [], text: [], spans: []};
            pack.headings.push(headingOf(section));
            pack.text.push(whole);
            pack.spans.push(...subtreeSpans(section));
            continue;
        }
        flush();
        const own = section.body.filter((text) => text.text.trim() !== "");
        const ownText = [markdownHeading(section), ...own.map((text) => text.text.trim())].join("\n\n");
        if (estimateTokens(ownText, budget.charactersPerToken) <= budget.partTokens / 2) {
            parts.push(...planSections(section.children, budget, {heading: headingOf(section), text: ownText, spans: [lineSpan(section.heading), ...own.map(spanOf)]}));
            continue;
        }
        parts.push(...splitLong([headingOf(section)], own, budget, markdownHeading(section)));
        parts.push(...planSections(section.children, budget));
    }
    flush();
    return parts;
}

/**
 * One heading's text as parts that fit: whole if it fits, otherwise cut at
 * paragraph breaks (blank lines), and at line ends inside a paragraph too long
 * on its own.
 */
function splitLong(headings: PartHeading[], texts: readonly SourceText[], budget: PlanBudget, prefix = ""): SummaryPart[] {
    const joined = [prefix, ...texts.map((text) => text.text)].filter((text) => text !== "").join("\n\n");
    const headingSpans = prefix === "" || headings[0] == null ? [] : [lineSpan(headings[0].at)];
    if (estimateTokens(joined, budget.charactersPerToken) <= budget.partTokens)
        return [{headings, text: joined, spans: [...headingSpans, ...texts.map(spanOf)]}];

    // The first piece carries the heading too.
    const limit = Math.floor(budget.partTokens * (budget.charactersPerToken ?? DEFAULT_CHARACTERS_PER_TOKEN)) - (prefix === "" ? 0 : prefix.length + 2);
    const pieces: {text: string; at: SourceLocation; spans: SourceSpan[]}[] = [];
    let current: {lines: string[]; length: number; at: SourceLocation; spans: SourceSpan[]} | undefined;
    const flush = () => {
        if (current != null && current.lines.join("\n").trim() !== "")
            pieces.push({text: current.lines.join("\n"), at: current.at, spans: current.spans});
        current = undefined;
    };
    for (const text of texts) {
        const lines = text.text.split("\n");
        for (let i = 0; i < lines.length; i++) {
            const line = lines[i]!;
            const paragraphEnds = line.trim() === "";
            if (current != null && current.length + line.length + 1 > limit)
                flush();
            current ??= {lines: [], length: 0, at: {file: text.file, line: text.startLine + i}, spans: []};
            // A single line longer than a part (a minified table row) is cut where it must be.
            for (let start = 0; start < Math.max(1, line.length); start += limit) {
                const slice = line.slice(start, start + limit);
                if (current.length > 0 && current.length + slice.length > limit) {
                    flush();
                    current = {lines: [], length: 0, at: {file: text.file, line: text.startLine + i}, spans: []};
                }
                current.lines.push(slice);
                addLine(current.spans, text.file, text.startLine + i);
                current.length += slice.length + 1;
            }
            // Prefer to cut at a paragraph's end once the piece is well filled.
            if (paragraphEnds && current.length > limit * 0.75)
                flush();
        }
    }
    flush();
    return pieces.map((piece, index) => ({
        headings: index === 0 ? headings : headings.map((heading) => ({...heading, at: piece.at})),
        text: index === 0 && prefix !== "" ? `${prefix}\n\n${piece.text}` : piece.text,
        piece: {index: index + 1, count: pieces.length},
        spans: index === 0 ? [...headingSpans, ...piece.spans] : piece.spans
    }));
}

/** A section's lines with its subsections': its heading, its own text, then theirs. */
function subtreeSpans(section: ManuscriptSection): SourceSpan[] {
    return [lineSpan(section.heading), ...section.body.map(spanOf), ...section.children.flatMap(subtreeSpans)];
}

function spanOf(text: SourceText): SourceSpan {
    return {file: text.file, startLine: text.startLine, endLine: text.endLine};
}

function lineSpan(at: SourceLocation): SourceSpan {
    return {file: at.file, startLine: at.line, endLine: at.line};
}

/** Adds a line to a piece's spans, extending the last span when the line follows it. */
function addLine(spans: SourceSpan[], file: string, line: number) {
    const last = spans.at(-1);
    if (last != null && last.file === file && line >= last.startLine && line <= last.endLine + 1)
        last.endLine = Math.max(last.endLine, line);
    else
        spans.push({file, startLine: line, endLine: line});
}

/** A section with its subsections, as the model reads it. */
function subtreeText(section: ManuscriptSection): string {
    const own = section.body.map((text) => text.text).join("\n").trim();
    const children = section.children.map(subtreeText);
    return [markdownHeading(section), own, ...children].filter((text) => text !== "").join("\n\n");
}

function markdownHeading(section: ManuscriptSection): string {
    return `${"#".repeat(Math.min(6, section.depth + 2))} ${section.number == null ? "" : `${section.number} `}${section.title}`;
}

function headingOf(section: ManuscriptSection): PartHeading {
    return {title: headingTitle(section), at: section.heading, sectionId: section.id};
}

/** "§3.2 Photometry", or the bare title for an unnumbered section. */
export function headingTitle(section: Pick<ManuscriptSection, "number" | "title">): string {
    return section.number == null ? section.title : `§${section.number} ${section.title}`;
}

function findSection(sections: readonly ManuscriptSection[], id: string): ManuscriptSection | undefined {
    for (const section of sections) {
        if (section.id === id)
            return section;
        const found = findSection(section.children, id);
        if (found != null)
            return found;
    }
    return undefined;
}

function fileName(file: string): string {
    return file.split(/[\\/]/).at(-1) ?? file;
}
