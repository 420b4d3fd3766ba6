import assert from "node:assert/strict";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {longScript, writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {makeTempDir} from "../support/tempDir.ts";
import {ask, startHarness, turn, type Harness} from "./engineHarness.ts";

describe("engine process: chat on scripted models", () => {
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    let harness: Harness;

    before(async () => {
        temp = await makeTempDir("engine-chat");
    });
    after(async () => {
        await harness?.engine.dispose();
        await temp.remove();
    });

    /** Points the harness at a new scripted model (the engine loads it on the next turn). */
    async function useScript(name: string, script: string) {
        const model = await writeScriptedModel(path.join(temp.dir, `${name}.gguf`), script);
        harness ??= startHarness(model.path);
        harness.settings.modelPath = model.path;
        return model;
    }

    test("the script streams in order, then a done frame with stats", async () => {
        const script = "The answer is 42 parsecs.";
        const model = await useScript("plain", script);
        const answer = await ask(harness.backend, turn("How far is it?"));

        assert.equal(answer.text, script);
        assert.equal(answer.thought, "");
        assert.ok(answer.frames.filter((frame) => frame.kind === "text").length > 1, "the answer streams in several frames");
        assert.equal(answer.final.kind, "done");
        if (answer.final.kind !== "done")
            return;
        assert.equal(answer.final.stats.stopReason, "eogToken");
        assert.equal(answer.final.stats.generatedTokens, model.scriptTokenCount);
        assert.ok(answer.final.stats.promptTokens > 20, `prompt tokens: ${answer.final.stats.promptTokens}`);
        assert.ok(answer.final.stats.tokensPerSecond > 0);
        assert.ok(answer.final.stats.timeToFirstTokenMs > 0);
    });

    test("thoughts arrive apart from the answer", async () => {
        await useScript("thinking", "<think>Checking the units.</think>The answer is 42 parsecs.");
        const answer = await ask(harness.backend, turn("How far is it?"));
        assert.equal(answer.thought, "Checking the units.");
        assert.equal(answer.text, "The answer is 42 parsecs.");
        const firstText = answer.frames.findIndex((frame) => frame.kind === "text");
        const lastThought = answer.frames.findLastIndex((frame) => frame.kind === "thought");
        assert.ok(lastThought < firstText, "the thought comes before the answer");
        assert.equal(answer.final.kind, "done");
        if (answer.final.kind === "done") {
            assert.ok(answer.final.stats.thoughtTokens > 0, `thought tokens: ${answer.final.stats.thoughtTokens}`);
            assert.ok(answer.final.stats.thoughtTokens < answer.final.stats.generatedTokens);
        }
    });

    test("reasoning mode prefills <think>: the model continues inside the thought", async () => {
        await useScript("reasoning", "<think>Distance modulus first.</think>It is 10 pc away.");
        const answer = await ask(harness.backend, turn("How far is it?", {reasoning: true}));
        assert.equal(answer.thought, "Distance modulus first.");
        assert.equal(answer.text, "It is 10 pc away.");
    });

    test("<thinking> tags from other models are split out too", async () => {
        await useScript("thinking-tags", "<thinking>Use Kepler.</thinking>The period is 1 yr.");
        const answer = await ask(harness.backend, turn("Period?"));
        assert.equal(answer.thought, "Use Kepler.");
        assert.equal(answer.text, "The period is 1 yr.");
    });

    test("a follow-up turn sends the conversation and gets the next answer", async () => {
        await useScript("follow-up", "Yes, about 3.26 light years.");
        const answer = await ask(harness.backend, turn("", {
            messages: [
                {role: "user", text: "What is a parsec?"},
                {role: "assistant", text: "A unit of distance."},
                {role: "user", text: "In light years?"}
            ]
        }));
        assert.equal(answer.text, "Yes, about 3.26 light years.");
    });

    test("abort mid-answer stops generation with stop reason abort", async () => {
        const model = await useScript("long", longScript(1500));
        const controller = new AbortController();
        let textFrames = 0;
        const answer = await ask(harness.backend, turn("Tell me everything."), {
            signal: controller.signal,
            onFrame: (frame) => {
                if (frame.kind === "text" && ++textFrames === 20)
                    controller.abort();
            }
        });
        assert.equal(answer.final.kind, "done");
        if (answer.final.kind !== "done")
            return;
        assert.equal(answer.final.stats.stopReason, "abort");
        assert.ok(answer.final.stats.generatedTokens >= 20);
        assert.ok(answer.final.stats.generatedTokens < model.scriptTokenCount / 2,
            `stopped after ${answer.final.stats.generatedTokens} of ${model.scriptTokenCount} tokens`);
        assert.ok(answer.text.startsWith("Stars1 form2"), answer.text.slice(0, 40));

        const next = await ask(harness.backend, turn("Again?"));
        assert.equal(next.final.kind, "done", "the engine answers again after an abort");
    });
});
