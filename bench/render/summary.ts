/**
 * From one side's per-chunk timings to the figures the issue asks for: the cost
 * of a chunk near the start and near the end, the longest task, and the total
 * main-thread time, extrapolated when only every n-th chunk was rendered.
 */
import {LONG_TASK_MS, type MainThreadTime, type SideMeasurement, type StretchTime} from "./measureSide.ts";

export type SideSummary = {
    side: SideMeasurement["request"]["side"];
    /** Chunks in the answer, and how many of them this side rendered. */
    chunks: number;
    renderedChunks: number;
    /** Every n-th chunk rendered; above 1, totals are extrapolated (× n). */
    renderEvery: number;
    /** Medians over the first and the last `window` chunks, in ms. */
    window: number;
    start: ChunkCost;
    end: ChunkCost;
    /** end ÷ start, of the whole frame and of the update alone. */
    growth: ChunkCost;
    /** Main-thread time per rendered chunk over the first and the last `window` chunks, from Chromium's counters. */
    startStretch: StretchCost;
    endStretch: StretchCost;
    p99FrameMs: number;
    maxFrameMs: number;
    maxUpdateMs: number;
    finishMs: number;
    /** Long tasks the page's PerformanceObserver reported. */
    longTaskCount: number;
    /** Main-thread tasks over LONG_TASK_MS (traced), by wall-clock and by CPU time. */
    longTasksByWall: number;
    longTasksByCpu: number;
    /** The longest task by wall-clock time (traced, or the longest update if longer), and its CPU time. */
    longestTaskMs: number;
    longestTaskCpuMs: number;
    /** The longest task by CPU time alone. */
    mostCpuTaskMs: number;
    /** Main-thread time for the whole answer (extrapolated when `renderEvery` > 1). */
    mainThread: MainThreadTime;
    /** Sum over chunks of the measured frame cost, in ms (extrapolated likewise). */
    frameSumMs: number;
    wallMs: number;
    /** CPU cores other processes kept busy during the run, on average; undefined where not measured. */
    otherLoadCores: number | undefined;
    finalHtmlLength: number;
    finalHtmlHash: string;
    finalElementCount: number;
};

/** Milliseconds per chunk: the whole frame (update, style, layout, paint) and the renderer's update alone. */
export type ChunkCost = {frameMs: number; updateMs: number};

/** Main-thread milliseconds per rendered chunk: all tasks (wall-clock), and the thread's CPU time. */
export type StretchCost = {taskMs: number; cpuMs: number};

export function summarize(measurement: SideMeasurement, chunks: number, window: number): SideSummary {
    const {chunkIndex, frameMs, updateMs} = measurement;
    const startIndexes = indexesWhere(chunkIndex, (chunk) => chunk < window);
    const endIndexes = indexesWhere(chunkIndex, (chunk) => chunk >= chunks - window);
    const start = {frameMs: median(pick(frameMs, startIndexes)), updateMs: median(pick(updateMs, startIndexes))};
    const end = {frameMs: median(pick(frameMs, endIndexes)), updateMs: median(pick(updateMs, endIndexes))};
    const scale = measurement.request.renderEvery;
    const maxUpdateMs = Math.max(...updateMs);
    const traced = measurement.tracedLongTasks;
    return {
        side: measurement.request.side,
        chunks,
        renderedChunks: frameMs.length,
        renderEvery: scale,
        window,
        start,
        end,
        growth: {frameMs: end.frameMs / start.frameMs, updateMs: end.updateMs / start.updateMs},
        startStretch: perChunk(measurement.startStretch),
        endStretch: perChunk(measurement.endStretch),
        p99FrameMs: quantile(frameMs, 0.99),
        maxFrameMs: Math.max(...frameMs),
        maxUpdateMs,
        finishMs: measurement.finishMs,
        longTaskCount: measurement.longTasks.length,
        longTasksByWall: traced.filter((task) => task.wallMs > LONG_TASK_MS).length,
        longTasksByCpu: traced.filter((task) => task.cpuMs > LONG_TASK_MS).length,
        // An update runs inside one task, so it bounds the longest task from below should the trace miss it.
        longestTaskMs: Math.max(measurement.longestTask?.wallMs ?? 0, maxUpdateMs),
        longestTaskCpuMs: measurement.longestTask?.cpuMs ?? Number.NaN,
        mostCpuTaskMs: measurement.mostCpuTask?.cpuMs ?? Number.NaN,
        mainThread: scaleTimes(measurement.mainThread, scale),
        frameSumMs: frameMs.reduce((sum, value) => sum + value, 0) * scale,
        wallMs: measurement.wallMs,
        otherLoadCores: measurement.otherLoadCores,
        finalHtmlLength: measurement.finalHtmlLength,
        finalHtmlHash: measurement.finalHtmlHash,
        finalElementCount: measurement.finalElementCount
    };
}

/**
 * Sampling every n-th chunk sees the cost at the end of each group of n; the
 * cost grows smoothly with the length, so n × the sampled sum is the full sum
 * to within about n ÷ chunks (a fraction of a percent here). The appends of
 * the chunks in between, already all measured, are counted n times over: well
 * under 1% of a naive run, so the estimate errs slightly in the naive side's
 * disfavour.
 */
function scaleTimes(time: MainThreadTime, scale: number): MainThreadTime {
    return {
        taskMs: time.taskMs * scale,
        scriptMs: time.scriptMs * scale,
        layoutMs: time.layoutMs * scale,
        styleMs: time.styleMs * scale,
        otherMs: time.otherMs * scale,
        cpuMs: time.cpuMs * scale
    };
}

function perChunk(stretch: StretchTime): StretchCost {
    return {taskMs: stretch.time.taskMs / stretch.renderedChunks, cpuMs: stretch.time.cpuMs / stretch.renderedChunks};
}

function indexesWhere(values: number[], test: (value: number) => boolean): number[] {
    return values.flatMap((value, index) => test(value) ? [index] : []);
}

function pick(values: number[], indexes: number[]): number[] {
    return indexes.map((index) => values[index]);
}

function median(values: number[]): number {
    return quantile(values, 0.5);
}

function quantile(values: number[], q: number): number {
    if (values.length === 0)
        return Number.NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const position = (sorted.length - 1) * q;
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}
