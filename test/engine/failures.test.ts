import assert from "node:assert/strict";
import {fork} from "node:child_process";
import {once} from "node:events";
import {copyFile, readFile, truncate, writeFile} from "node:fs/promises";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {parseEngineEvent, type EngineEvent} from "../../src/engine/protocol.ts";
import {longScript, writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {makeTempDir} from "../support/tempDir.ts";
import {ask, enginePath, startHarness, turn, type Harness} from "./engineHarness.ts";

describe("engine process: failures", () => {
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    let goodModel: string;
    let longModel: string;
    let harness: Harness;

    before(async () => {
        temp = await makeTempDir("engine-failures");
        goodModel = (await writeScriptedModel(path.join(temp.dir, "good.gguf"), "Hubble constant: 70 km/s/Mpc.")).path;
        longModel = (await writeScriptedModel(path.join(temp.dir, "long.gguf"), longScript(1500))).path;
        harness = startHarness(goodModel);
    });
    after(async () => {
        await harness.engine.dispose();
        await temp.remove();
    });

    test("killing the engine mid-answer gives an error frame, keeps the partial answer, and the next question works", async () => {
        harness.settings.modelPath = longModel;
        let killedPid: number | undefined;
        let textFrames = 0;
        const answer = await ask(harness.backend, turn("Tell me everything."), {
            onFrame: (frame) => {
                if (frame.kind === "text" && ++textFrames === 10) {
                    killedPid = harness.engine.pid;
                    process.kill(killedPid!, "SIGKILL");
                }
            }
        });
        assert.equal(answer.final.kind, "error");
        if (answer.final.kind === "error") {
            assert.equal(answer.final.code, "engineCrashed");
            assert.match(answer.final.message, /stopped unexpectedly \(signal SIGKILL\)/);
        }
        assert.ok(answer.text.startsWith("Stars1 form2"), "the partial answer was streamed before the crash");
        assert.deepEqual(harness.crashes, [{reason: "signal SIGKILL", willRestart: true}]);

        harness.settings.modelPath = goodModel;
        const next = await ask(harness.backend, turn("And now?"));
        assert.equal(next.text, "Hubble constant: 70 km/s/Mpc.");
        assert.notEqual(harness.engine.pid, killedPid, "a new engine process answered");
    });

    /** Makes a bad model file and returns its path. */
    const badFiles: {name: string; make: (file: string) => Promise<void>; code: string; message: RegExp}[] = [
        {name: "a missing file", make: async () => {}, code: "modelNotFound", message: /does not exist.*Select Model…/},
        {name: "an empty file", make: (file) => writeFile(file, ""), code: "invalidModel", message: /is empty/},
        {
            name: "a file that is not GGUF",
            make: (file) => writeFile(file, "<!DOCTYPE html><html><body>404 Not Found</body></html>\n".repeat(50)),
            code: "invalidModel",
            message: /not a valid GGUF model file/
        },
        {
            name: "a truncated model (half of it)",
            make: async (file) => {
                await copyFile(goodModel, file);
                const size = (await readFile(goodModel)).length;
                await truncate(file, Math.floor(size / 2));
            },
            code: "invalidModel",
            message: /damaged|incomplete/
        },
        {
            name: "a model whose header is corrupt",
            make: async (file) => {
                const bytes = await readFile(goodModel);
                // Past the magic and version: the tensor and metadata counts become nonsense.
                bytes.fill(0xff, 8, 64);
                await writeFile(file, bytes);
            },
            code: "invalidModel",
            message: /not a valid GGUF model file/
        }
    ];
    for (const bad of badFiles) {
        test(`${bad.name} gives a clear error and no crash`, async () => {
            const file = path.join(temp.dir, `${bad.name.replaceAll(/\W+/g, "-")}.gguf`);
            await bad.make(file);
            harness.settings.modelPath = file;
            const crashesBefore = harness.crashes.length;
            const answer = await ask(harness.backend, turn("Hello?"));

            assert.equal(answer.final.kind, "error");
            if (answer.final.kind === "error") {
                assert.equal(answer.final.code, bad.code, answer.final.message);
                assert.match(answer.final.message, bad.message);
            }
            assert.equal(harness.crashes.length, crashesBefore, "the engine did not crash");

            harness.settings.modelPath = goodModel;
            const next = await ask(harness.backend, turn("Hello?"));
            assert.equal(next.text, "Hubble constant: 70 km/s/Mpc.", "a good model still loads afterwards");
        });
    }

    test("the engine rejects malformed requests and keeps serving", async () => {
        const child = fork(enginePath, [], {stdio: ["ignore", "ignore", "pipe", "ipc"]});
        const events: EngineEvent[] = [];
        child.on("message", (raw) => events.push(parseEngineEvent(raw)));
        try {
            await waitFor(() => events.some((event) => event.type === "ready"));
            child.send({type: "chat", id: "bad-1", messages: "not a list"});
            child.send({type: "selfDestruct", id: "bad-2"});
            child.send("garbage");
            child.send({type: "status", id: "good-1"});
            await waitFor(() => events.some((event) => event.type === "status"));

            const errors = events.filter((event) => event.type === "error");
            assert.deepEqual(errors.map((event) => event.type === "error" && [event.id, event.code]), [["bad-1", "internal"], ["bad-2", "internal"]]);
            assert.ok(events.some((event) => event.type === "log" && event.level === "error" && /malformed/.test(event.message)));
            assert.deepEqual(events.find((event) => event.type === "status"), {type: "status", id: "good-1", model: null});
        } finally {
            child.kill();
            await once(child, "exit");
        }
    });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000) {
    const started = Date.now();
    while (!condition()) {
        if (Date.now() - started > timeoutMs)
            throw new Error("timed out waiting for the engine");
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}
