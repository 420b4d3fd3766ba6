// End to end: a review stopped and resumed, and a review with reasoning on, in
// code-server with scripted models through the real engine.
// - Farr's paper in a context of 8192 tokens is reviewed in three parts. The
//   review's Cancel after the first part keeps that part's findings and offers
//   "Resume Review"; "AstroSage: Resume Review" reviews only the other two, so
//   the findings end up exactly those of a review that was never stopped.
// - With reasoning on, the model's thought is folded in the chat's answer and
//   no comment in the editor carries a word of it.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import type {Page} from "playwright-core";
import {writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {waitForAnswer} from "./support/chatView.ts";
import {projectRoot} from "./support/paths.ts";
import {closeVsCode, openVsCode, type VsCodeSession} from "./support/vscodeSession.ts";
import type {Workbench} from "./support/workbench.ts";
import {createWorkspace} from "./support/workspace.ts";

/**
 * Short words that are each one token for the scripted model, all different
 * ("bc", "bd", …, then "bbc", …): three or four characters a token, so a
 * comment of 600 characters takes ~170 tokens and a part's answer a moment to write.
 */
const consonants = [..."bcdfghjklmnpqrstvwxz"];
const paddingWords = [
    ...consonants.flatMap((first) => consonants.map((second) => first + second)),
    ...consonants.flatMap((first) => consonants.flatMap((second) => consonants.map((third) => first + second + third)))
];

/** `text`, then padding words from the `from`th on, up to about `characters` (the schema allows 600 per comment). */
function padded(text: string, from: number, characters = 590): string {
    let comment = text;
    for (let index = from; comment.length + paddingWords[index]!.length + 1 <= characters; index++)
        comment += ` ${paddingWords[index]}`;
    return comment;
}

/**
 * The same answer for every part: the typo's quote is in the first part only
 * (line 55), the note's in the last only (line 178). Elsewhere a quote is not
 * found and its comment sits at the part's first line.
 */
const stopReview = {
    findings: [
        {
            quote: "frequentist coverge of the Bayesian credible levels",
            category: "language",
            severity: "minor",
            comment: padded("Typo: coverge should read coverage.", 0),
            suggestion: "frequentist coverage of the Bayesian credible levels"
        },
        {
            quote: "TODO: discussing calibration of the frequentist coverage of the Bayesian",
            category: "clarity",
            severity: "major",
            comment: padded("A note to the authors is left at the end; write the discussion or remove the note.", 200),
            suggestion: padded("Our discussion of calibration follows.", 400, 390)
        },
        {
            quote: padded("A sentence the paper does not have:", 600, 290),
            category: "uncertainties",
            severity: "suggestion",
            comment: padded("Quote the uncertainties of the estimators.", 700),
            suggestion: padded("With uncertainties:", 900, 390)
        }
    ]
};

/** Words that are in the thought and in no finding. */
const thoughtWords = ["Pondering", "heteroskedastic", "bootstrap", "calibrations", "carefully"];
const thought = "Pondering whether the heteroskedastic case needs bootstrap calibrations; checking carefully before listing findings.";
const reasoningReview = {
    findings: [
        {
            quote: "The posterior is always unimodal.",
            category: "assumptions",
            severity: "minor",
            comment: "Say under which priors the posterior has one mode.",
            suggestion: null
        },
        {
            quote: "frequentist coverge of the Bayesian credible levels",
            category: "language",
            severity: "minor",
            comment: "Typo: coverge should read coverage.",
            suggestion: "frequentist coverage of the Bayesian credible levels"
        }
    ]
};

describe("Review Manuscript stopped and resumed in VS Code", () => {
    let session: Partial<VsCodeSession> = {};
    let workbench: Workbench | undefined;
    let workspace: string;

    before(async () => {
        workspace = paperWorkspace();
        const model = await writeScriptedModel(path.join(workspace, ".models", "AstroSage-8B-referee.gguf"), JSON.stringify(stopReview));
        session = await openVsCode("review-resume", workspace, {
            "astrosage.model.path": model.path,
            "astrosage.engine.threads": 1,
            // Three parts: §1 Introduction (part 1 of 3) from line 40, part 2 from line 100, part 3 from line 174.
            "astrosage.model.contextSize": 8192,
            // The Review view's title actions (Resume Review among them) shown without hovering.
            "workbench.view.alwaysShowHeaderActions": true
        });
        workbench = session.workbench;
    });

    after(async () => {
        await closeVsCode("review-resume", session);
        fs.rmSync(workspace, {recursive: true, force: true});
    });

    test("a stopped review keeps its parts' findings, offers Resume, and Resume reviews only the rest", async () => {
        const page = workbench!.page;
        await workbench!.openFile("ms.tex");

        // A review that is not stopped: what the resumed one must end with.
        await workbench!.runCommand("AstroSage: Review Manuscript");
        const done = toast(page, /Reviewed ms\.tex \(the whole manuscript\): \d+ findings/);
        await done.waitFor({timeout: 300_000});
        const fullCount = Number(/: (\d+) findings/.exec(await done.textContent() ?? "")![1]);
        // The check's finding and three per part.
        assert.equal(fullCount, 10, await done.textContent() ?? "");
        await threads(page).nth(fullCount - 1).waitFor({state: "attached"});
        assert.equal(await threads(page).count(), fullCount);
        const fullLines = await threadsPerLine(page, workbench!, fullCount);
        // The typo's quote is found once (in the first part), and so is the note's (in the last).
        assert.equal(fullLines.get(55), 1, describeLines(fullLines));
        assert.equal(fullLines.get(178), 1, describeLines(fullLines));
        await closeToasts(workbench!);

        // The same review again, stopped once the first part's findings are shown.
        await workbench!.runCommand("AstroSage: Review Manuscript");
        const progress = toast(page, /AstroSage: reviewing ms\.tex/);
        await progress.waitFor({timeout: 60_000});
        // A new review clears the findings; the check's comes back first, then the first part's three
        // (threads are numbered out of all the findings shown: "Finding 2 of 4").
        await page.locator(".review-widget .head", {hasText: / of 4 · /}).first().waitFor({state: "attached", timeout: 300_000});
        await progress.locator(".monaco-button", {hasText: /^Cancel$/}).click();

        const stopped = toast(page, /The review of ms\.tex \(the whole manuscript\) stopped after/);
        await stopped.waitFor({timeout: 120_000});
        const stoppedText = await stopped.textContent() ?? "";
        const match = /stopped after (\d+) of (\d+) parts; (\d+) findings so far/.exec(stoppedText);
        assert.ok(match != null, stoppedText);
        const [reviewedParts, parts, soFar] = [Number(match[1]), Number(match[2]), Number(match[3])];
        assert.equal(parts, 3, stoppedText);
        assert.ok(reviewedParts >= 1 && reviewedParts < parts, stoppedText);
        // The finished parts' findings stay: the check's and three per part.
        assert.equal(soFar, 1 + 3 * reviewedParts, stoppedText);
        assert.equal(await threads(page).count(), soFar);
        assert.equal(await stopped.locator(".monaco-button", {hasText: /^Resume Review$/}).count(), 1, "the notification offers Resume Review");

        // The Review view offers Resume in its title bar.
        await workbench!.openViewContainer("AstroSage");
        const reviewPane = page.locator(".pane", {has: page.locator(".pane-header", {hasText: /Review/})});
        await reviewPane.locator(".pane-header .actions [aria-label=\"Resume Review\"]").waitFor();
        // The Review view lists the findings kept: one section and its findings.
        await reviewPane.locator(".monaco-list-row").nth(soFar).waitFor();
        assert.equal(await reviewPane.locator(".monaco-list-row").count(), 1 + soFar);
        await workbench!.screenshot("review-resume-stopped");

        await workbench!.runCommand("AstroSage: Resume Review");
        // Only the parts not yet reviewed are asked for.
        const remaining = parts - reviewedParts;
        await toast(page, new RegExp(`AstroSage: reviewing ms\\.tex.*\\(\\d of ${remaining}\\)`)).waitFor({timeout: 120_000});
        const resumed = toast(page, /Reviewed ms\.tex \(the whole manuscript\): \d+ findings/);
        await resumed.waitFor({timeout: 300_000});
        assert.match(await resumed.textContent() ?? "", new RegExp(`: ${fullCount} findings`));
        await threads(page).nth(fullCount - 1).waitFor({state: "attached"});
        assert.equal(await threads(page).count(), fullCount, "as many threads as a review that was not stopped");
        // No part reviewed twice: each line has as many threads as after the full review.
        const resumedLines = await threadsPerLine(page, workbench!, fullCount);
        assert.equal(describeLines(resumedLines), describeLines(fullLines));
        // Resume is no longer offered.
        await reviewPane.locator(".pane-header .actions [aria-label=\"Resume Review\"]").waitFor({state: "detached"});
        await reviewPane.locator(".monaco-list-row").nth(fullCount).waitFor();
        assert.equal(await reviewPane.locator(".monaco-list-row").count(), 1 + fullCount);
        await workbench!.openFile("ms.tex");
        await workbench!.runCommand("AstroSage: Next Finding");
        await page.locator(".part.statusbar .statusbar-item", {hasText: /Ln 40, Col/}).waitFor();
        await page.locator(".review-widget .head", {hasText: /Finding 1 of 10/}).waitFor();
        await workbench!.screenshot("review-resume-resumed");
        await closeToasts(workbench!);
    });
});

describe("Review Manuscript with reasoning in VS Code", () => {
    let session: Partial<VsCodeSession> = {};
    let workbench: Workbench | undefined;
    let workspace: string;

    before(async () => {
        workspace = paperWorkspace();
        const model = await writeScriptedModel(path.join(workspace, ".models", "AstroSage-8B-thinking.gguf"), `<think>${thought}</think>${JSON.stringify(reasoningReview)}`);
        session = await openVsCode("review-reasoning", workspace, {
            "astrosage.model.path": model.path,
            "astrosage.engine.threads": 1,
            "astrosage.chat.reasoning": true,
            // One part: the scripted answer is given once.
            "astrosage.model.contextSize": 32768
        });
        workbench = session.workbench;
    });

    after(async () => {
        await closeVsCode("review-reasoning", session);
        fs.rmSync(workspace, {recursive: true, force: true});
    });

    test("with reasoning on, the thought is folded in the chat and the comments carry only the findings", async () => {
        const page = workbench!.page;
        await workbench!.openViewContainer("AstroSage");
        const frame = await workbench!.chatFrame();
        await frame.locator("#status", {hasText: /AstroSage-8B-thinking/}).waitFor({timeout: 60_000});
        await frame.waitForFunction(() => (document.getElementById("reasoning") as HTMLInputElement | null)?.checked === true, undefined, {timeout: 30_000});

        await workbench!.openFile("ms.tex");
        // The cursor is in the preamble, outside any section: the whole manuscript is reviewed without asking.
        await workbench!.runCommand("AstroSage: Review Manuscript");
        const done = toast(page, /Reviewed ms\.tex \(the whole manuscript\): \d+ findings/);
        await done.waitFor({timeout: 300_000});
        // The check's finding and the model's two.
        assert.match(await done.textContent() ?? "", /: 3 findings/);

        // The review is a chat turn: its thought is in the answer's folded reasoning section.
        const chat = await workbench!.chatFrame();
        const shown = await waitForAnswer(chat, {contains: /Reviewed 1 of 1 part/, timeoutMs: 60_000});
        assert.match(shown.answer, /2 findings from the model/);
        assert.ok(shown.thought.includes(thought), `the thought: ${shown.thought}`);
        const details = chat.locator(".message.assistant").last().locator("details.thought");
        assert.equal(await details.count(), 1);
        assert.equal(await details.getAttribute("open"), null, "the reasoning is folded");
        for (const word of thoughtWords)
            assert.ok(!shown.answer.includes(word), `the answer is not the thought: ${shown.answer}`);

        // The comments carry the findings and nothing of the thought.
        await threads(page).nth(2).waitFor({state: "attached"});
        const comments = await threads(page).allTextContents();
        assert.equal(comments.length, 3);
        assert.ok(comments.some((text) => text.includes("Say under which priors the posterior has one mode.")), comments.join(" | "));
        assert.ok(comments.some((text) => text.includes("Typo: coverge should read coverage.")), comments.join(" | "));
        for (const word of thoughtWords)
            assert.ok(comments.every((text) => !text.includes(word)), `"${word}" is in a comment: ${comments.join(" | ")}`);
        await workbench!.runCommand("AstroSage: Next Finding");
        await page.locator(".part.statusbar .statusbar-item", {hasText: /Ln 40, Col/}).waitFor();
        await page.locator(".review-widget .head", {hasText: /Finding 1 of 3/}).waitFor();
        await workbench!.screenshot("review-reasoning");
    });
});

/** A scratch workspace holding Farr's paper in paper/ and an empty .models/. */
function paperWorkspace(): string {
    const workspace = createWorkspace();
    fs.cpSync(path.join(projectRoot, "test/fixtures/latex/farr-normalnormal/src/tex"), path.join(workspace, "paper"), {recursive: true});
    fs.mkdirSync(path.join(workspace, ".models"));
    return workspace;
}

/** A notification toast whose text matches. */
function toast(page: Page, text: RegExp) {
    return page.locator(".notifications-toasts .notification-toast", {hasText: text}).first();
}

/** The review's comment threads in the editor (one widget each, shown or scrolled away). */
function threads(page: Page) {
    return page.locator(".monaco-editor .review-widget");
}

/** Closes the notification toasts so that later waits see only new ones. */
async function closeToasts(workbench: Workbench) {
    await workbench.runCommand("Notifications: Clear All Notifications");
    await workbench.page.locator(".notifications-toasts .notification-toast").first().waitFor({state: "detached"});
}

/** How many comment threads each line has, read from the Comments panel (`[Ln 55]`). */
async function threadsPerLine(page: Page, workbench: Workbench, expected: number): Promise<Map<number, number>> {
    await workbench.runCommand("View: Focus Problems (Errors, Warnings, Infos)");
    await page.locator(".part.panel .composite-bar a.action-label[aria-label^=\"Comments\"]").click();
    // Every row shown (the list draws only the rows in view).
    await workbench.runCommand("View: Toggle Maximized Panel");
    const ranges = page.locator(".part.panel .monaco-list-row .comment-metadata .range");
    await ranges.nth(expected - 1).waitFor();
    const lines = await ranges.allTextContents();
    await workbench.runCommand("View: Toggle Maximized Panel");
    assert.equal(lines.length, expected, lines.join(" | "));
    const perLine = new Map<number, number>();
    for (const text of lines) {
        const line = Number(/Ln (\d+)/.exec(text)?.[1]);
        perLine.set(line, (perLine.get(line) ?? 0) + 1);
    }
    return perLine;
}

function describeLines(perLine: Map<number, number>): string {
    return [...perLine].sort(([a], [b]) => a - b).map(([line, count]) => `${line}:${count}`).join(" ");
}
