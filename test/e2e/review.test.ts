// End to end: "AstroSage: Review Manuscript" on a one-file paper in code-server,
// refereed by a scripted model through the real engine (its answer held to the
// review's JSON schema): each finding is a comment thread at the lines it
// quotes (a quote not found sits at its section's heading), the deterministic
// check's finding is shown the same way, the Review view lists them by section,
// and "Apply Suggestion" rewrites exactly the quote in one edit that one Undo restores.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import type {Page} from "playwright-core";
import {writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import type {CodeServer} from "./support/codeServer.ts";
import {projectRoot} from "./support/paths.ts";
import {closeVsCode, openVsCode} from "./support/vscodeSession.ts";
import type {Workbench} from "./support/workbench.ts";
import {createWorkspace} from "./support/workspace.ts";

/** The referee's answer: quotes copied from ms.tex (one across a line break, one not in the paper). */
const review = {
    findings: [
        {
            quote: "frequentist coverge of the Bayesian credible levels",
            category: "language",
            severity: "minor",
            comment: "Typo: coverge should read coverage.",
            suggestion: "frequentist coverage of the Bayesian credible levels"
        },
        {
            quote: "converges weakly (check this, maybe converges in distribution or probability?",
            category: "correctness",
            severity: "major",
            comment: "A note to the authors was left in the text; state which mode of convergence holds and show it.",
            suggestion: null
        },
        {
            quote: "The posterior is always unimodal.",
            category: "assumptions",
            severity: "minor",
            comment: "Say under which priors the posterior is unimodal.",
            suggestion: null
        }
    ]
};

describe("Review Manuscript in VS Code", () => {
    let server: CodeServer | undefined;
    let workbench: Workbench | undefined;
    let workspace: string;

    before(async () => {
        workspace = createWorkspace();
        fs.cpSync(path.join(projectRoot, "test/fixtures/latex/farr-normalnormal/src/tex"), path.join(workspace, "paper"), {recursive: true});
        fs.mkdirSync(path.join(workspace, ".models"));
        const model = await writeScriptedModel(path.join(workspace, ".models", "AstroSage-8B-scripted.gguf"), JSON.stringify(review));
        ({server, workbench} = await openVsCode("review", workspace, {
            "astrosage.model.path": model.path,
            "astrosage.engine.threads": 1,
            // The paper is read as one part, so the scripted answer is given once.
            "astrosage.model.contextSize": 32768
        }));
    });

    after(async () => {
        await closeVsCode("review", {server, workbench});
        fs.rmSync(workspace, {recursive: true, force: true});
    });

    test("findings become comment threads at their quotes, with the check's, and the Review view lists them", async () => {
        const page = workbench!.page;
        await workbench!.openFile("ms.tex");
        // The cursor is in the preamble, outside any section: the whole manuscript is reviewed without asking.
        await workbench!.runCommand("AstroSage: Review Manuscript");

        // The check needs no model: its thread is there before the referee's.
        const done = page.locator(".notifications-toasts .notification-toast", {hasText: /Reviewed ms\.tex/});
        await done.waitFor({timeout: 240_000});
        assert.match(await done.textContent() ?? "", /Reviewed ms\.tex \(the whole manuscript\): 4 findings/);

        // Next Finding goes through them in document order, selecting each quote and unfolding its comment.
        const expected = [
            {label: "Finding 1 of 4 · Assumptions · Minor", line: 40, text: "was not found in §1 Introduction"},
            {label: "Finding 2 of 4 · Language · Minor", line: 55, text: "Typo: coverge should read coverage."},
            {label: "Finding 3 of 4 · Correctness · Major", line: 95, text: "A note to the authors was left in the text"},
            {label: "Check 4 of 4 · References · Suggestion", line: 103, text: "eq:mu-hat"}
        ];
        for (const [index, finding] of expected.entries()) {
            await workbench!.runCommand("AstroSage: Next Finding");
            await page.locator(".part.statusbar .statusbar-item", {hasText: new RegExp(`Ln ${finding.line}, Col`)}).waitFor();
            const thread = commentThread(page, finding.label);
            await thread.waitFor();
            assert.match(await thread.textContent() ?? "", new RegExp(escapeRegExp(finding.text)));
            if (index === 1)
                await workbench!.screenshot("review-thread");
        }
        // The check is marked as one.
        assert.match(await commentThread(page, "Check 4 of 4").textContent() ?? "", /AstroSage check/);
        // The quote across a line break is selected whole (lines 95–96, 77 characters).
        await workbench!.runCommand("AstroSage: Previous Finding");
        await page.locator(".part.statusbar .statusbar-item", {hasText: /Ln 95, Col \d+ \(77 selected\)/}).waitFor();

        // The Review view: one section, its four findings.
        await workbench!.openViewContainer("AstroSage");
        const tree = page.locator(".pane", {has: page.locator(".pane-header", {hasText: /Review/})});
        await tree.locator(".monaco-list-row", {hasText: "§1 Introduction"}).waitFor();
        const items = await tree.locator(".monaco-list-row").allTextContents();
        assert.equal(items.length, 5, `a section and its four findings: ${items.join(" | ")}`);
        assert.ok(items.some((item) => /Typo: coverge should read coverage\..*Minor · Language · line 55/.test(item)), items.join(" | "));
        assert.ok(items.some((item) => /Assumptions · quote not found/.test(item)), items.join(" | "));
        await workbench!.screenshot("review-tree");
    });

    test("Apply Suggestion rewrites exactly the quote, and one Undo restores it", async () => {
        const page = workbench!.page;
        // From finding 3 (shown last) on to 4, round to 1, then 2: the one with a rewrite.
        for (let step = 0; step < 3; step++)
            await workbench!.runCommand("AstroSage: Next Finding");
        const thread = commentThread(page, "Finding 2 of 4");
        await thread.waitFor();
        await thread.locator(".head [aria-label=\"Apply Suggestion\"]").click();

        await lineWith(page, "frequentist coverage of the Bayesian credible levels from this model.").waitFor();
        assert.equal(await lineWith(page, "coverge").count(), 0, "the typo is gone");
        // Only the quote changed: the words around it are as they were.
        await lineWith(page, "coverage; here we explore alternative prior choices that can improve the").waitFor();
        await commentThread(page, "Finding 2 of 4").waitFor({state: "detached"});
        await page.locator(".review-widget", {hasText: "of 3 ·"}).first().waitFor({state: "attached"});
        await workbench!.screenshot("review-applied");

        await page.keyboard.press("Control+z");
        await lineWith(page, "frequentist coverge of the Bayesian credible levels from this model.").waitFor();
        assert.equal(await lineWith(page, "frequentist coverage of the Bayesian").count(), 0, "one Undo restored the quote");
        await workbench!.screenshot("review-undone");
    });

    test("Discuss in Chat opens a new chat carrying the finding and the lines around it", async () => {
        const page = workbench!.page;
        const thread = commentThread(page, "Finding 2 of 3 · Correctness · Major");
        await workbench!.runCommand("AstroSage: Next Finding");
        await thread.waitFor();
        await thread.locator(".head [aria-label=\"Discuss in Chat\"]").click();
        const frame = await workbench!.chatFrame();
        const question = frame.locator(".message.user").last();
        await question.waitFor({timeout: 60_000});
        assert.match(await question.locator(".text").textContent() ?? "", /^A referee's comment on my manuscript says: "A note to the authors was left in the text/);
        assert.equal(await question.locator(".context").textContent(), "ms.tex:95 (review finding)");
        await workbench!.screenshot("review-discuss");
    });
});

/** A comment thread's widget in the editor, by its label. */
function commentThread(page: Page, label: string) {
    return page.locator(".review-widget", {has: page.locator(".head", {hasText: label})}).first();
}

/** The editor's rendered lines holding `text` (Monaco renders spaces as no-break spaces). */
function lineWith(page: Page, text: string) {
    return page.locator(".monaco-editor .view-lines .view-line").filter({hasText: text});
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
