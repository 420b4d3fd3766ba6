/**
 * Inline manuscript review through the real engine process and scripted models
 * whose answer is review JSON about a real manuscript (Farr's normal-normal
 * paper): the grammar built from the review's schema lets a valid answer
 * through; findings land on the exact words of the file, across line breaks;
 * an absent quote stays at its section's heading; an answer that breaks the
 * schema is forced by the grammar; Stop keeps the parts done and a resumed
 * review does only the rest; reasoning streams as thoughts, not findings.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import type {ChatBackend, ChatTurn} from "../../src/core/chatTypes.ts";
import {LocalEngineBackend} from "../../src/engine/LocalEngineBackend.ts";
import {buildManuscript} from "../../src/latex/buildManuscript.ts";
import type {Manuscript} from "../../src/latex/Manuscript.ts";
import {diskSourceReader} from "../../src/latex/SourceReader.ts";
import {REVIEW_JSON_SCHEMA} from "../../src/review/reviewSchema.ts";
import {ReviewError, runReview, type ReviewPartResult, type ReviewRunOptions} from "../../src/review/runReview.ts";
import {writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {makeTempDir} from "../support/tempDir.ts";
import {ask, startHarness, turn, type Harness} from "./engineHarness.ts";

const farrRoot = path.resolve("test/fixtures/latex/farr-normalnormal/src/tex/ms.tex");
const farrText = readFileSync(farrRoot, "utf8");

/** On line 47 exactly as in the file. */
const exactQuote = "suggested that the method may not converge to a consistent posterior";
/** Lines 49–50 in the file ("The\nfirst observation…"), quoted on one line as the model reads it. */
const wrappedQuote = "The first observation is in error";
/** In no file of the manuscript. */
const absentQuote = "We assume H0 = 70 km/s/Mpc throughout.";

const reviewAnswer = JSON.stringify({findings: [
    {quote: exactQuote, category: "correctness", severity: "major", comment: "Say which convergence criterion fails.", suggestion: null},
    {quote: wrappedQuote, category: "clarity", severity: "minor", comment: "Name the first observation.", suggestion: "The claim of non-convergence is in error"},
    {quote: absentQuote, category: "assumptions", severity: "minor", comment: "State the cosmology.", suggestion: null}
]});

const sampling = {temperature: 0, topP: 1, maxTokens: 4096};

/** The backend, watched: every turn it was asked. Nothing is stood in for. */
function recording(backend: ChatBackend, onTurn?: (turn: ChatTurn, count: number) => void): ChatBackend & {turns: ChatTurn[]} {
    const turns: ChatTurn[] = [];
    return {
        turns,
        countTokens: backend.countTokens?.bind(backend),
        chat: (chatTurn, onFrame, signal) => {
            turns.push(chatTurn);
            onTurn?.(chatTurn, turns.length);
            return backend.chat(chatTurn, onFrame, signal);
        }
    };
}

async function review(backend: ChatBackend, manuscript: Manuscript, options: Partial<ReviewRunOptions> = {}) {
    const parts: ReviewPartResult[] = [];
    const thoughts: string[] = [];
    const result = await runReview({
        backend, manuscript,
        scope: {kind: "document"},
        contextSize: 16384,
        sampling,
        reasoning: false,
        fileText: (file) => readFileSync(file, "utf8"),
        onPart: (part) => parts.push(part),
        onThought: (text) => thoughts.push(text),
        signal: new AbortController().signal,
        ...options
    });
    return {result, parts, thought: thoughts.join("")};
}

describe("Inline manuscript review through the engine", () => {
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    let manuscript: Manuscript;
    const harnesses: Harness[] = [];
    const harnessFor = async (name: string, script: string, contextSize = 16384) => {
        const model = await writeScriptedModel(path.join(temp.dir, `${name}.gguf`), script);
        const harness = startHarness(model.path);
        harness.settings.contextSize = contextSize;
        harnesses.push(harness);
        return harness;
    };

    before(async () => {
        temp = await makeTempDir("review");
        manuscript = await buildManuscript(farrRoot, diskSourceReader());
    });
    after(async () => {
        for (const harness of harnesses)
            await harness.engine.dispose();
        await temp.remove();
    });

    test("with the review's schema the grammar lets a valid answer through unchanged", async () => {
        const harness = await harnessFor("valid", reviewAnswer);
        const answer = await ask(harness.backend, turn("Review this.", {responseSchema: REVIEW_JSON_SCHEMA}));
        assert.equal(answer.text, reviewAnswer);
        assert.equal(answer.final.kind, "done");
        // The grammar ends the answer itself: its stop trigger, not the end-of-turn token.
        assert.equal(answer.final.kind === "done" && answer.final.stats.stopReason, "stopGenerationTrigger");
    });

    test("findings land on the exact words of the file, across line breaks; an absent quote stays at its heading", async () => {
        const harness = await harnessFor("review", reviewAnswer);
        const backend = recording(harness.backend);
        const {result, parts} = await review(backend, manuscript);
        assert.equal(result.stopped, false);
        assert.deepEqual(result.reviewed, result.parts);
        assert.ok(backend.turns.every((chatTurn) => chatTurn.responseSchema === REVIEW_JSON_SCHEMA));

        const intro = parts.find((part) => part.heading === "§1 Introduction");
        assert.ok(intro != null, `parts: ${parts.map((part) => part.heading).join(", ")}`);
        assert.equal(intro.partId, "sec-1");
        assert.equal(intro.problem, undefined);
        const [exact, wrapped, absent] = intro.findings;
        assert.equal(intro.findings.length, 3);

        assert.equal(exact!.range?.file, farrRoot);
        assert.equal(farrText.slice(exact!.range!.start, exact!.range!.end), exactQuote);
        assert.deepEqual([exact!.range!.startLine, exact!.range!.endLine], [47, 47]);
        assert.deepEqual({id: exact!.id, source: exact!.source, section: exact!.section, sectionAt: exact!.sectionAt},
            {id: "sec-1/1", source: "model", section: "§1 Introduction", sectionAt: {file: farrRoot, line: 40}});

        assert.equal(farrText.slice(wrapped!.range!.start, wrapped!.range!.end), "The\nfirst observation is in error");
        assert.deepEqual([wrapped!.range!.startLine, wrapped!.range!.endLine], [49, 50]);
        assert.equal(wrapped!.suggestion, "The claim of non-convergence is in error");

        assert.equal(absent!.range, undefined);
        assert.equal(absent!.quote, absentQuote);
        assert.deepEqual(absent!.sectionAt, {file: farrRoot, line: 40});
        assert.equal(absent!.section, "§1 Introduction");

        // Every other part got the same answer, whose quotes are not in its lines: none is placed there.
        for (const part of parts.filter((other) => other !== intro))
            assert.ok(part.findings.every((finding) => finding.range == null), `${part.heading}: no range outside the part`);
    });

    test("an answer that breaks the schema is forced by the grammar into an empty review, without a crash", async () => {
        const prose = "The manuscript is clear and I have no comments on it.";
        const harness = await harnessFor("prose", prose);
        // Greedy decoding under the grammar: the script's tokens are all forbidden, the
        // model has no preference among the allowed ones, and the first allowed token in
        // the vocabulary wins at each step: the shortest path through the grammar.
        const answer = await ask(harness.backend, turn("Review this.", {responseSchema: REVIEW_JSON_SCHEMA}));
        assert.equal(answer.text, "{\n\t\"findings\": [\n\t\t\n\t]\n}");
        const {result, parts} = await review(harness.backend, manuscript);
        assert.equal(result.stopped, false);
        assert.ok(parts.length >= 1);
        for (const part of parts)
            assert.deepEqual({findings: part.findings, problem: part.problem}, {findings: [], problem: undefined});
    });

    test("an answer cut off by the token limit keeps its complete findings and says so", async () => {
        const harness = await harnessFor("cut", reviewAnswer);
        const pieces = (await writeScriptedModel(path.join(temp.dir, "count.gguf"), reviewAnswer)).pieces;
        // Enough tokens for the first finding and part of the second.
        const firstEnd = reviewAnswer.indexOf("},{") + 2;
        let length = 0;
        const tokens = pieces.findIndex((piece) => (length += piece.length) > firstEnd + 10) + 1;
        const {parts} = await review(harness.backend, manuscript, {sampling: {...sampling, maxTokens: tokens}});
        const intro = parts.find((part) => part.heading === "§1 Introduction")!;
        assert.equal(intro.findings.length, 1);
        assert.equal(intro.findings[0]!.quote, exactQuote);
        assert.equal(intro.problem, "The answer was cut off after 1 finding; it is kept.");
    });

    test("Stop during a part keeps the parts done; a resumed review does only the rest", async () => {
        // A smaller context cuts the introduction into several pieces.
        const harness = await harnessFor("pieces", reviewAnswer, 4096);
        const controller = new AbortController();
        const stopping = recording(harness.backend, (_turn, count) => {
            if (count === 3)
                setTimeout(() => controller.abort(), 0);
        });
        const first = await review(stopping, manuscript, {contextSize: 4096, signal: controller.signal});
        assert.ok(first.result.parts.length >= 4, `parts: ${first.result.parts.join(", ")}`);
        assert.equal(first.result.stopped, true);
        assert.deepEqual(first.result.reviewed, first.result.parts.slice(0, 2));
        assert.deepEqual(first.parts.map((part) => part.partId), first.result.parts.slice(0, 2));
        assert.equal(stopping.turns.length, 3);
        // Ids are stable and name the pieces of the cut section.
        assert.ok(first.result.parts.some((id) => /^sec-1#\d+\/\d+$/.test(id)), first.result.parts.join(", "));

        const resuming = recording(harness.backend);
        const second = await review(resuming, manuscript, {contextSize: 4096, skipParts: new Set(first.result.reviewed)});
        assert.deepEqual(second.result.parts, first.result.parts);
        assert.equal(second.result.stopped, false);
        assert.deepEqual(second.result.reviewed, first.result.parts.slice(2));
        assert.equal(resuming.turns.length, first.result.parts.length - 2);
        // Across both runs each quote lands once, in the piece that holds its lines.
        const placed = [...first.parts, ...second.parts].flatMap((part) => part.findings).filter((finding) => finding.range != null);
        assert.deepEqual(placed.map((finding) => [finding.quote, finding.range!.startLine, finding.range!.endLine]), [[exactQuote, 47, 47], [wrappedQuote, 49, 50]]);
        for (const finding of placed)
            assert.equal(farrText.slice(finding.range!.start, finding.range!.end).replace(/\s+/g, " "), finding.quote);
    });

    test("with reasoning on, the thought streams to onThought and only the answer is held to the schema", async () => {
        const thoughtText = "The units look fine; the claim about convergence needs a criterion.";
        const harness = await harnessFor("reasoning", `<think>${thoughtText}</think>${reviewAnswer}`);
        const answer = await ask(harness.backend, turn("Review this.", {reasoning: true, responseSchema: REVIEW_JSON_SCHEMA}));
        assert.equal(answer.thought, thoughtText);
        assert.equal(answer.text, reviewAnswer);
        assert.ok(answer.final.kind === "done" && answer.final.stats.thoughtTokens > 0);

        const {parts, thought} = await review(harness.backend, manuscript, {reasoning: true});
        const intro = parts.find((part) => part.heading === "§1 Introduction")!;
        assert.equal(intro.problem, undefined);
        assert.deepEqual(intro.findings.map((finding) => finding.quote), [exactQuote, wrappedQuote, absentQuote]);
        assert.equal(thought, thoughtText.repeat(parts.length));
        assert.ok(intro.findings.every((finding) => !finding.comment.includes("units look fine")));
    });

    test("an error frame ends the review with its message and code", async () => {
        const harness = harnesses[0]!;
        const noModel = new LocalEngineBackend(harness.engine, () => ({...harness.settings, modelPath: ""}));
        const parts: ReviewPartResult[] = [];
        await assert.rejects(
            review(noModel, manuscript, {onPart: (part) => parts.push(part)}),
            (error: unknown) => error instanceof ReviewError && error.code === "noModel" && /No AstroSage model is chosen/.test(error.message)
        );
        assert.deepEqual(parts, []);
    });
});
