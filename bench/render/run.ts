/**
 * Render benchmark: what streaming a long answer costs the chat page. The
 * webview's StreamingRenderer (finished blocks rendered once, only the open
 * block re-rendered, once per animation frame) is measured side by side with
 * a naive renderer that renders the whole message again every frame.
 *
 *     npm run bench:render -- [--chars 80000] [--tokens-per-frame 4] [--naive-every 16]
 *                             [--window 500] [--only streaming|naive]
 *
 * The answer (syntheticAnswer.ts) is fixed: ~80,000 characters of prose with
 * inline and display math in every notation, code in Python, Fortran and IDL,
 * tables, lists and quotes, cut into ~20,000 tokens of 2–6 characters.
 *
 * Arrival: the extension posts one message per token; the page appends each
 * one, and the renderer coalesces appends into one update per animation frame.
 * Here each frame gets --tokens-per-frame tokens (default 4: ~240 tokens/s at
 * 60 Hz, faster than a local 8B model writes, so more text per frame than in
 * use), then the frame is rendered and the next chunk waits for it: every
 * chunk costs one render on both sides, and the chunk sequence is identical.
 *
 * The naive side re-renders ~80,000 characters by the end, at over a second a
 * frame: the full run of ~5,000 frames would take over an hour. By default it
 * appends tokens at the same cadence but renders only every 16th chunk (the
 * tokens in between are coalesced into it), and its totals are the sampled
 * ones × 16. A naive frame's cost depends only on the text so far, not on how
 * many chunks it coalesced, so its per-chunk figures are measured, not
 * estimated. --naive-every 1 runs it in full.
 *
 * Each side runs in a fresh page of the renderer's test page (the webview's CSP,
 * render.css, KaTeX's CSS and fonts), after a short warm-up message. What is measured:
 * - per chunk, in the page: the renderer's update, and the whole frame (update,
 *   style, layout, paint); medians over the first and last --window chunks;
 * - main-thread time: Chromium's own counters (DevTools Performance.getMetrics),
 *   read at the start, after the first window, before the last and at the end:
 *   TaskDuration (wall-clock, split into script, layout, style and the rest) and
 *   ThreadTime (the thread's CPU time);
 * - tasks: a trace of the "toplevel" category gives every main-thread task with
 *   its wall-clock and CPU time; the page's PerformanceObserver long tasks too.
 *
 * On a shared machine other processes take the cores away mid-frame: wall-clock
 * figures then grow, CPU figures hardly. The report says how busy the rest of
 * the machine was during each side, and shows CPU beside wall-clock time.
 * The report goes to stdout, the figures and every chunk's timings to
 * bench-results/render.json; progress to stderr. profile.ts, next to this file,
 * shows where a frame's time goes (trace and JavaScript profile).
 */
import {mkdir, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {parseArgs} from "node:util";
import {launchChromium} from "../../test/support/chromium.ts";
import {bundlePageScript, projectRoot} from "../../test/browser/support/renderPage.ts";
import type {SideName} from "./benchProtocol.ts";
import {measureSide, type SideMeasurement} from "./measureSide.ts";
import {waitForQuiet} from "../support/otherLoad.ts";
import {formatReport, judgeGoals, type BenchSetup} from "./report.ts";
import {summarize, type SideSummary} from "./summary.ts";
import {cutIntoTokens, syntheticAnswer} from "./syntheticAnswer.ts";

const RESULTS_PATH = path.join(projectRoot, "bench-results/render.json");
/** The warm-up message: the answer's first tokens, enough to meet every kind of block once. */
const WARM_UP_TOKENS = 1_500;
/** Before each side, wait (at most this long) for other processes to use at most this much CPU. */
const QUIET_CORES = 0.5;
const QUIET_MAX_WAIT_MS = 30_000;

type BenchOptions = {chars: number; tokensPerFrame: number; naiveEvery: number; window: number; only: SideName | undefined};

function parseOptions(): BenchOptions {
    const {values} = parseArgs({
        options: {
            chars: {type: "string", default: "80000"},
            "tokens-per-frame": {type: "string", default: "4"},
            "naive-every": {type: "string", default: "16"},
            window: {type: "string", default: "500"},
            only: {type: "string"}
        }
    });
    const positive = (name: string, text: string) => {
        const value = Number(text);
        if (!Number.isInteger(value) || value < 1)
            throw new Error(`--${name} must be a positive integer, not ${text}`);
        return value;
    };
    if (values.only != null && values.only !== "streaming" && values.only !== "naive")
        throw new Error(`--only must be "streaming" or "naive", not ${values.only}`);
    return {
        chars: positive("chars", values.chars),
        tokensPerFrame: positive("tokens-per-frame", values["tokens-per-frame"]),
        naiveEvery: positive("naive-every", values["naive-every"]),
        window: positive("window", values.window),
        only: values.only as SideName | undefined
    };
}

async function main(): Promise<void> {
    const startedAt = Date.now();
    const loadAverageAtStart = os.loadavg()[0];
    const options = parseOptions();
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const answer = syntheticAnswer(options.chars);
    const tokens = cutIntoTokens(answer);
    const warmUpTokens = tokens.slice(0, WARM_UP_TOKENS);
    const chunks = Math.ceil(tokens.length / options.tokensPerFrame);

    const [browser, script] = await Promise.all([launchChromium(), bundlePageScript(path.join(__dirname, "benchPage.ts"))]);
    const measured: Partial<Record<SideName, SideMeasurement>> = {};
    try {
        for (const side of ["streaming", "naive"] as const) {
            if (options.only != null && options.only !== side)
                continue;
            const renderEvery = side === "naive" ? options.naiveEvery : 1;
            const waited = await waitForQuiet(QUIET_CORES, QUIET_MAX_WAIT_MS);
            log(`${side}: ${chunks} chunks${renderEvery > 1 ? `, rendering every ${renderEvery}th` : ""}`
                + `${waited > 1_500 ? ` (after waiting ${(waited / 1000).toFixed(0)} s for other processes to quieten)` : ""}…`);
            measured[side] = await measureSide(browser, script, {side, tokens, tokensPerFrame: options.tokensPerFrame, renderEvery},
                warmUpTokens, options.window, log);
        }
        const setup: BenchSetup = {
            startedAt: new Date(startedAt).toISOString(),
            chromium: browser.version(),
            node: process.version,
            cpu: os.cpus()[0]?.model ?? "unknown CPU",
            cpuCount: os.cpus().length,
            answerCharacters: answer.length,
            answerTokens: tokens.length,
            tokensPerFrame: options.tokensPerFrame,
            chunks,
            warmUpTokens: warmUpTokens.length,
            loadAverageAtStart,
            loadAverageAtEnd: os.loadavg()[0]
        };
        const summary = (side: SideName): SideSummary | undefined =>
            measured[side] == null ? undefined : summarize(measured[side], chunks, options.window);
        const streaming = summary("streaming");
        const naive = summary("naive");
        const goals = streaming == null ? [] : judgeGoals(streaming, naive);
        const totalSeconds = (Date.now() - startedAt) / 1000;
        process.stdout.write(formatReport(setup, streaming, naive, goals, totalSeconds) + "\n");

        await mkdir(path.dirname(RESULTS_PATH), {recursive: true});
        await writeFile(RESULTS_PATH, JSON.stringify({
            setup,
            goals,
            streaming,
            naive,
            totalSeconds,
            // Every rendered chunk, for plotting cost against position in the answer.
            chunkTimings: Object.fromEntries(Object.entries(measured).map(([side, run]) => [side, {
                chunkIndex: run.chunkIndex,
                frameMs: run.frameMs.map(round),
                updateMs: run.updateMs.map(round),
                longTasks: run.longTasks,
                tracedLongTasks: run.tracedLongTasks
            }]))
        }, null, 2) + "\n");
        log(`Results written to ${path.relative(process.cwd(), RESULTS_PATH)}`);
    } finally {
        await browser.close();
    }
}

function round(value: number): number {
    return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
});
