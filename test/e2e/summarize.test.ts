// End to end: "AstroSage: Summarize LaTeX" on a real multi-file manuscript (the
// Rubin DP1 paper, 22 files read) in code-server, answered by a scripted model
// through the real engine: the summary streams into the chat with a link per
// section, and a link opens the right file at the right line.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {sendPrompt, waitForAnswer} from "./support/chatView.ts";
import type {CodeServer} from "./support/codeServer.ts";
import {projectRoot} from "./support/paths.ts";
import {closeVsCode, openVsCode} from "./support/vscodeSession.ts";
import type {Workbench} from "./support/workbench.ts";
import {createWorkspace} from "./support/workspace.ts";

const partSummary = "The survey reaches $r \\approx 24.5$ mag over 15 deg$^2$ with a median seeing of $1.1''$.";

describe("Summarize LaTeX in VS Code", () => {
    let server: CodeServer | undefined;
    let workbench: Workbench | undefined;
    let workspace: string;

    before(async () => {
        workspace = createWorkspace();
        fs.cpSync(path.join(projectRoot, "test/fixtures/latex/rubin-dp1-rtn095"), path.join(workspace, "rtn-095"), {recursive: true});
        fs.mkdirSync(path.join(workspace, ".models"));
        const model = await writeScriptedModel(path.join(workspace, ".models", "AstroSage-8B-scripted.gguf"), partSummary);
        ({server, workbench} = await openVsCode("summarize", workspace, {
            "astrosage.model.path": model.path,
            "astrosage.engine.threads": 1,
            "astrosage.model.contextSize": 16384
        }));
    });

    after(async () => {
        await closeVsCode("summarize", {server, workbench});
        fs.rmSync(workspace, {recursive: true, force: true});
    });

    test("the whole manuscript is summarized section by section with links, and a link opens its file at its line", async () => {
        const page = workbench!.page;
        await workbench!.openFile("introduction.tex");
        await workbench!.runCommand("AstroSage: Summarize LaTeX");

        // The cursor is in §1, so the command asks: this section, or the whole manuscript?
        const rows = page.locator(".quick-input-widget .quick-input-list .monaco-list-row");
        await rows.filter({hasText: "Current section"}).filter({hasText: "§1 Introduction"}).waitFor();
        await rows.filter({hasText: "Whole manuscript"}).click();

        const frame = await workbench!.chatFrame();
        const answer = frame.locator(".message.assistant").last();
        await answer.locator("a.source-link").nth(2).waitFor({timeout: 120_000});
        const progress = (await workbench!.notifications()).find((text) => text.includes("summarizing RTN-095.tex"));
        assert.ok(progress != null, "a progress notification names the manuscript");
        await workbench!.screenshot("summarize-progress");

        const shown = await waitForAnswer(frame, {contains: "Overall summary", timeoutMs: 300_000});
        assert.match(shown.answer, /Not found, summarized without: authors \(RTN-095\.tex:45\)/);
        const question = frame.locator(".message.user").last();
        assert.equal(await question.locator(".text").textContent(), "Summarize \"The Vera C. Rubin Observatory Data Preview 1\"");
        assert.equal(await question.locator(".context").textContent(), "RTN-095.tex (abstract and outline)", "follow-ups carry the paper's outline");
        const links = answer.locator("a.source-link");
        assert.ok(await links.count() >= 20, `a link per section: ${await links.count()}`);
        assert.ok(await answer.locator(".katex").count() > 0, "the summaries' math is typeset");

        // §2.3's heading is line 108 of commissioning.tex.
        const link = links.filter({hasText: "§2.3 Flat–field System"});
        assert.equal(await link.textContent(), "§2.3 Flat–field System — commissioning.tex:108");
        await link.click();
        await page.locator(".tabs-container .tab.active", {hasText: "commissioning.tex"}).waitFor();
        await page.locator(".part.statusbar .statusbar-item", {hasText: /Ln 108, Col 1/}).waitFor();
        await workbench!.screenshot("summarize-link-opened");
    });

    test("a follow-up question in the summary's chat is answered about the paper", async () => {
        const frame = await workbench!.chatFrame();
        const index = await sendPrompt(frame, "How deep do the DP1 coadds reach?");
        const shown = await waitForAnswer(frame, {index, contains: "24.5", timeoutMs: 120_000});
        assert.match(shown.answer, /^The survey reaches .*24\.5/);
        assert.equal(await frame.locator(".message.user").count(), 2, "the follow-up continues the summary's chat");
    });
});
