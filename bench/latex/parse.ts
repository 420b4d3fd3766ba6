/**
 * LaTeX benchmark: how long the extension waits for a manuscript model, and
 * whether its own event loop ever stalls meanwhile. Measured as the extension
 * uses it: `LatexService` (from src/) driving the bundled worker,
 * dist/latexWorker.js (rebuilt when older than src/latex/).
 *
 * For each manuscript:
 * - cold: a fresh service (new worker thread: start, load its code, parse
 *   every file) until the manuscript arrives; --cold-runs times, each with a
 *   new worker;
 * - warm: the same request again on a worker that has read the files once
 *   (it reads and hashes them, then assembles); --warm-runs times;
 * - the longest event-loop stall on this thread during each phase
 *   (perf_hooks.monitorEventLoopDelay at 1 ms resolution). It includes the
 *   structured clone of the arriving manuscript and its check against the
 *   protocol, the only work done on this thread.
 * Goals: cold ≤ 1.5 s, warm ≤ 100 ms, no stall over 50 ms.
 *
 * Each manuscript first waits (up to --quiet-wait, 30 s) for other processes to
 * leave the CPUs; the report says how busy they kept them during its runs.
 */
import {execFileSync} from "node:child_process";
import {readdirSync, statSync} from "node:fs";
import path from "node:path";
import {monitorEventLoopDelay} from "node:perf_hooks";
import {LatexService} from "../../src/latex/LatexService.ts";
import {OtherLoadMeter, waitForQuiet} from "../support/otherLoad.ts";

export const GOALS = {coldMs: 1500, warmMs: 100, stallMs: 50};

export type ManuscriptBenchCase = {name: string; root: string};

export const DEFAULT_CASES: ManuscriptBenchCase[] = [
    {name: "Rubin DP1 (RTN-095.tex)", root: "test/fixtures/latex/rubin-dp1-rtn095/RTN-095.tex"},
    {name: "celerite (ms.tex)", root: "test/fixtures/latex/dfm-celerite-paper/paper/ms.tex"}
];

export type PhaseFigures = {
    /** Each run's time to the manuscript, in ms. */
    runsMs: number[];
    medianMs: number;
    /** The longest event-loop stall on the calling thread over all runs, in ms. */
    maxStallMs: number;
};

export type ManuscriptBenchResult = {
    name: string;
    files: number;
    /** Bytes of LaTeX read (the .bib files not counted). */
    bytes: number;
    sections: number;
    cold: PhaseFigures;
    warm: PhaseFigures;
    /** CPU cores other processes kept busy meanwhile, on average (Linux only). */
    otherLoadCores?: number;
};

export type LatexBenchOptions = {
    cases?: ManuscriptBenchCase[];
    coldRuns?: number;
    warmRuns?: number;
    /** How long to wait for other processes to go quiet before each manuscript, in ms. Defaults to 30 s. */
    quietWaitMs?: number;
    /** Progress lines (stderr by default). */
    log?: (line: string) => void;
};

const projectRoot = path.resolve(__dirname, "../..");
const workerPath = path.join(projectRoot, "dist/latexWorker.js");

/** Measures every case; returns the figures and a readable report. */
export async function measureLatexParsing(options: LatexBenchOptions = {}): Promise<{results: ManuscriptBenchResult[]; report: string}> {
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    ensureWorkerBuilt(log);
    const results: ManuscriptBenchResult[] = [];
    for (const benchCase of options.cases ?? DEFAULT_CASES) {
        const waited = await waitForQuiet(0.2, options.quietWaitMs ?? 30_000);
        log(`latex bench: ${benchCase.name}${waited > 1500 ? ` (after waiting ${(waited / 1000).toFixed(0)} s for a quiet machine)` : ""}`);
        results.push(await measureCase(benchCase, options.coldRuns ?? 3, options.warmRuns ?? 10));
    }
    return {results, report: formatReport(results)};
}

async function measureCase(benchCase: ManuscriptBenchCase, coldRuns: number, warmRuns: number): Promise<ManuscriptBenchResult> {
    const root = path.resolve(projectRoot, benchCase.root);
    const load = OtherLoadMeter.start();
    const coldTimes: number[] = [];
    let coldStall = 0;
    let warmService: LatexService | undefined;
    let manuscript;
    for (let run = 0; run < coldRuns; run++) {
        const service = new LatexService({workerPath});
        const timed = await timeRequest(() => service.manuscriptFor(root));
        coldTimes.push(timed.ms);
        coldStall = Math.max(coldStall, timed.stallMs);
        manuscript = timed.manuscript;
        warmService?.dispose();
        warmService = service; // the last cold worker serves the warm runs
    }
    const warmTimes: number[] = [];
    let warmStall = 0;
    for (let run = 0; run < warmRuns; run++) {
        const timed = await timeRequest(() => warmService!.manuscriptFor(root));
        warmTimes.push(timed.ms);
        warmStall = Math.max(warmStall, timed.stallMs);
    }
    warmService?.dispose();
    return {
        name: benchCase.name,
        files: manuscript!.files.length,
        bytes: manuscript!.files.reduce((sum, file) => sum + file.bytes, 0),
        sections: countSections(manuscript!.sections),
        cold: {runsMs: coldTimes, medianMs: median(coldTimes), maxStallMs: coldStall},
        warm: {runsMs: warmTimes, medianMs: median(warmTimes), maxStallMs: warmStall},
        ...(load == null ? {} : {otherLoadCores: load.finish()})
    };
}

async function timeRequest<T>(request: () => Promise<T>): Promise<{ms: number; stallMs: number; manuscript: T}> {
    const delay = monitorEventLoopDelay({resolution: 1});
    delay.enable();
    const started = performance.now();
    const manuscript = await request();
    const ms = performance.now() - started;
    delay.disable();
    // The histogram holds each timer's lateness in ns; its maximum is the longest stall.
    return {ms, stallMs: delay.max / 1e6, manuscript};
}

function countSections(sections: {children: unknown[]}[]): number {
    return sections.reduce((sum, section) => sum + 1 + countSections(section.children as {children: unknown[]}[]), 0);
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Rebuilds dist/ when the worker bundle is missing or older than its sources. */
function ensureWorkerBuilt(log: (line: string) => void): void {
    const built = (() => {
        try {
            return statSync(workerPath).mtimeMs;
        } catch {
            return 0;
        }
    })();
    const newest = newestModification(path.join(projectRoot, "src/latex"));
    if (built >= newest)
        return;
    log("latex bench: dist/latexWorker.js is missing or stale; running npm run build");
    execFileSync("npm", ["run", "build"], {cwd: projectRoot, stdio: ["ignore", "ignore", "inherit"]});
}

function newestModification(folder: string): number {
    let newest = 0;
    for (const entry of readdirSync(folder, {withFileTypes: true})) {
        const file = path.join(folder, entry.name);
        newest = Math.max(newest, entry.isDirectory() ? newestModification(file) : statSync(file).mtimeMs);
    }
    return newest;
}

export function formatReport(results: ManuscriptBenchResult[]): string {
    const verdict = (value: number, goal: number) => `${value <= goal ? "meets" : "MISSES"} ≤ ${goal}`;
    const lines = ["LaTeX manuscript model through LatexService and dist/latexWorker.js", ""];
    for (const result of results) {
        lines.push(`${result.name}: ${result.files} files, ${(result.bytes / 1024).toFixed(0)} KB of LaTeX, ${result.sections} sections`);
        lines.push(`  cold (new worker)  median ${result.cold.medianMs.toFixed(0)} ms  (runs: ${result.cold.runsMs.map((ms) => ms.toFixed(0)).join(", ")})  ${verdict(result.cold.medianMs, GOALS.coldMs)} ms`);
        lines.push(`  warm (cached)      median ${result.warm.medianMs.toFixed(1)} ms  (max ${Math.max(...result.warm.runsMs).toFixed(1)})  ${verdict(result.warm.medianMs, GOALS.warmMs)} ms`);
        lines.push(`  longest stall of this thread's event loop: cold ${result.cold.maxStallMs.toFixed(1)} ms, warm ${result.warm.maxStallMs.toFixed(1)} ms  ${verdict(Math.max(result.cold.maxStallMs, result.warm.maxStallMs), GOALS.stallMs)} ms`);
        if (result.otherLoadCores != null)
            lines.push(`  other processes kept ${result.otherLoadCores.toFixed(2)} cores busy meanwhile`);
        lines.push("");
    }
    return lines.join("\n");
}
