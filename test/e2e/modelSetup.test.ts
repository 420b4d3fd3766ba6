// End to end: a first run with no model. The welcome in the AstroSage view
// offers the build that fits this machine (judged from the header read from the
// download source), Download fetches it from a local mirror with a progress
// notification, and the downloaded model answers in the chat.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {defaultBuild} from "../../src/core/modelCatalog.ts";
import {writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {ModelServer, type ServedFile} from "../support/modelServer.ts";
import {sendPrompt, waitForAnswer} from "./support/chatView.ts";
import type {CodeServer} from "./support/codeServer.ts";
import {closeVsCode, openVsCode} from "./support/vscodeSession.ts";
import type {Workbench} from "./support/workbench.ts";
import {createWorkspace} from "./support/workspace.ts";

const answerScript = "The Hubble constant is about 70 km/s/Mpc; Planck 2018 gives 67.4 ± 0.5.";

describe("first run: welcome, download, answer", () => {
    let server: CodeServer | undefined;
    let workbench: Workbench | undefined;
    let mirror: ModelServer | undefined;
    let served: ServedFile;
    let workspace: string;

    before(async () => {
        workspace = createWorkspace({"notes.md": "# Cosmology notes\n"});
        const modelPath = path.join(workspace, "..", `${path.basename(workspace)}-model.gguf`);
        await writeScriptedModel(modelPath, answerScript);
        mirror = await ModelServer.start();
        // Slow enough that the progress notification is on screen for a few seconds.
        served = await mirror.serve(defaultBuild(), modelPath, {bytesPerSecond: 150_000});
        fs.rmSync(modelPath);
        ({server, workbench} = await openVsCode("model-setup", workspace, {
            "astrosage.download.baseUrl": mirror.baseUrl,
            "astrosage.engine.threads": 1
        }));
    });

    const frame = () => workbench!.chatFrame();

    /** The AstroSage item in the status bar, when its text matches. */
    function statusBarItem({hasText}: {hasText: string | RegExp}) {
        return workbench!.page.locator(".part.statusbar .statusbar-item", {hasText: "AstroSage:"}).filter({hasText});
    }

    after(async () => {
        await closeVsCode("model-setup", {server, workbench});
        await mirror?.stop();
        fs.rmSync(workspace, {recursive: true, force: true});
    });

    test("the welcome names the build for this machine, judged from its header, before anything is downloaded", async () => {
        await workbench!.openViewContainer("AstroSage");
        const frame = await workbench!.chatFrame();
        const welcome = frame.locator("#welcome");
        await welcome.locator(".fit").waitFor({timeout: 60_000});
        assert.match(await welcome.locator(".build-title").textContent() ?? "", /AstroSage-8B Q4_K_M/);
        assert.match(await welcome.locator(".fit").textContent() ?? "", /^Fits: needs .* of .* memory/);
        assert.match(await welcome.locator(".machine").textContent() ?? "", /This machine: .* memory/);
        // The header was read with ranged requests (node-llama-cpp asks for its first
        // megabytes: all of so small a file); no download has started.
        assert.ok(served.requests.length > 0, "the header was not read from the mirror");
        assert.deepEqual(served.requests.filter((request) => request.range == null).map((request) => request.method), [],
            "a request without a range: a download started before the user asked for one");
        await statusBarItem({hasText: "not downloaded"}).waitFor();
        await workbench!.page.mouse.move(700, 600);
        await workbench!.screenshot("model-setup-welcome");
    });

    test("Download shows a progress notification, then the model answers", async () => {
        const frame = await workbench!.chatFrame();
        await frame.locator("#welcome vscode-button[data-welcome-action='download']").click();

        const page = workbench!.page;
        const toast = page.locator(".notifications-toasts .notification-toast", {hasText: "Downloading AstroSage-8B Q4_K_M"});
        await toast.waitFor({timeout: 30_000});
        await toast.locator(".notification-list-item-message", {hasText: /\d+% · .* of .* · .*\/s/}).waitFor({timeout: 30_000});
        await frame.locator("#welcome .download-progress").waitFor();
        await statusBarItem({hasText: /downloading \d+%/}).waitFor();
        await workbench!.screenshot("model-setup-downloading");

        // Once downloaded and checked, the model is in use: the welcome goes and the status names it.
        await frame.locator("#welcome").waitFor({state: "hidden", timeout: 60_000});
        await frame.locator("#status", {hasText: "AstroSage-8B.Q4_K_M"}).waitFor();
        const index = await sendPrompt(frame, "What is the Hubble constant?");
        const shown = await waitForAnswer(frame, {index, contains: "67.4"});
        assert.equal(shown.answer, answerScript);
        await statusBarItem({hasText: "ready on CPU"}).waitFor({timeout: 30_000});
        await workbench!.screenshot("model-setup-answer");
    });

    test("the status bar opens the model picker: each build with its size, fit and state; Manage Models lists the download and deletes it", async () => {
        const page = workbench!.page;
        await statusBarItem({hasText: "ready on CPU"}).click();
        const rows = page.locator(".quick-input-widget .quick-input-list .monaco-list-row");
        const q4 = rows.filter({hasText: "AstroSage-8B Q4_K_M"});
        await q4.filter({hasText: "in use"}).waitFor({timeout: 30_000});
        // The fit lines arrive from the header read; the official Q8_0 is listed with its own.
        await rows.filter({hasText: "AstroSage-8B Q8_0 (official)"}).filter({hasText: /(fits|tight|too big): needs/}).waitFor({timeout: 30_000});
        assert.match(await q4.textContent() ?? "", /638 KB · fits: needs [\d.]+ MiB · in use/);
        await rows.filter({hasText: "A GGUF File on Disk…"}).waitFor();
        await workbench!.screenshot("model-setup-picker");
        await page.keyboard.press("Escape");

        await workbench!.runCommand("AstroSage: Manage Models");
        const downloaded = rows.filter({hasText: "AstroSage-8B Q4_K_M"});
        await downloaded.waitFor();
        assert.match(await downloaded.textContent() ?? "", /638 KB · in use/);
        assert.match(await page.locator(".quick-input-widget .quick-input-box input").getAttribute("placeholder") ?? "", /^1 file, 638 KB in /);
        await workbench!.screenshot("model-setup-manage");

        // Deleting the model in use: a confirmation, then the file is gone and the welcome is back.
        await downloaded.hover();
        await downloaded.locator(".action-label.codicon-trash").click();
        const dialog = page.locator(".monaco-dialog-box");
        await dialog.filter({hasText: "Delete AstroSage-8B Q4_K_M (638 KB)?"}).waitFor();
        await dialog.locator(".monaco-button", {hasText: "Delete"}).click();
        await page.locator(".quick-input-widget .quick-input-box input[placeholder^='No models downloaded yet']").waitFor();
        await page.keyboard.press("Escape");
        await statusBarItem({hasText: "not downloaded"}).waitFor();
        await frame().then((chat) => chat.locator("#welcome .build-card").waitFor());
    });
});
