/**
 * The referee's answer back into findings: a whole answer, one that breaks the
 * schema, one cut off mid-finding (every complete finding kept, with a problem
 * that says so), an empty review; and the schema itself stays in the subset
 * node-llama-cpp turns into a grammar.
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {findingCategories} from "../../src/review/Finding.ts";
import {MAX_RESPONSE_SCHEMA_CHARACTERS, parseEngineRequest} from "../../src/engine/protocol.ts";
import {MAX_FINDINGS_PER_PART, modelFindingCategories, parseFindings, REVIEW_JSON_SCHEMA} from "../../src/review/reviewSchema.ts";

const finding = (n: number, extra: Record<string, unknown> = {}) => ({
    quote: `We measure a velocity of ${n}00 km/s.`,
    category: "units",
    severity: "minor",
    comment: `Write km s$^{-1}$ as elsewhere (${n}).`,
    suggestion: null,
    ...extra
});
const answer = (findings: unknown[]) => JSON.stringify({findings});

describe("parseFindings", () => {
    test("a valid answer gives its findings, a null suggestion left out, no problem", () => {
        const parsed = parseFindings(answer([finding(1), finding(2, {severity: "major", suggestion: "We measure a velocity of 200 km s$^{-1}$."})]));
        assert.equal(parsed.problem, undefined);
        assert.deepEqual(parsed.findings, [
            {quote: "We measure a velocity of 100 km/s.", category: "units", severity: "minor", comment: "Write km s$^{-1}$ as elsewhere (1)."},
            {quote: "We measure a velocity of 200 km/s.", category: "units", severity: "major", comment: "Write km s$^{-1}$ as elsewhere (2).", suggestion: "We measure a velocity of 200 km s$^{-1}$."}
        ]);
    });

    test("pretty-printed or fenced JSON, and enums in another case, are read", () => {
        const parsed = parseFindings("```json\n" + JSON.stringify({findings: [finding(1, {category: "Units", severity: "MINOR"})]}, null, 4) + "\n```");
        assert.equal(parsed.problem, undefined);
        assert.equal(parsed.findings.length, 1);
        assert.equal(parsed.findings[0]!.category, "units");
    });

    test("an empty review is no problem", () => {
        assert.deepEqual(parseFindings("{\n\t\"findings\": [\n\t\t\n\t]\n}"), {findings: []});
    });

    test("findings that break the schema are left out and counted; the others are kept", () => {
        const parsed = parseFindings(answer([finding(1), finding(2, {category: "astrology"}), finding(3, {quote: "  "}), {quote: "x"}, finding(5)]));
        assert.deepEqual(parsed.findings.map((item) => item.comment), ["Write km s$^{-1}$ as elsewhere (1).", "Write km s$^{-1}$ as elsewhere (5)."]);
        assert.equal(parsed.problem, "3 of the 5 findings did not follow the review format and were left out.");
    });

    test("an answer that is not a review gives no findings and says so", () => {
        const prose = parseFindings("The paper is fine and I have no comments.");
        assert.deepEqual(prose.findings, []);
        assert.match(prose.problem!, /^The answer is not a review in the expected format: "The paper is fine/);
        const wrongShape = parseFindings(JSON.stringify({issues: [finding(1)]}));
        assert.deepEqual(wrongShape.findings, []);
        assert.match(wrongShape.problem!, /an object with a list of findings/);
        assert.deepEqual(parseFindings("  "), {findings: [], problem: "The model gave no answer."});
    });

    test("an answer cut off mid-finding keeps every complete finding, exactly", () => {
        const whole = answer([finding(1), finding(2), finding(3, {comment: "A comment with \"quotes\", {braces} and ]brackets[."}), finding(4)]);
        // Cut inside the fourth finding's comment.
        const cut = whole.slice(0, whole.lastIndexOf("Write km s"));
        const parsed = parseFindings(cut);
        assert.equal(parsed.findings.length, 3);
        assert.equal(parsed.findings[2]!.comment, "A comment with \"quotes\", {braces} and ]brackets[.");
        assert.equal(parsed.problem, "The answer was cut off after 3 findings; they are kept.");

        // Cut right after a finding, and before the first one.
        assert.equal(parseFindings(whole.slice(0, whole.indexOf("},{") + 1)).problem, "The answer was cut off after 1 finding; it is kept.");
        assert.deepEqual(parseFindings("{\"findings\": [{\"quote\": \"We meas"), {findings: [], problem: "The answer was cut off after 0 findings; none could be kept."});
    });

    test("a cut-off answer with a broken finding before the cut counts both", () => {
        const text = `{"findings":[${JSON.stringify(finding(1))},${JSON.stringify(finding(2, {severity: "fatal"}))},{"quote":"Cut`;
        const parsed = parseFindings(text);
        assert.equal(parsed.findings.length, 1);
        assert.equal(parsed.problem, "The answer was cut off after 1 finding; it is kept. 1 of the 2 findings did not follow the review format and was left out.");
    });

    test("text after the findings that is not an object ends the salvage with a problem", () => {
        const parsed = parseFindings(`{"findings":[${JSON.stringify(finding(1))}, and then some prose`);
        assert.equal(parsed.findings.length, 1);
        assert.equal(parsed.problem, "The answer broke the review format after 1 finding; it is kept.");
    });
});

describe("REVIEW_JSON_SCHEMA", () => {
    test("uses only keywords node-llama-cpp's grammar reads, plus what a server reads", () => {
        const allowed = new Set(["type", "properties", "items", "enum", "oneOf", "minLength", "maxLength", "maxItems", "required", "additionalProperties", "description"]);
        const walk = (node: unknown): void => {
            if (Array.isArray(node))
                return node.forEach(walk);
            if (typeof node !== "object" || node == null)
                return;
            for (const [key, value] of Object.entries(node)) {
                if (key !== "properties")
                    assert.ok(allowed.has(key), `keyword ${key}`);
                walk(key === "properties" ? Object.values(value as object) : value);
            }
        };
        walk(REVIEW_JSON_SCHEMA);
        assert.equal(REVIEW_JSON_SCHEMA.properties.findings.maxItems, MAX_FINDINGS_PER_PART);
        assert.deepEqual(REVIEW_JSON_SCHEMA.properties.findings.items.properties.category.enum, findingCategories.filter((category) => category !== "references"));
        assert.deepEqual(modelFindingCategories.length, findingCategories.length - 1);
    });
});

describe("the engine protocol's response schema", () => {
    const chat = (responseSchema: unknown) => ({
        type: "chat", id: "r1", messages: [{role: "user", text: "Review"}], systemPrompt: "", reasoning: false,
        sampling: {temperature: 0, topP: 1, maxTokens: 100}, responseSchema
    });

    test("a chat request carries the review's schema unchanged", () => {
        const request = parseEngineRequest(chat(REVIEW_JSON_SCHEMA));
        assert.equal(request.type === "chat" && JSON.stringify(request.responseSchema), JSON.stringify(REVIEW_JSON_SCHEMA));
    });

    test("a schema that is not an object, or too large, is refused", () => {
        assert.throws(() => parseEngineRequest(chat("{\"type\": \"object\"}")), /must be a JSON object/);
        assert.throws(() => parseEngineRequest(chat([REVIEW_JSON_SCHEMA])), /must be a JSON object/);
        assert.throws(() => parseEngineRequest(chat(null)), /must be a JSON object/);
        const huge = {type: "object", description: "x".repeat(MAX_RESPONSE_SCHEMA_CHARACTERS)};
        assert.throws(() => parseEngineRequest(chat(huge)), /at most 32768 characters/);
    });
});
