// End to end: the server backend the way a user reaches it. A first run with no
// local model; "AstroSage: Select Model…" → "Connect to Server…", the server's
// URL typed into the input box; llama.cpp's real llama-server (serving a
// scripted AstroSage-format model) answers in the chat, its thought folded
// apart and its math typeset. Then the server goes away and the chat says so.
// Last, a server that wants an API key: asked for, kept in VS Code's secret
// storage, never written to settings.json.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {startLlamaServer, type LlamaServer} from "../support/llamaServer.ts";
import {noticeText, sendPrompt, waitForAnswer} from "./support/chatView.ts";
import type {CodeServer} from "./support/codeServer.ts";
import {closeVsCode, openVsCode} from "./support/vscodeSession.ts";
import type {Workbench} from "./support/workbench.ts";
import {createWorkspace} from "./support/workspace.ts";

const modelId = "astrosage-70b-test";
const lockedModelId = "astrosage-70b-facility";
const apiKey = "sk-facility-5d2e8b71c4";
const thought = "Recall the Eddington luminosity.";
const answer = "The Eddington luminosity of a $1\\,M_\\odot$ star is about $3.2\\times10^{4}\\,L_\\odot$.";
const answerScript = `<think>${thought}</think>${answer}`;
/** `answer` as the page shows it, each formula as `[its MathML's text]`: `\,` is a thin space (U+2009), `10^{4}` reads "104". */
const answerAsMathText = "The Eddington luminosity of a [1\u2009M⊙] star is about [3.2×104\u2009L⊙].";

describe("the server backend in VS Code", () => {
    let server: CodeServer | undefined;
    let workbench: Workbench | undefined;
    let llama: LlamaServer | undefined;
    let locked: LlamaServer | undefined;
    let workspace: string;

    before(async () => {
        workspace = createWorkspace({"notes.md": "# Compact objects\n"});
        const modelDir = path.join(workspace, ".models");
        fs.mkdirSync(modelDir);
        const model = await writeScriptedModel(path.join(modelDir, "AstroSage-70B-scripted.gguf"), answerScript);
        llama = await startLlamaServer({model: model.path, alias: modelId});
        locked = await startLlamaServer({model: model.path, alias: lockedModelId, apiKey});
        // No local model: the first-run welcome shows.
        ({server, workbench} = await openVsCode("server", workspace, {"astrosage.engine.threads": 1}));
    });

    after(async () => {
        await llama?.stop();
        await locked?.stop();
        await closeVsCode("server", {server, workbench});
        fs.rmSync(workspace, {recursive: true, force: true});
    });

    const page = () => workbench!.page;
    const quickInput = () => page().locator(".quick-input-widget");
    const quickInputBox = () => quickInput().locator(".quick-input-box input");

    /** The AstroSage item in the status bar, when its text matches. */
    function statusBarItem(hasText: string | RegExp) {
        return page().locator(".part.statusbar .statusbar-item", {hasText: "AstroSage:"}).filter({hasText});
    }

    /** Waits for the input box titled `title` to show `value` (VS Code fills it in after showing the box). */
    async function inputBoxShowing(title: string, value: string) {
        await quickInput().locator(".quick-input-title", {hasText: title}).waitFor({timeout: 30_000});
        await page().waitForFunction(
            (expected) => document.querySelector<HTMLInputElement>(".quick-input-widget .quick-input-box input")?.value === expected,
            value,
            {timeout: 30_000}
        );
    }

    test("with no model the welcome offers Connect to Server…; connecting through Select Model… makes the server answer, reasoning folded and math typeset", async () => {
        await workbench!.openViewContainer("AstroSage");
        const frame = await workbench!.chatFrame();
        const welcome = frame.locator("#welcome");
        await welcome.waitFor({timeout: 30_000});
        await welcome.locator("vscode-button[data-welcome-action='connectToServer']", {hasText: "Connect to Server…"}).waitFor({timeout: 60_000});

        // The user's way: Select Model…, the "Connect to Server…" entry, the URL typed over the default.
        await workbench!.runCommand("AstroSage: Select Model…");
        const entry = quickInput().locator(".quick-input-list .monaco-list-row", {hasText: "Connect to Server…"});
        await entry.waitFor({timeout: 30_000});
        await entry.click();
        await inputBoxShowing("AstroSage: Connect to Server (1/2)", "http://127.0.0.1:8080/v1");
        await quickInputBox().fill(llama!.baseUrl);
        await page().waitForFunction(
            (expected) => document.querySelector<HTMLInputElement>(".quick-input-widget .quick-input-box input")?.value === expected,
            llama!.baseUrl
        );
        await quickInputBox().press("Enter");

        // One model served: used without asking, and the user is told.
        const host = `127.0.0.1:${llama!.port}`;
        const told = page().locator(".notifications-toasts .notification-toast", {hasText: `AstroSage answers with ${modelId} on ${host}.`});
        await told.waitFor({timeout: 30_000});
        assert.equal(await quickInput().isVisible(), false, "no model pick for a server with one model");
        assert.equal(await page().locator(".quick-input-widget .quick-input-title", {hasText: "(2/2)"}).isVisible(), false);

        await welcome.waitFor({state: "hidden", timeout: 30_000});
        await frame.locator("#status", {hasText: `${modelId} on ${host}`}).waitFor({timeout: 30_000});
        await statusBarItem(host).waitFor({timeout: 30_000});
        assert.equal(await noticeText(frame), undefined, "no notice once a server is set");

        const index = await sendPrompt(frame, "What is the Eddington luminosity of the Sun?");
        const shown = await waitForAnswer(frame, {index, contains: "Eddington luminosity of a"});
        const message = frame.locator(".message.assistant").nth(index);

        // The answer is the model's, exactly, its two formulas typeset by KaTeX (read
        // back here as their MathML's text: the page keeps no TeX source).
        assert.equal(await message.locator(".answer .math-error").count(), 0, "every formula parsed");
        assert.equal(await message.locator(".answer .katex").count(), 2, "both formulas typeset by KaTeX");
        assert.equal(await answerWithMathText(frame, index), answerAsMathText);
        assert.deepEqual(await message.locator(".answer .katex-mathml msup").allTextContents(), ["104"], "10^{4} is a superscript");
        assert.ok(shown.answer.startsWith("The Eddington luminosity of a"), shown.answer);
        assert.ok(!shown.answer.includes("<think>") && !shown.answer.includes(thought), `the thought is not in the answer: ${shown.answer}`);

        // The thought is folded apart from the answer.
        assert.match(shown.thought, new RegExp(thought.replace(/\./g, "\\.")));
        const details = message.locator("details.thought");
        assert.equal(await details.count(), 1);
        assert.equal(await details.getAttribute("open"), null, "the reasoning is folded");
        assert.match(await details.locator("summary").textContent() ?? "", /^Thought for /);

        await frame.locator("#status", {hasText: `${modelId} · ready on ${host}`}).waitFor({timeout: 30_000});
        // The question went to the server (no local model is set): its log shows the task.
        assert.match(llama!.log(), /processing task/);

        // The mouse off the view, so no hover highlights a message in the screenshot.
        await page().mouse.move(700, 600);
        await workbench!.screenshot("server-chat");
        await details.locator("summary").click();
        assert.equal(await details.getAttribute("open"), "");
        assert.equal((await details.locator(".thought-content").textContent())?.trim(), thought);
        await page().mouse.move(700, 600);
        await workbench!.screenshot("server-chat-reasoning-open");
    });

    test("when the server goes away, the next question gets a notice saying it refused the connection, with Connect to Server…", async () => {
        const frame = await workbench!.chatFrame();
        const origin = `http://127.0.0.1:${llama!.port}`;
        await llama!.kill();

        const index = await sendPrompt(frame, "And for 10 solar masses?");
        await waitForAnswer(frame, {index});
        const failed = frame.locator(".message.assistant").nth(index);
        await failed.and(frame.locator(".failed")).waitFor();
        assert.match(await failed.locator(".footer").textContent() ?? "", /refused the connection/);
        const notice = frame.locator("#notice");
        await notice.waitFor({timeout: 30_000});
        assert.match(await noticeText(frame) ?? "(no notice)", /refused the connection: no server is listening there\..*Connect to Server…$/s);
        assert.equal(
            (await frame.locator("#notice-text").textContent())?.trim(),
            `${origin} refused the connection: no server is listening there. Check the host and port in astrosage.server.url, and that the server is running.`
        );
        const action = frame.locator("#notice-action");
        assert.equal(await action.isVisible(), true);
        assert.equal((await action.textContent())?.trim(), "Connect to Server…");
        assert.equal(await frame.locator(".message.assistant").nth(index - 1).locator(".answer .katex").count(), 2, "the earlier answer stays");
        // The notice above the list takes room from it; the failed answer, the newest, stays in view.
        await frame.waitForFunction(() => {
            const list = document.getElementById("messages")!;
            return list.scrollHeight - list.scrollTop - list.clientHeight < 2;
        }, undefined, {timeout: 5_000});
        await workbench!.screenshot("server-unreachable");

        // The action opens Connect to Server with the server in use filled in.
        await action.click();
        await inputBoxShowing("AstroSage: Connect to Server (1/2)", llama!.baseUrl);
        await quickInputBox().press("Escape");
        await quickInput().waitFor({state: "hidden"});
    });

    test("a server that wants an API key: Connect asks for it, keeps it in secret storage (not settings.json), and the server answers", async () => {
        const frame = await workbench!.chatFrame();
        const host = `127.0.0.1:${locked!.port}`;
        await workbench!.runCommand("AstroSage: Connect to Server…");
        await inputBoxShowing("AstroSage: Connect to Server (1/2)", llama!.baseUrl);
        await quickInputBox().fill(locked!.baseUrl);
        await quickInputBox().press("Enter");

        // The server answers 401: the key is asked for, hidden as it is typed.
        await quickInput().locator(".quick-input-title", {hasText: `AstroSage: API key for http://${host}`}).waitFor({timeout: 30_000});
        const prompt = await quickInput().locator(".quick-input-message").textContent() ?? "";
        assert.ok(prompt.includes(`http://${host} needs an API key (it answered 401). The key is kept in VS Code's secret storage and sent only to http://${host}.`), prompt);
        assert.equal(await quickInputBox().getAttribute("type"), "password");
        await quickInputBox().fill(apiKey);
        await workbench!.screenshot("server-api-key");
        await quickInputBox().press("Enter");
        await page().locator(".notifications-toasts .notification-toast", {hasText: `AstroSage answers with ${lockedModelId} on ${host}.`}).waitFor({timeout: 30_000});
        await frame.locator("#status", {hasText: `${lockedModelId} on ${host}`}).waitFor({timeout: 30_000});

        const index = await sendPrompt(frame, "Once more: the Eddington luminosity?");
        await waitForAnswer(frame, {index, contains: "Eddington luminosity of a"});
        assert.equal(await answerWithMathText(frame, index), answerAsMathText);
        assert.match(locked!.log(), /processing task/);

        // The URL is a setting (a machine-overridable one: code-server keeps it in the remote's
        // Machine settings); the key is in no settings file at all.
        const settingsFiles = ["User", "Machine"].map((scope) => path.join(server!.userDataDir, scope, "settings.json"))
            .concat(path.join(workspace, ".vscode", "settings.json"))
            .filter((file) => fs.existsSync(file));
        const settings = settingsFiles.map((file) => fs.readFileSync(file, "utf8")).join("\n");
        assert.ok(settings.includes(`"astrosage.server.url": "${locked!.baseUrl}"`), settings);
        assert.ok(!settings.includes(apiKey), "the API key is in no settings file");
    });
});

/** The text of answer `index` with every KaTeX formula replaced by `[<the text of its MathML>]`. */
async function answerWithMathText(frame: Awaited<ReturnType<Workbench["chatFrame"]>>, index: number): Promise<string> {
    return frame.locator(".message.assistant").nth(index).locator(".answer").evaluate((element) => {
        const copy = element.cloneNode(true) as HTMLElement;
        for (const math of Array.from(copy.querySelectorAll(".katex"))) {
            math.replaceWith(`[${math.querySelector(".katex-mathml")?.textContent ?? "no MathML"}]`);
        }
        return (copy.textContent ?? "").trim();
    });
}
