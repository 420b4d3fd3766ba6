/**
 * Summarize on a real multi-file manuscript (the Rubin DP1 paper, 26 files)
 * through the real engine and a scripted model: the plan covers every section
 * once within the budget, parts are summarized in document order and then
 * combined, every link points at its heading's file and line, and Cancel stops.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import type {ChatBackend, ChatTurn, StreamFrame} from "../../src/core/chatTypes.ts";
import {parseSourceHref} from "../../src/core/sourceLinks.ts";
import {buildManuscript} from "../../src/latex/buildManuscript.ts";
import type {Manuscript, ManuscriptSection} from "../../src/latex/Manuscript.ts";
import {diskSourceReader} from "../../src/latex/SourceReader.ts";
import {describePlace} from "../../src/summarize/describeManuscript.ts";
import {measureCharactersPerToken} from "../../src/summarize/measureCharactersPerToken.ts";
import {budgetFor, estimateTokens, planSummary, type PlanBudget, type SummaryPlan} from "../../src/summarize/planSummary.ts";
import {runSummary, SUMMARY_ANSWER_TOKENS} from "../../src/summarize/runSummary.ts";
import {partPrompt} from "../../src/summarize/summaryPrompts.ts";
import {writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {makeTempDir} from "../support/tempDir.ts";
import {startHarness, type Harness} from "./engineHarness.ts";

const rubinRoot = path.resolve("test/fixtures/latex/rubin-dp1-rtn095/RTN-095.tex");
const partSummary = "The pipeline reaches a depth of 24 magnitudes.";

/** Every section, in document order. */
function flatten(sections: readonly ManuscriptSection[]): ManuscriptSection[] {
    return sections.flatMap((section) => [section, ...flatten(section.children)]);
}

/** The backend, watched: which prompts reached the model, in order. Nothing is stood in for. */
function recording(backend: ChatBackend): ChatBackend & {turns: ChatTurn[]} {
    const turns: ChatTurn[] = [];
    return {turns, chat: (turn, onFrame, signal) => (turns.push(turn), backend.chat(turn, onFrame, signal))};
}

async function summarize(backend: ChatBackend, manuscript: Manuscript, plan: SummaryPlan, budget: PlanBudget, signal = new AbortController().signal) {
    let text = "";
    let final: StreamFrame | undefined;
    const progress: string[] = [];
    await runSummary({
        backend, plan, budget, signal,
        sampling: {temperature: 0, topP: 1, maxTokens: 4096},
        describePlace: (at) => describePlace(manuscript, at),
        onFrame: (frame) => {
            if (frame.kind === "text")
                text += frame.text;
            else
                final = frame;
        },
        onProgress: ({label, step, steps}) => progress.push(`${label} (${step} of ${steps})`)
    });
    return {text, final, progress};
}

describe("Summarize a multi-file manuscript", () => {
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    let harness: Harness;
    let manuscript: Manuscript;
    let budget: PlanBudget;
    let plan: SummaryPlan;

    before(async () => {
        temp = await makeTempDir("summarize");
        const model = await writeScriptedModel(path.join(temp.dir, "summary.gguf"), partSummary);
        harness = startHarness(model.path);
        harness.settings.contextSize = 16384;
        manuscript = await buildManuscript(rubinRoot, diskSourceReader());
        // Sized with the model's own tokenizer, as the command does.
        budget = budgetFor(harness.settings.contextSize, SUMMARY_ANSWER_TOKENS, await measureCharactersPerToken(harness.backend, manuscript, new AbortController().signal));
        plan = planSummary(manuscript, {kind: "document"}, budget);
    });
    after(async () => {
        await harness.engine.dispose();
        await temp.remove();
    });

    test("parts are sized with the model's tokenizer: each part's prompt fits the context with room for the answer", async () => {
        // The test tokenizer spends a token per ~1.4 characters of LaTeX (Llama 3's about 3.5).
        assert.ok(budget.charactersPerToken! > 1 && budget.charactersPerToken! < 1.6, `measured ${budget.charactersPerToken} characters per token`);
        const signal = new AbortController().signal;
        for (const part of plan.parts) {
            const tokens = (await harness.backend.countTokens(partPrompt(plan, part), signal))!;
            assert.ok(tokens + SUMMARY_ANSWER_TOKENS <= harness.settings.contextSize, `${part.headings[0]!.title}: ${tokens} prompt tokens`);
        }
        assert.ok(plan.parts.length >= 12, `a 262 KB paper at ~1.4 characters per token in a 16,384-token context: ${plan.parts.length} parts`);
    });

    test("the plan covers every section exactly once, each part within the budget", () => {
        const sections = flatten(manuscript.sections);
        assert.ok(sections.length >= 40, `the Rubin paper has dozens of sections and subsections, found ${sections.length}`);
        const planned = plan.parts.map((part) => part.text).join("\n\n");
        for (const section of sections) {
            const heading = `${"#".repeat(Math.min(6, section.depth + 2))} ${section.number == null ? "" : `${section.number} `}${section.title}\n`;
            const same = sections.filter((other) => other.title === section.title && other.number === section.number && other.depth === section.depth).length;
            assert.equal(planned.split(heading).length - 1, same, `${heading.trim()} appears once in the plan`);
        }
        for (const part of plan.parts)
            assert.ok(estimateTokens(part.text, budget.charactersPerToken) <= budget.partTokens, `${part.headings[0]?.title}: ${estimateTokens(part.text, budget.charactersPerToken)} tokens`);
    });

    test("parts are summarized in document order, then combined; every link points at its heading", async () => {
        const backend = recording(harness.backend);
        const {text, final, progress} = await summarize(backend, manuscript, plan, budget);
        assert.equal(final?.kind, "done", JSON.stringify(final));

        // Map: one turn per part, in the plan's order, each reading its part.
        const partTurns = backend.turns.slice(0, plan.parts.length);
        partTurns.forEach((turn, index) => assert.ok(turn.messages[0]!.text.includes(plan.parts[index]!.text), `turn ${index + 1} reads part ${index + 1}`));
        // Reduce: then the combining turn(s); the last lists every part's summary in order.
        const combining = backend.turns.slice(plan.parts.length);
        assert.ok(combining.length >= 1);
        const last = combining.at(-1)!.messages[0]!.text;
        assert.match(last, /Write the overall summary/);
        if (combining.length === 1) {
            const order = plan.parts.map((part) => last.indexOf(`### ${part.headings[0]!.title}`));
            assert.ok(order.every((at, index) => at >= 0 && (index === 0 || at > order[index - 1]!)), "the parts' summaries in document order");
        }
        assert.equal(progress.length, plan.parts.length + combining.length);
        assert.match(progress[0]!, /\(1 of \d+\)$/);
        assert.match(text, /### Overall summary\n\nThe pipeline reaches a depth of 24 magnitudes\.$/);

        // Every heading in the answer is a link to the line of its \section command.
        const links = [...text.matchAll(/\[((?:\\.|[^\]\\])*)\]\((astrosage-source:[^)]+)\)/g)];
        assert.equal(links.length, plan.parts.reduce((sum, part) => sum + part.headings.length, 0));
        for (const [, label, href] of links) {
            const target = parseSourceHref(href!)!;
            const line = readFileSync(target.file, "utf8").split("\n")[target.line - 1]!;
            const title = label!.replace(/\\(.)/g, "$1").split(" — ")[0]!.replace(/^§[\dA-Z.]+ /, "").replace(/ \(part \d+ of \d+\)$/, "");
            if (/\(part [2-9]/.test(label!))
                continue; // a later piece of a long section links to its own first line
            assert.match(line, /\\(sub)*section\*?\{/, `${label} → ${describePlace(manuscript, target)}: ${line}`);
            const word = /[A-Za-z]{4,}/.exec(title)?.[0] ?? title;
            assert.ok(line.includes(word), `${label} names the heading on ${describePlace(manuscript, target)}: ${line}`);
            assert.match(label!, new RegExp(`— ${path.basename(target.file).replace(".", "\\.")}:${target.line}$`));
        }
    });

    test("Cancel stops after the part being summarized: no further turns, a stopped answer", async () => {
        const backend = recording(harness.backend);
        const controller = new AbortController();
        const run = summarize(backend, manuscript, plan, budget, controller.signal);
        while (backend.turns.length < 2)
            await new Promise((resolve) => setTimeout(resolve, 5));
        controller.abort();
        const {text, final} = await run;
        assert.equal(final?.kind, "done");
        assert.equal(final?.kind === "done" && final.stats.stopReason, "abort");
        assert.equal(backend.turns.length, 2);
        assert.doesNotMatch(text, /Overall summary/);
    });
});
