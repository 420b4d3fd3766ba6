/**
 * Referees a manuscript part by part against a model backend: the scope is cut
 * into parts as for a summary, each part is reviewed in one turn whose answer
 * is constrained to the review's JSON schema, and each finding's quote is found
 * in the file it came from, so the editor can show it as a comment thread on
 * exactly those words. Parts are reported one by one as they finish, so a
 * stopped review keeps what it did and a later one can resume. No `vscode` import.
 */
import type {ChatBackend, ChatErrorCode, SamplingOptions, TurnStats} from "../core/chatTypes.ts";
import type {Manuscript, SourceSpan} from "../latex/Manuscript.ts";
import {askForText, partLabel, type TurnText} from "../summarize/askForText.ts";
import {measureCharactersPerToken} from "../summarize/measureCharactersPerToken.ts";
import {budgetFor, estimateTokens, planSummary, type PartHeading, type SummaryPart, type SummaryScope} from "../summarize/planSummary.ts";
import type {Finding, FindingRange, ModelFinding} from "./Finding.ts";
import {lineOfOffset, QuoteLocator} from "./locateQuote.ts";
import {REVIEW_SYSTEM_PROMPT, reviewPrompt} from "./reviewPrompts.ts";
import {parseFindings, REVIEW_JSON_SCHEMA} from "./reviewSchema.ts";

export type ReviewPartResult = {
    /** Stable across runs of the same plan: the sections the part covers, and its piece. */
    partId: string;
    /** "§3.2 Photometry", "§2 Data to §3 Results", "§4 Discussion (part 2 of 3)". */
    heading: string;
    findings: Finding[];
    /** What went wrong with the model's answer for this part (cut off, off format), in a sentence. */
    problem?: string;
};

export type ReviewRunOptions = {
    backend: ChatBackend;
    manuscript: Manuscript;
    scope: SummaryScope;
    /** The model's context size in tokens: parts are sized to fit it with the answer, as for a summary. */
    contextSize: number;
    /** Sampling for every turn; the answer's length is capped per part. */
    sampling: SamplingOptions;
    /** AstroSage's reasoning mode: the model thinks before each part's findings (streamed to `onThought`). */
    reasoning: boolean;
    /** The text findings' offsets refer to (an open editor's text, or the file on disk); undefined when unreadable. */
    fileText: (file: string) => string | undefined;
    /** Parts already reviewed (by `partId`), skipped: a resumed review. */
    skipParts?: ReadonlySet<string>;
    /** After each part, in order. */
    onPart: (result: ReviewPartResult) => void;
    onProgress?: (progress: {step: number; steps: number; label: string}) => void;
    /** The model's reasoning, as it streams. */
    onThought?: (text: string) => void;
    /** Each turn's figures, for an answer that shows the review's. */
    onTurnStats?: (stats: TurnStats) => void;
    signal: AbortSignal;
};

export type ReviewRunResult = {
    /** Every part's id, in order. */
    parts: string[];
    /** The parts reviewed in this run, in order (skipped ones excluded). */
    reviewed: string[];
    /** Stopped before the end (the signal): the part in progress is not reported. */
    stopped: boolean;
};

/** A turn that ended with an error frame (no model, the engine crashed…): the review cannot go on. */
export class ReviewError extends Error {
    public constructor(public readonly code: ChatErrorCode, message: string) {
        super(message);
        this.name = "ReviewError";
    }
}

/** The most tokens one part's findings may take: 8 findings of a few sentences each. */
const REVIEW_ANSWER_TOKENS = 1500;
/** With reasoning, room for the thought before the findings. */
const REASONING_TOKENS = 2500;

/**
 * Reviews the scope. Resolves when every part is done or the signal stops it;
 * throws a `ReviewError` when a turn ends with an error frame (parts finished
 * before it have been reported through `onPart`).
 */
export async function runReview(options: ReviewRunOptions): Promise<ReviewRunResult> {
    const {manuscript, signal} = options;
    const answerTokens = REVIEW_ANSWER_TOKENS + (options.reasoning ? REASONING_TOKENS : 0);
    const charactersPerToken = await measureCharactersPerToken(options.backend, manuscript, signal);
    // The rubric is longer than a summary's request; the budget leaves room for it.
    const rubricTokens = estimateTokens(REVIEW_SYSTEM_PROMPT + reviewPrompt({title: "", scopeLabel: "", parts: []}, {headings: [], text: ""}), charactersPerToken);
    const budget = budgetFor(options.contextSize, answerTokens + rubricTokens, charactersPerToken);
    const plan = planSummary(manuscript, options.scope, budget);

    const ids = plan.parts.map(partId);
    const todo = plan.parts.map((part, index) => ({part, id: ids[index]!})).filter(({id}) => !options.skipParts?.has(id));
    const reviewed: string[] = [];
    const locators = new Map<string, QuoteLocator | undefined>();
    const locatorFor = (file: string) => {
        if (!locators.has(file)) {
            const text = options.fileText(file);
            locators.set(file, text == null ? undefined : new QuoteLocator(text));
        }
        return locators.get(file);
    };

    for (const [index, {part, id}] of todo.entries()) {
        if (signal.aborted)
            return {parts: ids, reviewed, stopped: true};
        const heading = partLabel(part);
        options.onProgress?.({step: index + 1, steps: todo.length, label: heading});
        const answer = await ask(options, reviewPrompt(plan, part), answerTokens);
        if (answer.stats != null)
            options.onTurnStats?.(answer.stats);
        if (answer.error != null)
            throw new ReviewError(answer.error.code, answer.error.message);
        if (answer.stats?.stopReason === "abort" || signal.aborted)
            return {parts: ids, reviewed, stopped: true};

        const parsed = parseFindings(answer.text);
        const findings = parsed.findings.map((finding, number) => placeFinding(finding, `${id}/${number + 1}`, part, locatorFor));
        options.onPart({partId: id, heading, findings, ...(parsed.problem == null ? {} : {problem: parsed.problem})});
        reviewed.push(id);
    }
    return {parts: ids, reviewed, stopped: false};
}

/**
 * A part's id: the sections it covers and, for a piece of a long section, which
 * piece. The same manuscript planned with the same budget gives the same ids; a
 * part whose sections changed gets a new one, so a resumed review does not skip it.
 */
export function partId(part: SummaryPart): string {
    const sections = part.headings.map(headingKey).join("+");
    return part.piece == null ? sections : `${sections}#${part.piece.index}/${part.piece.count}`;
}

function headingKey(heading: PartHeading): string {
    return heading.sectionId ?? `${heading.title}@${heading.at.line}`;
}

/** The model's finding with its place: its quote searched in the part's files, within the part's lines. */
function placeFinding(finding: ModelFinding, id: string, part: SummaryPart, locatorFor: (file: string) => QuoteLocator | undefined): Finding {
    const range = locate(finding.quote, part.spans ?? [], locatorFor);
    const heading = (range == null ? undefined : headingAt(part.headings, range)) ?? part.headings[0];
    return {
        ...finding,
        id,
        source: "model",
        section: heading?.title ?? "",
        sectionAt: heading?.at ?? {file: range?.file ?? "", line: 1},
        ...(range == null ? {} : {range})
    };
}

/**
 * The quote's range in the first of the part's files that has it within the
 * part's lines. An occurrence elsewhere in a file is not taken: the model
 * quotes what it read, so text outside the part is another passage.
 */
function locate(quote: string, spans: readonly SourceSpan[], locatorFor: (file: string) => QuoteLocator | undefined): FindingRange | undefined {
    for (const [file, lines] of linesByFile(spans)) {
        const locator = locatorFor(file);
        if (locator == null)
            continue;
        const within = lineOffsets(locator.text, lines.startLine, lines.endLine);
        const found = locator.locate(quote, {within});
        if (found == null || found.start < within.start || found.end > within.end)
            continue;
        return {
            file,
            start: found.start,
            end: found.end,
            startLine: lineOfOffset(locator.text, found.start),
            endLine: lineOfOffset(locator.text, Math.max(found.start, found.end - 1))
        };
    }
    return undefined;
}

/** The first and last line the part reads in each of its files, files in the order they come. */
function linesByFile(spans: readonly SourceSpan[]): Map<string, {startLine: number; endLine: number}> {
    const files = new Map<string, {startLine: number; endLine: number}>();
    for (const span of spans) {
        const lines = files.get(span.file);
        if (lines == null)
            files.set(span.file, {startLine: span.startLine, endLine: span.endLine});
        else {
            lines.startLine = Math.min(lines.startLine, span.startLine);
            lines.endLine = Math.max(lines.endLine, span.endLine);
        }
    }
    return files;
}

/** Offsets of lines `startLine` to `endLine` (1-based, inclusive) in `text`, the last line's end included. */
function lineOffsets(text: string, startLine: number, endLine: number): {start: number; end: number} {
    const lineStart = (line: number) => {
        let at = 0;
        for (let current = 1; current < line; current++) {
            const newline = text.indexOf("\n", at);
            if (newline < 0)
                return text.length;
            at = newline + 1;
        }
        return at;
    };
    return {start: lineStart(startLine), end: lineStart(endLine + 1)};
}

/** The last of the part's headings at or before the range, in its file: the section the finding is in. */
function headingAt(headings: readonly PartHeading[], range: FindingRange): PartHeading | undefined {
    let found: PartHeading | undefined;
    for (const heading of headings)
        if (heading.at.file === range.file && heading.at.line <= range.startLine)
            found = heading;
    return found;
}

/** One model turn, its answer held to the review's schema; thoughts go to `onThought`. */
function ask(options: ReviewRunOptions, prompt: string, maxTokens: number): Promise<TurnText> {
    return askForText(options.backend, {
        messages: [{role: "user", text: prompt}],
        systemPrompt: REVIEW_SYSTEM_PROMPT,
        reasoning: options.reasoning,
        sampling: {...options.sampling, maxTokens: Math.min(options.sampling.maxTokens, maxTokens)},
        responseSchema: REVIEW_JSON_SCHEMA
    }, options.signal, {onThought: options.onThought});
}
