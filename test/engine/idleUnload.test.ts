// The model gives its memory back after an idle time, and loads again on the
// next question; a turn in progress is never unloaded under it.
import assert from "node:assert/strict";
import {randomUUID} from "node:crypto";
import path from "node:path";
import {after, before, test} from "node:test";
import type {ModelStatus} from "../../src/core/ModelStatus.ts";
import {EngineProcess} from "../../src/engine/EngineProcess.ts";
import {LocalEngineBackend, type LocalModelSettings} from "../../src/engine/LocalEngineBackend.ts";
import {longScript, writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {makeTempDir} from "../support/tempDir.ts";
import {ask, collectingLogger, enginePath, turn} from "./engineHarness.ts";

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let engine: EngineProcess;
let backend: LocalEngineBackend;
const statuses: ModelStatus[] = [];
const idle = {ms: 300};

before(async () => {
    temp = await makeTempDir("idle-unload");
    const model = await writeScriptedModel(path.join(temp.dir, "long.gguf"), longScript(400));
    engine = new EngineProcess({enginePath, logger: collectingLogger(), onCrash: () => {}});
    const settings: LocalModelSettings = {modelPath: model.path, contextSize: 2048, threads: 1, gpu: "off"};
    backend = new LocalEngineBackend(engine, () => settings, (status) => statuses.push(status), {idleUnloadMs: () => idle.ms});
});

after(async () => {
    await engine.dispose();
    await temp.remove();
});

/** What the engine itself says is loaded. */
async function engineModel() {
    const answer = await engine.request({type: "status", id: randomUUID()});
    assert.equal(answer.type, "status");
    return answer.type === "status" ? answer.model : undefined;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
        if (Date.now() > deadline)
            throw new Error(`still not true after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

test("after the idle time the engine unloads the model, and the next question loads it again", async () => {
    const first = await ask(backend, turn("Go on."));
    assert.equal(first.final.kind, "done");
    assert.notEqual(await engineModel(), null, "loaded right after the answer");

    await waitUntil(async () => (await engineModel()) === null, 10_000);
    assert.equal(backend.isLoaded, false);
    assert.equal(statuses.at(-1)?.state, "notLoaded", "the status says the model loads on the next question");

    const second = await ask(backend, turn("Again."));
    assert.equal(second.final.kind, "done");
    assert.equal(second.text, first.text);
    assert.notEqual(await engineModel(), null);
});

test("an answer that takes longer than the idle time is not cut short", async () => {
    idle.ms = 100;
    const answer = await ask(backend, turn("A long one."), {
        // Slow the host down while tokens arrive, so the turn outlasts the idle time many times.
        onFrame: () => {
            const until = Date.now() + 2;
            while (Date.now() < until) { /* busy wait */ }
        }
    });
    assert.equal(answer.final.kind, "done");
    assert.equal(answer.final.kind === "done" ? answer.final.stats.stopReason : "", "eogToken");
});

test("0 keeps the model loaded", async () => {
    idle.ms = 0;
    await ask(backend, turn("Keep it."));
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.notEqual(await engineModel(), null);
});
