// End to end: "AstroSage: Explain Code" in the packaged extension, in a real
// VS Code (code-server, which has no Python language extension, so the
// function is found by the extension's own reading of the file) driven in
// Chromium, answered by a scripted model through the real engine.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {fileURLToPath} from "node:url";
import type {Page} from "playwright-core";
import {writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {waitForAnswer} from "./support/chatView.ts";
import type {CodeServer} from "./support/codeServer.ts";
import {closeVsCode, openVsCode} from "./support/vscodeSession.ts";
import type {Workbench} from "./support/workbench.ts";
import {createWorkspace} from "./support/workspace.ts";

const fixture = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/code/photometry.py"), "utf8");

/** A reduction script whose one function is longer than AstroSage explains at a time. */
const longScript = [
    "import numpy as np",
    "",
    "",
    "def reduce_night(frames):",
    ...Array.from({length: 400}, (_, i) => `    frame_${i} = np.median(frames[${i}], axis=0)  # bias level ${i}`),
    "    return frames",
    ""
].join("\n");

const answerScript = [
    "<think>A Gaussian PSF fitted to a cutout around the source.</think>",
    "`fit_psf` fits a circular 2D Gaussian to a cutout centred on the source and turns its width into a FWHM:",
    "",
    "$$\\mathrm{FWHM} = 2\\sqrt{2\\ln 2}\\,\\sigma \\approx 2.355\\,\\sigma$$",
    "",
    "1. The cutout is indexed `data[y, x]`, numpy's row-major order.",
    "2. `pixel_scale` must be in arcsec per pixel for the FWHM to come out in arcsec.",
    "3. Pitfall: near the image edge the slice is silently truncated and the fit is biased."
].join("\n");

describe("Explain Code in VS Code", () => {
    let server: CodeServer | undefined;
    let workbench: Workbench | undefined;
    let workspace: string;

    before(async () => {
        workspace = createWorkspace({"photometry.py": fixture, "reduce_night.py": longScript});
        const modelDir = path.join(workspace, ".models");
        fs.mkdirSync(modelDir);
        const model = await writeScriptedModel(path.join(modelDir, "AstroSage-8B-explain.gguf"), answerScript);
        ({server, workbench} = await openVsCode("explain-code", workspace, {"astrosage.model.path": model.path, "astrosage.engine.threads": 1}));
    });

    after(async () => {
        await closeVsCode("explain-code", {server, workbench});
        fs.rmSync(workspace, {recursive: true, force: true});
    });

    test("the method at the cursor is explained in a new chat, from the command palette", async () => {
        const {page} = workbench!;
        await workbench!.openFile("photometry.py");
        await goToLine(page, 60);
        await workbench!.runCommand("AstroSage: Explain Code");

        const frame = await workbench!.chatFrame();
        const question = frame.locator(".message.user").last();
        // The chip names the method's lines, its decorator included.
        await question.locator(".context", {hasText: "photometry.py:50-68"}).waitFor({timeout: 30_000});
        assert.equal(await question.locator(".text").textContent(), "Explain `PointSource.fit_psf` in photometry.py (Python, astropy, numpy, scipy)");
        const shown = await waitForAnswer(frame, {contains: "2.355"});
        assert.match(shown.answer, /^fit_psf fits a circular 2D Gaussian/);
        assert.match(shown.answer, /near the image edge the slice is silently truncated/);
        assert.equal(await frame.locator(".message.user").count(), 1, "a new chat holds only this question");
        assert.ok(await frame.locator(".message.assistant .katex-display").count() === 1, "the formula is typeset");
        await frame.locator("#status", {hasText: "ready on CPU"}).waitFor();
        const screenshot = await workbench!.screenshot("explain-code");
        assert.ok(fs.statSync(screenshot).size > 10_000);

        // What the model read: the method, the file's imports, the definitions it uses and the checks.
        const stored = await storedChat("photometry.py:50-68");
        const attachment = stored.messages[0]!.attachment ?? "";
        assert.match(attachment, /^Code from photometry\.py \(Python\): `PointSource\.fit_psf`, lines 50-68\./);
        assert.match(attachment, /```python\nimport functools\n[^`]*from astropy import units as u\n/);
        assert.match(attachment, /\ndef gaussian_2d\(xy, amplitude, x0, y0, sigma, background\):\n/);
        assert.match(attachment, /\nFWHM_TO_SIGMA = 1\.0 \/ \(2\.0 \* np\.sqrt\(2\.0 \* np\.log\(2\.0\)\)\)\n/);
        assert.match(attachment, /The code to explain:\n```python\n {4}@u\.quantity_input\(\n/);
        assert.match(attachment, /\n- scipy\.optimize: the optimizer's assumptions/);
    });

    test("a selection, by Ctrl+Alt+E in the editor, starts another new chat", async () => {
        const {page} = workbench!;
        await page.locator(".tabs-container .tab", {hasText: "photometry.py"}).click();
        await goToLine(page, 71);
        for (let i = 0; i < 4; i++)
            await page.keyboard.press("Shift+ArrowDown");
        await page.locator(".statusbar-item", {hasText: /Ln 75, Col 1 \(.*selected\)/}).waitFor();
        await page.keyboard.press("Control+Alt+E");

        const frame = await workbench!.chatFrame();
        await frame.locator(".message.user .context", {hasText: "photometry.py:71-74"}).waitFor({timeout: 30_000});
        assert.equal(await frame.locator(".message.user .text").textContent(), "Explain lines 71-74 of photometry.py (Python, numpy)");
        await waitForAnswer(frame, {contains: "2.355"});
        assert.equal(await frame.locator(".message.user").count(), 1);
    });

    test("on a blank line outside any function, a notification says what to do", async () => {
        const {page} = workbench!;
        await page.locator(".tabs-container .tab", {hasText: "photometry.py"}).click();
        await goToLine(page, 21);
        await workbench!.runCommand("AstroSage: Explain Code");
        // What to do comes first: a toast shows only the start of a long message.
        const message = "Select code or put the cursor inside a function to explain it: there is no code at the cursor.";
        await page.locator(".notifications-toasts .notification-toast.notification-fade-in-done", {hasText: message}).waitFor();
        assert.ok((await workbench!.notifications()).includes(message));
        await workbench!.screenshot("explain-code-no-code");
    });

    test("a function too long to explain: the warning's button explains its first lines", async () => {
        const {page} = workbench!;
        await workbench!.openFile("reduce_night.py");
        await goToLine(page, 200);
        await workbench!.runCommand("AstroSage: Explain Code");
        const toast = page.locator(".notifications-toasts .notification-toast.notification-fade-in-done", {hasText: "reduce_night (lines 4-405) is too long to explain whole"});
        await toast.waitFor();
        await workbench!.screenshot("explain-code-too-long");
        await toast.getByRole("button", {name: "First 190 lines"}).click();

        const frame = await workbench!.chatFrame();
        await frame.locator(".message.user .context", {hasText: "reduce_night.py:4-193"}).waitFor({timeout: 30_000});
        assert.equal(await frame.locator(".message.user .text").textContent(), "Explain lines 4-193 of reduce_night.py (Python, numpy)");
        await waitForAnswer(frame, {contains: "2.355"});
    });

    /** Moves the cursor to a 1-based line with Go to Line (Ctrl+G), and waits for the status bar to show it. */
    async function goToLine(page: Page, line: number) {
        await page.locator(".monaco-editor .view-lines").first().click();
        await page.keyboard.press("Control+G");
        const input = page.locator(".quick-input-widget .quick-input-box input");
        await input.waitFor();
        await input.fill(`:${line}`);
        await input.press("Enter");
        await page.locator(".statusbar-item", {hasText: new RegExp(`Ln ${line}, Col`)}).waitFor();
    }

    /** The saved chat whose first question carries the chip `label`. */
    async function storedChat(label: string): Promise<{messages: {text: string; context?: string; attachment?: string}[]}> {
        // The chat is saved when its answer ends, which the page may show a moment earlier.
        for (let attempt = 0; attempt < 50; attempt++) {
            for (const file of findFiles(server!.userDataDir, /conversations[\\/][^\\/]+\.json$/)) {
                const chat = JSON.parse(fs.readFileSync(file, "utf8")) as {messages: {text: string; context?: string; attachment?: string}[]};
                if (chat.messages[0]?.context === label)
                    return chat;
            }
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error(`No saved chat for ${label}`);
    }
});

function findFiles(folder: string, pattern: RegExp): string[] {
    return fs.readdirSync(folder, {recursive: true, withFileTypes: true})
        .filter((entry) => entry.isFile())
        .map((entry) => path.join(entry.parentPath, entry.name))
        .filter((file) => pattern.test(file));
}
