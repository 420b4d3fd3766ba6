// End to end, model output as an attack: a scripted model answers with XSS
// payloads from test/fixtures/xss/ and this renderer's own list, and the chat
// view in VS Code must run none of them, load nothing remote, show images as
// links, and open no link that is not http(s).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {dompurifyPayloads, markdownItPayloads, rendererPayloads} from "../browser/support/xssPayloads.ts";
import {writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {sendPrompt, waitForAnswer} from "./support/chatView.ts";
import type {CodeServer} from "./support/codeServer.ts";
import {closeVsCode, openVsCode} from "./support/vscodeSession.ts";
import type {Workbench} from "./support/workbench.ts";
import {createWorkspace} from "./support/workspace.ts";

// A few of each source, as one answer; the browser tier renders all of them.
const payloads = [
    ...rendererPayloads.map((payload) => payload.text),
    ...markdownItPayloads().slice(0, 8).map((payload) => payload.text),
    ...dompurifyPayloads().filter((payload) => /onerror|onload|javascript:|<script/i.test(payload.text)).slice(0, 12).map((payload) => payload.text)
];
const answer = `Here is what you asked for.\n\n${payloads.join("\n\n")}\n\nThe end of the answer.`;

describe("model output cannot script the chat view", () => {
    let server: CodeServer | undefined;
    let workbench: Workbench | undefined;
    let workspace: string;
    const dialogs: string[] = [];
    const remoteRequests: string[] = [];

    before(async () => {
        workspace = createWorkspace({});
        const model = await writeScriptedModel(path.join(workspace, "AstroSage-8B-xss.gguf"), answer);
        ({server, workbench} = await openVsCode("chat-xss", workspace, {"astrosage.model.path": model.path, "astrosage.engine.threads": 1}));
        workbench.page.on("dialog", (dialog) => {
            dialogs.push(`${dialog.type()}: ${dialog.message()}`);
            void dialog.dismiss();
        });
        // The workbench talks to code-server on 127.0.0.1 and to its webview
        // resource host; anything else was asked for by a payload.
        workbench.page.context().on("request", (request) => {
            const url = new URL(request.url());
            const local = url.hostname === "127.0.0.1" || url.hostname.endsWith(".vscode-cdn.net");
            if (/^(https?|wss?):$/.test(url.protocol) && !local)
                remoteRequests.push(request.url());
        });
        await workbench.openViewContainer("AstroSage");
    });

    after(async () => {
        await closeVsCode("chat-xss", {server, workbench});
        fs.rmSync(workspace, {recursive: true, force: true});
    });

    test("an answer full of payloads renders as text and links, and nothing runs or loads", async () => {
        const frame = await workbench!.chatFrame();
        const index = await sendPrompt(frame, "Show me some XSS payloads");
        await waitForAnswer(frame, {index, contains: "The end of the answer."});
        // Let late event handlers, loads and timers have their chance.
        await new Promise((resolve) => setTimeout(resolve, 1_000));

        const rendered = frame.locator(".message.assistant").nth(index).locator(".answer");
        const found = await rendered.evaluate((root) => {
            const problems: string[] = [];
            for (const element of root.querySelectorAll("*")) {
                const name = element.localName;
                if (["script", "iframe", "object", "embed", "img", "image", "style", "link", "meta", "base", "form", "svg", "math"].includes(name) && element.closest(".katex") == null)
                    problems.push(`<${name}>`);
                for (const attribute of element.attributes) {
                    if (attribute.name.startsWith("on"))
                        problems.push(`${attribute.name}= on <${name}>`);
                    if (attribute.name === "href" && !/^(?:https?|mailto):/i.test(attribute.value))
                        problems.push(`href="${attribute.value}" on <${name}>`);
                    if (attribute.name === "src")
                        problems.push(`src= on <${name}>`);
                }
            }
            return problems;
        });
        assert.deepEqual(found, []);
        assert.deepEqual(dialogs, []);
        assert.deepEqual(remoteRequests, []);
        // The remote image is a link to its address, not a picture.
        assert.ok(await rendered.locator("a[href='https://evil.test/pixel.png']").count() >= 1, "an image shows as a link");
        // A long answer keeps its end in view as it streams (the user has not scrolled).
        assert.ok(await frame.locator("#messages").evaluate((list) => list.scrollHeight - list.scrollTop - list.clientHeight < 40), "the view followed the answer to its end");
        await workbench!.screenshot("chat-xss-answer");
    });

    test("links that are not http(s) open nothing when clicked", async () => {
        const frame = await workbench!.chatFrame();
        const tabsBefore = await workbench!.page.locator(".tabs-container .tab").count();
        const suspicious = frame.locator(".message.assistant .answer a", {hasText: "x"});
        const count = Math.min(await suspicious.count(), 10);
        for (let i = 0; i < count; i++)
            await suspicious.nth(i).click({timeout: 2_000}).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        assert.deepEqual(dialogs, []);
        assert.equal(await workbench!.page.locator(".tabs-container .tab").count(), tabsBefore, "no editor or terminal opened");
        assert.equal(await workbench!.page.locator(".terminal-outer-container").count(), 0, "no terminal opened");
    });
});
