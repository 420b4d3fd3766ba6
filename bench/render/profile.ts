/**
 * Where the streaming renderer's frame time goes, near the start of the
 * answer and near its end: the benchmark's streaming side, with a Chromium
 * trace (self time per event on the main thread) and a V8 CPU profile (self
 * time per JavaScript function) taken over two windows of chunks. Comparing
 * the two windows shows which part of a frame grows with the message.
 *
 *     node --import tsx bench/render/profile.ts -- [--chars 80000] [--tokens-per-frame 4] [--window 300] [--top 20]
 *
 * Tracing slows the page, so its absolute figures are higher than the
 * benchmark's; the ratios between the windows are what it is for.
 */
import path from "node:path";
import {parseArgs} from "node:util";
import type {Browser, CDPSession, Page} from "playwright-core";
import {launchChromium} from "../../test/support/chromium.ts";
import {bundlePageScript, openRenderPage} from "../../test/browser/support/renderPage.ts";
import {cutIntoTokens, syntheticAnswer} from "./syntheticAnswer.ts";
import {mainThreadSelfTime} from "./traceSummary.ts";

const TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "cc", "v8", "toplevel"];

type WindowProfile = {label: string; chunks: number; trace: [string, number][]; functions: [string, number][]};

async function profileWindow(browser: Browser, page: Page, devTools: CDPSession, label: string, end: number, chunks: number): Promise<WindowProfile> {
    await browser.startTracing(page, {categories: TRACE_CATEGORIES});
    await devTools.send("Profiler.start");
    await page.evaluate((to) => window.renderBench.streamTo(to), end);
    const {profile} = await devTools.send("Profiler.stop");
    const trace = await browser.stopTracing();
    return {label, chunks, trace: mainThreadSelfTime(trace), functions: functionSelfTime(profile)};
}

type CpuProfile = {nodes: {id: number; callFrame: {functionName: string; url: string; lineNumber: number}}[]; samples?: number[]; timeDeltas?: number[]};

/** Milliseconds of self time per JavaScript function, from the profile's samples. */
function functionSelfTime(profile: CpuProfile): [string, number][] {
    const names = new Map(profile.nodes.map((node) => [node.id, `${node.callFrame.functionName || "(anonymous)"}:${node.callFrame.lineNumber + 1}`]));
    const totals = new Map<string, number>();
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
        // A sample's time is the delta to the next sample.
        const micros = deltas[i + 1] ?? 0;
        const name = names.get(samples[i]) ?? "?";
        totals.set(name, (totals.get(name) ?? 0) + micros / 1000);
    }
    return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

async function main(): Promise<void> {
    const {values} = parseArgs({
        args: process.argv.slice(2).filter((arg) => arg !== "--"),
        options: {
            chars: {type: "string", default: "80000"},
            "tokens-per-frame": {type: "string", default: "4"},
            window: {type: "string", default: "300"},
            top: {type: "string", default: "20"}
        }
    });
    const tokensPerFrame = Number(values["tokens-per-frame"]);
    const windowChunks = Number(values.window);
    const top = Number(values.top);
    const tokens = cutIntoTokens(syntheticAnswer(Number(values.chars)));
    const [browser, script] = await Promise.all([launchChromium(), bundlePageScript(path.join(__dirname, "benchPage.ts"))]);
    try {
        const view = await openRenderPage(browser, script);
        const {page} = view;
        const request = {side: "streaming" as const, tokens, tokensPerFrame, renderEvery: 1};
        await page.evaluate((warmUp) => window.renderBench.warmUp(warmUp), {...request, tokens: tokens.slice(0, 1_500)});
        const devTools = await page.context().newCDPSession(page);
        await devTools.send("Profiler.enable");
        await devTools.send("Profiler.setSamplingInterval", {interval: 200});
        const chunkCount = await page.evaluate((run) => window.renderBench.open(run), request);
        const startFrom = Math.min(200, chunkCount - 2 * windowChunks);
        await page.evaluate((to) => window.renderBench.streamTo(to), startFrom);
        const early = await profileWindow(browser, page, devTools, `chunks ${startFrom}–${startFrom + windowChunks}`, startFrom + windowChunks, windowChunks);
        await page.evaluate((to) => window.renderBench.streamTo(to), chunkCount - windowChunks);
        const late = await profileWindow(browser, page, devTools, `chunks ${chunkCount - windowChunks}–${chunkCount}`, chunkCount, windowChunks);
        await page.evaluate(() => window.renderBench.close());
        await view.close();
        for (const [title, pick] of [["Main thread, self time per trace event", (p: WindowProfile) => p.trace],
            ["JavaScript, self time per function", (p: WindowProfile) => p.functions]] as const) {
            process.stdout.write(`\n${title} (ms per chunk): ${early.label} → ${late.label}\n`);
            const lateByName = new Map(pick(late));
            const earlyByName = new Map(pick(early));
            const names = [...new Set([...pick(late).slice(0, top), ...pick(early).slice(0, top)].map(([name]) => name))]
                .sort((a, b) => (lateByName.get(b) ?? 0) - (lateByName.get(a) ?? 0));
            for (const name of names) {
                const before = (earlyByName.get(name) ?? 0) / early.chunks;
                const after = (lateByName.get(name) ?? 0) / late.chunks;
                process.stdout.write(`  ${name.padEnd(48)} ${before.toFixed(3).padStart(8)} → ${after.toFixed(3).padStart(8)}\n`);
            }
        }
    } finally {
        await browser.close();
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
});
