// End to end: the packaged extension in a real VS Code (code-server) driven in
// Chromium, answering from scripted AstroSage-format models through the real
// engine process and node-llama-cpp.
import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import * as fs from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {longScript, writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {noticeText, sendPrompt, waitForAnswer} from "./support/chatView.ts";
import {chooseInFileDialog} from "./support/fileDialog.ts";
import type {CodeServer} from "./support/codeServer.ts";
import {closeVsCode, openVsCode} from "./support/vscodeSession.ts";
import type {Workbench} from "./support/workbench.ts";
import {createWorkspace} from "./support/workspace.ts";

const answerScript = "<think>Checking the units.</think>The Andromeda galaxy is about 765 kpc away.";

describe("chat in VS Code", () => {
    let server: CodeServer | undefined;
    let workbench: Workbench | undefined;
    let workspace: string;
    let models: {answer: string; long: string};

    before(async () => {
        workspace = createWorkspace({"notes.md": "# Observing log\n"});
        const modelDir = path.join(workspace, ".models");
        fs.mkdirSync(modelDir);
        models = {
            answer: (await writeScriptedModel(path.join(modelDir, "AstroSage-8B-scripted.gguf"), answerScript)).path,
            long: (await writeScriptedModel(path.join(modelDir, "AstroSage-8B-long.gguf"), longScript(1500))).path
        };
        ({server, workbench} = await openVsCode("chat", workspace, {"astrosage.model.path": models.answer, "astrosage.engine.threads": 1}));
    });

    after(async () => {
        await closeVsCode("chat", {server, workbench});
        fs.rmSync(workspace, {recursive: true, force: true});
    });

    /** Picks another model file the way a user does: "AstroSage: Select Model File…" and the file dialog. */
    async function useModel(modelPath: string) {
        await workbench!.runCommand("AstroSage: Select Model File…");
        await chooseInFileDialog(workbench!.page, modelPath);
        // Until the new model loads, the view names it by its file.
        const frame = await workbench!.chatFrame();
        await frame.locator("#status", {hasText: path.basename(modelPath, ".gguf")}).waitFor({timeout: 15_000});
    }

    test("a prompt typed in the AstroSage view gets the model's answer, reasoning folded apart", async () => {
        await workbench!.openViewContainer("AstroSage");
        const frame = await workbench!.chatFrame();
        await frame.locator("#status", {hasText: "AstroSage-8B-scripted"}).waitFor();
        assert.equal(await noticeText(frame), undefined, "no notice when a model is configured");

        const index = await sendPrompt(frame, "How far away is the Andromeda galaxy?");
        const shown = await waitForAnswer(frame, {index, contains: "765 kpc"});
        assert.equal(shown.answer, "The Andromeda galaxy is about 765 kpc away.");
        assert.match(shown.thought, /Checking the units\./);
        assert.equal(await frame.locator(".message.user").first().textContent(), "How far away is the Andromeda galaxy?");

        const thought = frame.locator(".message.assistant").nth(index).locator("details.thought");
        assert.equal(await thought.getAttribute("open"), null, "the reasoning is folded");
        await frame.locator("#status", {hasText: "ready on CPU"}).waitFor();
        await workbench!.screenshot("chat-answer");
        await thought.locator("summary").click();
        assert.equal(await thought.getAttribute("open"), "");
        await workbench!.screenshot("chat-answer-reasoning-open");
    });

    test("Stop ends a long answer and keeps what was written", async () => {
        await useModel(models.long);
        const frame = await workbench!.chatFrame();
        await frame.locator("#status", {hasText: "AstroSage-8B-long"}).waitFor();

        const index = await sendPrompt(frame, "Tell me everything about star formation.");
        const answer = frame.locator(".message.assistant").nth(index);
        await answer.locator(".answer", {hasText: "Stars1 form2"}).waitFor({timeout: 60_000});
        await frame.locator("#stop").click();
        const shown = await waitForAnswer(frame, {index});

        assert.ok(shown.answer.startsWith("Stars1 form2"));
        assert.ok(!shown.answer.includes("1500"), "generation stopped before the end of the script");
        assert.match(await answer.locator(".footer").textContent() ?? "", /stopped/);
        assert.equal(await frame.evaluate(() => document.activeElement?.id), "prompt", "focus returns to the prompt");
        await workbench!.screenshot("chat-stopped");

        // The conversation goes on after a stop.
        await useModel(models.answer);
        await frame.locator("#status", {hasText: "AstroSage-8B-scripted"}).waitFor();
        const next = await sendPrompt(frame, "Thanks. And Andromeda?");
        assert.equal((await waitForAnswer(frame, {index: next, contains: "765 kpc"})).answer, "The Andromeda galaxy is about 765 kpc away.");
    });

    test("when the engine dies mid-answer the user is told, the conversation stays, and the next question is answered", async () => {
        await useModel(models.long);
        const frame = await workbench!.chatFrame();
        const messagesBefore = await frame.locator(".message").count();
        const index = await sendPrompt(frame, "Tell me everything again.");
        const answer = frame.locator(".message.assistant").nth(index);
        await answer.locator(".answer", {hasText: "Stars1 form2"}).waitFor({timeout: 60_000});

        const [pid, ...others] = enginePids();
        assert.ok(pid != null && others.length === 0, `one engine process runs: ${pid} ${others}`);
        process.kill(pid, "SIGKILL");

        await answer.locator(".footer", {hasText: "stopped unexpectedly"}).waitFor();
        assert.ok((await answer.locator(".answer").textContent() ?? "").startsWith("Stars1 form2"), "the partial answer is kept");
        await workbench!.page.locator(".notifications-toasts .notification-toast", {hasText: "It is restarting; your conversation is kept"}).waitFor();
        await workbench!.screenshot("chat-engine-crashed");

        await useModel(models.answer);
        const next = await sendPrompt(frame, "Where were we? Andromeda?");
        assert.equal((await waitForAnswer(frame, {index: next, contains: "765 kpc"})).answer, "The Andromeda galaxy is about 765 kpc away.");
        assert.equal(await frame.locator(".message").count(), messagesBefore + 4, "earlier messages are all still there");
        const [newPid] = enginePids();
        assert.ok(newPid != null && newPid !== pid, "a new engine process answered");
    });

    /** Engine processes of this test's code-server (their path is inside its scratch folder). */
    function enginePids(): number[] {
        const scratch = path.dirname(server!.userDataDir);
        return execFileSync("ps", ["-eo", "pid=,args="], {encoding: "utf8"})
            .split("\n")
            .filter((line) => line.includes(scratch) && line.includes("dist/engine.mjs"))
            .map((line) => Number.parseInt(line.trim(), 10));
    }
});
