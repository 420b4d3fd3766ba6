// End to end, the chat panel astronomers use: Markdown, math and code rendered
// from a scripted answer, reasoning folded, Stop, New Chat, chats that survive a
// window reload, export to Markdown; in light and dark themes.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import type {Frame} from "playwright-core";
import {writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {sendPrompt, waitForAnswer} from "./support/chatView.ts";
import type {CodeServer} from "./support/codeServer.ts";
import {chooseInFileDialog} from "./support/fileDialog.ts";
import {closeVsCode, openVsCode} from "./support/vscodeSession.ts";
import type {Workbench} from "./support/workbench.ts";
import {createWorkspace} from "./support/workspace.ts";

const richAnswer = [
    "<think>The Eddington limit balances radiation pressure on electrons against gravity.</think>",
    "The **Eddington luminosity** of a $10\\,M_\\odot$ black hole is about $1.3\\times10^{39}$ erg/s, from",
    "",
    "$$L_{\\rm Edd} = \\frac{4\\pi G M m_p c}{\\sigma_T}$$",
    "",
    "| Mass | Luminosity |",
    "|---|---|",
    "| $1\\,M_\\odot$ | $1.26\\times10^{38}$ erg/s |",
    "",
    "```python",
    "from astropy import units as u",
    "print((1.26e39 * u.erg / u.s).to(u.W))",
    "```"
].join("\n");

describe("chat panel in VS Code", () => {
    let server: CodeServer | undefined;
    let workbench: Workbench | undefined;
    let workspace: string;

    before(async () => {
        workspace = createWorkspace({"notes.md": "# Observing log\n"});
        const model = await writeScriptedModel(path.join(workspace, "AstroSage-8B-rich.gguf"), richAnswer);
        ({server, workbench} = await openVsCode("chat-panel", workspace,
            {"astrosage.model.path": model.path, "astrosage.engine.threads": 1, "workbench.colorTheme": "Default Light Modern"}));
        await workbench.openViewContainer("AstroSage");
    });

    after(async () => {
        await closeVsCode("chat-panel", {server, workbench});
        fs.rmSync(workspace, {recursive: true, force: true});
    });

    async function chat(): Promise<Frame> {
        return workbench!.chatFrame();
    }

    test("an answer with reasoning, math, a table and code renders; the reasoning is folded and unfolds", async () => {
        const frame = await chat();
        const index = await sendPrompt(frame, "What is the Eddington luminosity of a 10 solar-mass black hole?");
        await waitForAnswer(frame, {index, contains: "Eddington luminosity"});
        const answer = frame.locator(".message.assistant").nth(index);

        assert.equal(await answer.locator(".answer strong").textContent(), "Eddington luminosity");
        assert.ok(await answer.locator(".answer .katex").count() >= 3, "inline and display math rendered by KaTeX");
        assert.equal(await answer.locator(".answer .katex-display").count(), 1);
        assert.equal(await answer.locator(".answer table td").count(), 2);
        assert.ok(await answer.locator(".answer pre code.hljs .hljs-keyword").count() > 0, "the code is highlighted");
        assert.equal(await answer.locator(".answer .code-block [data-action=insert]").count(), 1);

        const thought = answer.locator("details.thought");
        assert.equal(await thought.getAttribute("open"), null, "the reasoning is folded");
        assert.match(await thought.locator("summary").textContent() ?? "", /^Thought for \d+\.\d s · \d+ tokens$/);
        await workbench!.screenshot("chat-panel-light");
        await thought.locator("summary").click();
        assert.equal(await thought.getAttribute("open"), "");
        assert.match(await thought.locator(".thought-content").textContent() ?? "", /radiation pressure/);
        await workbench!.screenshot("chat-panel-light-reasoning");
    });

    test("Insert on a code block puts the code into the editor at the cursor", async () => {
        const frame = await chat();
        await workbench!.openFile("notes.md");
        const {page} = workbench!;
        // Monaco draws spaces as no-break spaces: match single words.
        await page.locator(".monaco-editor .view-lines", {hasText: "Observing"}).waitFor();
        await frame.locator(".code-block [data-action=insert]").first().click();
        await page.locator(".monaco-editor .view-line", {hasText: "astropy"}).waitFor();
        // The block lands on lines of its own, above the heading the cursor was on.
        assert.deepEqual((await page.locator(".monaco-editor .view-line").allTextContents()).slice(0, 3).map((line) => line.replace(/\u00a0/g, " ")),
            ["from astropy import units as u", "print((1.26e39 * u.erg / u.s).to(u.W))", "# Observing log"]);
    });

    test("New Chat empties the panel; after a window reload (now in the dark theme) the earlier chat is listed and opens", async () => {
        let frame = await chat();
        await workbench!.runCommand("AstroSage: New Chat");
        await frame.locator("#messages.empty").waitFor();
        assert.equal(await frame.locator(".message").count(), 0);

        // The theme picker searches the offline marketplace; the setting is what it writes. Read at the reload.
        server!.updateSettings({"workbench.colorTheme": "Default Dark Modern"});
        await workbench!.runCommand("Developer: Reload Window");
        await workbench!.page.locator(".part.activitybar").waitFor();
        await workbench!.openViewContainer("AstroSage");
        frame = await chat();

        await workbench!.runCommand("AstroSage: Open Past Chat…");
        const row = workbench!.page.locator(".quick-input-list .monaco-list-row", {hasText: "What is the Eddington luminosity"});
        await row.first().waitFor();
        await row.first().click();
        frame = await chat();
        await frame.locator(".message.user", {hasText: "What is the Eddington luminosity"}).waitFor();
        assert.ok(await frame.locator(".message.assistant .katex").count() >= 3, "the reopened answer is rendered again");
        assert.ok(await frame.evaluate(() => document.body.classList.contains("vscode-dark")), "the chat follows the dark theme");
        await frame.locator("details.thought summary").click();
        await workbench!.screenshot("chat-panel-dark-reopened");
    });

    test("Export writes the chat as a Markdown file", async () => {
        const target = path.join(workspace, "eddington-chat.md");
        await workbench!.runCommand("AstroSage: Export Chat as Markdown…");
        await chooseInFileDialog(workbench!.page, target);
        await waitForFile(target);
        const markdown = fs.readFileSync(target, "utf8");
        assert.match(markdown, /^# What is the Eddington luminosity/);
        assert.ok(markdown.includes("$$L_{\\rm Edd} = \\frac{4\\pi G M m_p c}{\\sigma_T}$$"), "math kept verbatim");
        assert.ok(markdown.includes("```python\nfrom astropy import units as u"), "code kept verbatim");
    });
});

async function waitForFile(file: string, timeoutMs = 10_000) {
    const started = Date.now();
    while (!fs.existsSync(file)) {
        if (Date.now() - started > timeoutMs)
            throw new Error(`${file} was not written`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}
