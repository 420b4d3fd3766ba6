/**
 * The benchmark's readable report (stdout) and the goals it is judged against;
 * the same figures go to bench-results/render.json.
 */
import type {SideSummary} from "./summary.ts";

export type BenchSetup = {
    startedAt: string;
    chromium: string;
    node: string;
    cpu: string;
    cpuCount: number;
    answerCharacters: number;
    answerTokens: number;
    tokensPerFrame: number;
    chunks: number;
    warmUpTokens: number;
    /** One-minute load average when the benchmark started and ended. */
    loadAverageAtStart: number;
    loadAverageAtEnd: number;
};

/** The three goals for the streaming renderer; the benchmark reports them and never fails on them. */
export type GoalResult = {goal: string; measured: string; pass: boolean};

export const GOALS = {
    /** Per-chunk cost at the end of the answer at most this many times the cost at the start. */
    maxGrowth: 2,
    /** Total main-thread time at least this many times below the naive renderer's. */
    minSpeedup: 10,
    /** No task longer than this, in ms (a long task, in the browser's terms). */
    maxTaskMs: 50
};

export function judgeGoals(streaming: SideSummary, naive: SideSummary | undefined): GoalResult[] {
    const results: GoalResult[] = [{
        goal: `per-chunk cost at the end ≤ ${GOALS.maxGrowth}× the start (median frame, last vs first ${streaming.window} chunks)`,
        measured: `${streaming.growth.frameMs.toFixed(2)}× (${fixed(streaming.start.frameMs, 2)} → ${fixed(streaming.end.frameMs, 2)} ms; `
            + `update alone ${streaming.growth.updateMs.toFixed(2)}×; main-thread CPU per chunk `
            + `${(streaming.endStretch.cpuMs / streaming.startStretch.cpuMs).toFixed(2)}×)`,
        pass: streaming.growth.frameMs <= GOALS.maxGrowth
    }];
    if (naive != null) {
        const speedup = naive.mainThread.taskMs / streaming.mainThread.taskMs;
        results.push({
            goal: `total main-thread time ≥ ${GOALS.minSpeedup}× below the naive renderer`,
            measured: `${speedup.toFixed(1)}× (${seconds(streaming.mainThread.taskMs)} vs ${seconds(naive.mainThread.taskMs)}`
                + `${naive.renderEvery > 1 ? ", naive extrapolated" : ""})`,
            pass: speedup >= GOALS.minSpeedup
        });
    }
    results.push({
        goal: `no task over ${GOALS.maxTaskMs} ms`,
        measured: `longest ${fixed(streaming.longestTaskMs, 1)} ms wall-clock (${fixed(streaming.longestTaskCpuMs, 1)} ms CPU); `
            + `${streaming.longTasksByWall} tasks over ${GOALS.maxTaskMs} ms wall-clock, ${streaming.longTasksByCpu} over ${GOALS.maxTaskMs} ms CPU `
            + `(longest by CPU ${fixed(streaming.mostCpuTaskMs, 1)} ms)`,
        pass: streaming.longestTaskMs <= GOALS.maxTaskMs
    });
    return results;
}

export function formatReport(setup: BenchSetup, streaming: SideSummary | undefined, naive: SideSummary | undefined,
    goals: GoalResult[], totalSeconds: number): string {
    const sides = [streaming, naive].filter((side): side is SideSummary => side != null);
    const column = (cell: (side: SideSummary) => string) => sides.map(cell);
    const ratio = (value: (side: SideSummary) => number, digits = 1) =>
        streaming != null && naive != null ? [`${(value(naive) / value(streaming)).toFixed(digits)}×`] : [];
    const window = sides[0]?.window ?? 0;
    const rows: string[][] = [
        ["", ...column((side) => side.side === "streaming" ? "StreamingRenderer" : "naive (whole message)"), ...streaming && naive ? ["naive ÷ streaming"] : []],
        ["chunks rendered", ...column((side) => side.renderEvery > 1 ? `${side.renderedChunks} (every ${side.renderEvery}th)` : `${side.renderedChunks}`)],
        [`first ${window} chunks, median frame ms`, ...column((side) => fixed(side.start.frameMs, 2)), ...ratio((side) => side.start.frameMs)],
        ["  of which the update, ms", ...column((side) => fixed(side.start.updateMs, 2)), ...ratio((side) => side.start.updateMs)],
        [`last ${window} chunks, median frame ms`, ...column((side) => fixed(side.end.frameMs, 2)), ...ratio((side) => side.end.frameMs)],
        ["  of which the update, ms", ...column((side) => fixed(side.end.updateMs, 2)), ...ratio((side) => side.end.updateMs)],
        ["growth, last ÷ first (frame / update)", ...column((side) => `${side.growth.frameMs.toFixed(2)}× / ${side.growth.updateMs.toFixed(2)}×`)],
        [`first ${window} chunks, main thread ms/chunk (all / CPU)`, ...column((side) => `${fixed(side.startStretch.taskMs, 2)} / ${fixed(side.startStretch.cpuMs, 2)}`)],
        [`last ${window} chunks, main thread ms/chunk (all / CPU)`, ...column((side) => `${fixed(side.endStretch.taskMs, 2)} / ${fixed(side.endStretch.cpuMs, 2)}`)],
        ["  growth, last ÷ first (all / CPU)", ...column((side) =>
            `${(side.endStretch.taskMs / side.startStretch.taskMs).toFixed(2)}× / ${(side.endStretch.cpuMs / side.startStretch.cpuMs).toFixed(2)}×`)],
        ["p99 frame ms", ...column((side) => fixed(side.p99FrameMs, 1))],
        ["longest frame ms", ...column((side) => fixed(side.maxFrameMs, 1))],
        ["longest update ms", ...column((side) => fixed(side.maxUpdateMs, 1))],
        ["finish() ms", ...column((side) => fixed(side.finishMs, 1))],
        ["tasks > 50 ms: wall / CPU / PerformanceObserver", ...column((side) => `${side.longTasksByWall} / ${side.longTasksByCpu} / ${side.longTaskCount}`)],
        ["longest task ms: wall (its CPU)", ...column((side) => `${fixed(side.longestTaskMs, 1)} (${fixed(side.longestTaskCpuMs, 1)})`)],
        ["longest task by CPU ms", ...column((side) => fixed(side.mostCpuTaskMs, 1))],
        ["main-thread total s (TaskDuration)", ...column((side) => extrapolated(side, seconds(side.mainThread.taskMs))), ...ratio((side) => side.mainThread.taskMs)],
        ["  script s", ...column((side) => extrapolated(side, seconds(side.mainThread.scriptMs))), ...ratio((side) => side.mainThread.scriptMs)],
        ["  layout s", ...column((side) => extrapolated(side, seconds(side.mainThread.layoutMs))), ...ratio((side) => side.mainThread.layoutMs)],
        ["  style s", ...column((side) => extrapolated(side, seconds(side.mainThread.styleMs))), ...ratio((side) => side.mainThread.styleMs)],
        ["  other (paint, commit, parse, GC) s", ...column((side) => extrapolated(side, seconds(side.mainThread.otherMs))), ...ratio((side) => side.mainThread.otherMs)],
        ["main-thread CPU s (ThreadTime)", ...column((side) => extrapolated(side, seconds(side.mainThread.cpuMs))), ...ratio((side) => side.mainThread.cpuMs)],
        ["sum of frame times s", ...column((side) => extrapolated(side, seconds(side.frameSumMs))), ...ratio((side) => side.frameSumMs)],
        ["wall time of the run s", ...column((side) => seconds(side.wallMs))],
        ["other processes' CPU during the run, cores", ...column((side) => side.otherLoadCores == null ? "–" : side.otherLoadCores.toFixed(2))],
        ["final DOM: elements / HTML chars", ...column((side) => `${side.finalElementCount} / ${side.finalHtmlLength}`)]
    ];
    const sameDom = streaming != null && naive != null
        ? streaming.finalHtmlHash === naive.finalHtmlHash ? "identical final HTML on both sides" : "final HTML differs between the sides (see render.json)"
        : "";
    const lines = [
        "AstroSage render benchmark: StreamingRenderer vs a whole-message re-render per frame",
        `  Chromium ${setup.chromium}; Node ${setup.node}; ${setup.cpuCount} × ${setup.cpu}`,
        `  answer: ${setup.answerCharacters} characters, ${setup.answerTokens} tokens of 2–6 characters; `
            + `${setup.tokensPerFrame} tokens appended per animation frame → ${setup.chunks} chunks (one render each)`,
        "  frame = renderer update + that frame's style, layout and paint (rAF start → first task after the frame);",
        "  update = the renderer's own work (lex, markdown, KaTeX, highlight, sanitize, DOM insertion).",
        "  main thread: Chromium's counters (Performance.getMetrics); \"all\" is wall-clock task time, CPU the thread's own CPU time.",
        `  warm-up: ${setup.warmUpTokens} tokens rendered and discarded in each side's page first. ${sameDom}`,
        `  load average ${setup.loadAverageAtStart.toFixed(2)} at the start, ${setup.loadAverageAtEnd.toFixed(2)} at the end `
            + "(wall-clock figures inflate when other processes share the cores; CPU figures much less).",
        "",
        ...table(rows),
        ...naive != null && naive.renderEvery > 1 ? [
            "",
            `  * naive side: tokens appended at the same cadence (${setup.tokensPerFrame} per frame), the whole message rendered every ${naive.renderEvery}th chunk;`,
            `    totals are the sampled ones × ${naive.renderEvery} (a full run would take ~${(naive.frameSumMs / 60_000).toFixed(naive.frameSumMs < 600_000 ? 1 : 0)} min).`
        ] : [],
        "",
        "Goals (reported, not enforced):",
        ...goals.map((goal) => `  ${goal.pass ? "PASS" : "MISS"}  ${goal.goal}: ${goal.measured}`),
        "",
        `Total benchmark time ${totalSeconds.toFixed(0)} s.`
    ];
    return lines.join("\n");
}

function extrapolated(side: SideSummary, text: string): string {
    return side.renderEvery > 1 ? `${text} *` : text;
}

function seconds(ms: number): string {
    return (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
}

function fixed(value: number, digits: number): string {
    return Number.isFinite(value) ? value.toFixed(digits) : "–";
}

function table(rows: string[][]): string[] {
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
    return rows.map((row) => row.map((cell, column) => column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])).join("   ").trimEnd());
}
