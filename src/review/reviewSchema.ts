/**
 * The shape of the referee's answer for one part of a manuscript: a JSON schema
 * the answer is constrained to (a grammar in the local engine, `response_format`
 * on a server), and the parser that turns the answer back into findings, keeping
 * every complete finding of an answer that was cut off or went astray. No `vscode` import.
 */
import * as v from "valibot";
import {findingCategories, findingSeverities, type FindingCategory, type ModelFinding} from "./Finding.ts";

/** The categories the model may use; `references` belongs to the deterministic checks. */
export const modelFindingCategories = findingCategories.filter((category) => category !== "references") as Exclude<FindingCategory, "references">[];

/** The most findings the model may give for one part. */
export const MAX_FINDINGS_PER_PART = 8;

/** Longest quote, comment and suggestion the model may write, in characters. */
export const MAX_QUOTE_CHARACTERS = 300;
export const MAX_COMMENT_CHARACTERS = 600;
export const MAX_SUGGESTION_CHARACTERS = 400;

/**
 * The answer's JSON schema. Written in the subset node-llama-cpp turns into a
 * grammar (3.21): `type`, `properties`, `items`, `enum`, `oneOf`, `minLength`/
 * `maxLength`, `minItems`/`maxItems`. Its grammar makes every listed property
 * required, in the listed order, and allows no others; `required` and
 * `additionalProperties: false` say the same to a server (OpenAI's strict mode
 * wants exactly that), so an absent suggestion is `null`. `description` is
 * ignored by the grammar and read by a server. The limits keep a runaway answer
 * bounded: 8 findings of at most ~1,300 characters each.
 */
export const REVIEW_JSON_SCHEMA = {
    type: "object",
    properties: {
        findings: {
            type: "array",
            maxItems: MAX_FINDINGS_PER_PART,
            items: {
                type: "object",
                properties: {
                    quote: {type: "string", minLength: 1, maxLength: MAX_QUOTE_CHARACTERS, description: "The manuscript text the finding is about, copied exactly: one sentence or clause."},
                    category: {type: "string", enum: modelFindingCategories},
                    severity: {type: "string", enum: [...findingSeverities]},
                    comment: {type: "string", minLength: 1, maxLength: MAX_COMMENT_CHARACTERS, description: "The referee's comment."},
                    suggestion: {
                        oneOf: [{type: "string", maxLength: MAX_SUGGESTION_CHARACTERS}, {type: "null"}],
                        description: "Replacement text for the quote when the fix is a rewrite of it; otherwise null."
                    }
                },
                required: ["quote", "category", "severity", "comment", "suggestion"],
                additionalProperties: false
            }
        }
    },
    required: ["findings"],
    additionalProperties: false
} as const;

/** What a review answer holds, with what went wrong with it in a sentence for the user. */
export type ParsedFindings = {findings: ModelFinding[]; problem?: string};

const nonEmpty = v.pipe(v.string(), v.trim(), v.minLength(1));

/** One finding as checked on arrival: the model's words, trimmed; the enums forgiving of case. */
const modelFindingSchema = v.object({
    quote: nonEmpty,
    category: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.picklist(modelFindingCategories)),
    severity: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.picklist(findingSeverities)),
    comment: nonEmpty,
    suggestion: v.nullish(v.string())
});

/**
 * The findings of a review answer. A complete answer that follows the schema
 * gives its findings and no problem. An answer that stops in the middle (Stop,
 * the token limit) keeps every finding that was written whole; findings that do
 * not follow the schema are left out; an answer that is not a review at all
 * gives none. Each case sets `problem`.
 */
export function parseFindings(text: string): ParsedFindings {
    const body = withoutCodeFence(text).trim();
    if (body === "")
        return {findings: [], problem: "The model gave no answer."};

    const whole = parseJson(body);
    if (whole.ok) {
        const items = isRecord(whole.value) && Array.isArray(whole.value.findings) ? whole.value.findings : undefined;
        if (items == null)
            return {findings: [], problem: `The answer is not a review in the expected format (an object with a list of findings): ${excerpt(body)}`};
        return withProblem(checkFindings(items), undefined);
    }

    const scan = scanFindings(body);
    if (scan == null)
        return {findings: [], problem: `The answer is not a review in the expected format: ${excerpt(body)}`};
    const checked = checkFindings(scan.items);
    if (scan.end === "closed")
        return withProblem(checked, undefined);
    if (scan.end === "malformed")
        return withProblem(checked, `The answer broke the review format after ${countOf(checked.findings.length, "finding")}; ${keptClause(checked.findings.length)}.`);
    return withProblem(checked, `The answer was cut off after ${countOf(checked.findings.length, "finding")}; ${keptClause(checked.findings.length)}.`);
}

type Checked = {findings: ModelFinding[]; dropped: number; total: number};

function checkFindings(items: readonly unknown[]): Checked {
    const findings: ModelFinding[] = [];
    for (const item of items) {
        const result = v.safeParse(modelFindingSchema, item);
        if (!result.success)
            continue;
        const {suggestion, ...finding} = result.output;
        findings.push(suggestion == null || suggestion.trim() === "" ? finding : {...finding, suggestion});
    }
    return {findings, dropped: items.length - findings.length, total: items.length};
}

function withProblem(checked: Checked, problem: string | undefined): ParsedFindings {
    const left = checked.dropped === 0
        ? undefined
        : `${checked.dropped} of the ${countOf(checked.total, "finding")} did not follow the review format and ${checked.dropped === 1 ? "was" : "were"} left out.`;
    const joined = [problem, left].filter((part) => part != null).join(" ");
    return joined === "" ? {findings: checked.findings} : {findings: checked.findings, problem: joined};
}

/**
 * The objects of the `findings` array of an answer that is not whole JSON, read
 * one by one: each complete object is parsed (a broken one is passed on as
 * undefined, to be counted as left out); the scan ends where the array closes,
 * where the text ends (`cutOff`), or at something that is not an object (`malformed`).
 * Undefined when the answer has no findings array at all.
 */
function scanFindings(text: string): {items: unknown[]; end: "closed" | "cutOff" | "malformed"} | undefined {
    const start = /"findings"\s*:\s*\[/.exec(text);
    if (start == null)
        return undefined;
    const items: unknown[] = [];
    let at = start.index + start[0].length;
    for (;;) {
        while (at < text.length && /[\s,]/.test(text[at]!))
            at++;
        if (at >= text.length)
            return {items, end: "cutOff"};
        if (text[at] === "]")
            return {items, end: "closed"};
        if (text[at] !== "{")
            return {items, end: "malformed"};
        const end = objectEnd(text, at);
        if (end == null)
            return {items, end: "cutOff"};
        const parsed = parseJson(text.slice(at, end));
        items.push(parsed.ok ? parsed.value : undefined);
        at = end;
    }
}

/** Just past the `}` that closes the object opening at `start`, minding strings; undefined when the text ends first. */
function objectEnd(text: string, start: number): number | undefined {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
        const char = text[i];
        if (inString) {
            if (char === "\\")
                i++;
            else if (char === "\"")
                inString = false;
        } else if (char === "\"")
            inString = true;
        else if (char === "{" || char === "[")
            depth++;
        else if (char === "}" || char === "]") {
            depth--;
            if (depth === 0)
                return i + 1;
        }
    }
    return undefined;
}

/** A server's model may wrap JSON in a Markdown code fence even when asked not to. */
function withoutCodeFence(text: string): string {
    const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)(?:\n\s*```\s*)?$/.exec(text);
    return fenced == null ? text : fenced[1]!;
}

function parseJson(text: string): {ok: true; value: unknown} | {ok: false} {
    try {
        return {ok: true, value: JSON.parse(text)};
    } catch {
        return {ok: false};
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value != null && !Array.isArray(value);
}

function countOf(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function keptClause(kept: number): string {
    return kept === 0 ? "none could be kept" : kept === 1 ? "it is kept" : "they are kept";
}

function excerpt(text: string): string {
    const flat = text.replace(/\s+/g, " ");
    return `"${flat.length > 80 ? `${flat.slice(0, 80)}…` : flat}"`;
}
