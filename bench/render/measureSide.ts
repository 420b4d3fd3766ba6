/**
 * Runs one side in a fresh page: a warm-up message, then the measured one,
 * with the page's main-thread time read from the DevTools protocol
 * (Performance.getMetrics: the counters behind the Performance panel) at the
 * start, after the first `windowChunks` chunks, before the last ones and at the end.
 */
import type {Browser, CDPSession} from "playwright-core";
import {openRenderPage} from "../../test/browser/support/renderPage.ts";
import type {SideRequest, SideTimings} from "./benchProtocol.ts";
import {OtherLoadMeter} from "../support/otherLoad.ts";
import {mainThreadTasks, type MainThreadTask} from "./traceSummary.ts";

/** A task is long, in the browser's terms, above this many ms. */
export const LONG_TASK_MS = 50;

/** The page's main thread over some chunks, in ms. */
export type MainThreadTime = {
    /** Every task on the main thread, wall-clock (TaskDuration). */
    taskMs: number;
    /** Running JavaScript (ScriptDuration). */
    scriptMs: number;
    /** Layout (LayoutDuration). */
    layoutMs: number;
    /** Style recalculation (RecalcStyleDuration). */
    styleMs: number;
    /** The rest of the tasks' time: pre-paint, paint, compositing, commit, HTML parsing of fragments, garbage collection. */
    otherMs: number;
    /**
     * CPU time of the main thread (ThreadTime). Unlike the wall-clock figures it
     * does not grow when other processes take the CPU away, so it is the one to
     * trust on a busy machine.
     */
    cpuMs: number;
};

/** The main thread's time over a stretch of the answer, and how many chunks it rendered there. */
export type StretchTime = {time: MainThreadTime; renderedChunks: number};

export type SideMeasurement = SideTimings & {
    request: Omit<SideRequest, "tokens">;
    /** The whole measured message, warm-up excluded. */
    mainThread: MainThreadTime;
    /** The first and the last `windowChunks` chunks. */
    startStretch: StretchTime;
    endStretch: StretchTime;
    /**
     * The main thread's tasks during the run, from a trace of the "toplevel"
     * category (cheap: one event per task): how many, and those over
     * LONG_TASK_MS by wall-clock or CPU time.
     */
    taskCount: number;
    tracedLongTasks: MainThreadTask[];
    /** The task with the most wall-clock time, and the one with the most CPU time. */
    longestTask: MainThreadTask | undefined;
    mostCpuTask: MainThreadTask | undefined;
    /** CPU cores that other processes on the machine kept busy during the run, on average. */
    otherLoadCores: number | undefined;
};

const PROGRESS_INTERVAL_MS = 15_000;

export async function measureSide(browser: Browser, script: string, request: SideRequest, warmUpTokens: string[], windowChunks: number,
    log: (line: string) => void): Promise<SideMeasurement> {
    const view = await openRenderPage(browser, script);
    try {
        const {page} = view;
        await page.evaluate((warmUp) => window.renderBench.warmUp(warmUp), {...request, tokens: warmUpTokens, renderEvery: 1});
        const devTools = await page.context().newCDPSession(page);
        await devTools.send("Performance.enable");

        const chunkCount = await page.evaluate((run) => window.renderBench.open(run), request);
        await browser.startTracing(page, {categories: ["toplevel"]});
        const otherLoad = OtherLoadMeter.start();
        const started = Date.now();
        const progress = setInterval(() => {
            page.evaluate(() => window.renderBench.progress).then(
                (done) => log(`  ${request.side}: ${done} / ${chunkCount} chunks, ${((Date.now() - started) / 1000).toFixed(0)} s`),
                // The page may be closing; the next report (or the run's own error) says more.
                () => {});
        }, PROGRESS_INTERVAL_MS);
        // Counters at the start, after the first window, before the last window and at the end.
        const counters: Counters[] = [];
        let timings: SideTimings;
        try {
            counters.push(await mainThreadCounters(devTools));
            await page.evaluate((to) => window.renderBench.streamTo(to), windowChunks);
            counters.push(await mainThreadCounters(devTools));
            await page.evaluate((to) => window.renderBench.streamTo(to), chunkCount - windowChunks);
            counters.push(await mainThreadCounters(devTools));
            timings = await page.evaluate(() => window.renderBench.close());
            counters.push(await mainThreadCounters(devTools));
        } finally {
            clearInterval(progress);
        }
        const otherLoadCores = otherLoad?.finish();
        const tasks = mainThreadTasks(await browser.stopTracing());

        // The page must have done nothing the webview would refuse: that would be a broken run, not a slow one.
        const problems = [...view.events.pageErrors, ...view.events.foreignRequests, ...view.events.consoleMessages.filter((line) => line.startsWith("error"))];
        if (problems.length > 0)
            throw new Error(`The ${request.side} page reported problems:\n${problems.join("\n")}`);
        const rendered = (test: (chunk: number) => boolean) => timings.chunkIndex.filter(test).length;
        const {tokens: _tokens, ...shape} = request;
        return {
            ...timings,
            request: shape,
            mainThread: difference(counters[0], counters[3]),
            startStretch: {time: difference(counters[0], counters[1]), renderedChunks: rendered((chunk) => chunk < windowChunks)},
            // The end's stretch holds finish() too, one more render.
            endStretch: {time: difference(counters[2], counters[3]), renderedChunks: rendered((chunk) => chunk >= chunkCount - windowChunks) + 1},
            taskCount: tasks.length,
            tracedLongTasks: tasks.filter((task) => task.wallMs > LONG_TASK_MS || task.cpuMs > LONG_TASK_MS),
            longestTask: maxBy(tasks, (task) => task.wallMs),
            mostCpuTask: maxBy(tasks, (task) => task.cpuMs),
            otherLoadCores
        };
    } finally {
        await view.close();
    }
}

function maxBy<T>(items: readonly T[], value: (item: T) => number): T | undefined {
    return items.reduce<T | undefined>((most, item) => most == null || value(item) > value(most) ? item : most, undefined);
}

const counterNames = ["TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "ThreadTime"] as const;

type Counters = Record<typeof counterNames[number], number>;

async function mainThreadCounters(devTools: CDPSession): Promise<Counters> {
    const {metrics} = await devTools.send("Performance.getMetrics");
    const counters = {} as Counters;
    for (const name of counterNames) {
        const metric = metrics.find((entry) => entry.name === name);
        if (metric == null)
            throw new Error(`Chromium reported no ${name} metric`);
        counters[name] = metric.value;
    }
    return counters;
}

/** The time between two readings of the counters (which are in seconds), in ms. */
function difference(before: Counters, after: Counters): MainThreadTime {
    const delta = (name: keyof Counters) => (after[name] - before[name]) * 1000;
    const time = {
        taskMs: delta("TaskDuration"),
        scriptMs: delta("ScriptDuration"),
        layoutMs: delta("LayoutDuration"),
        styleMs: delta("RecalcStyleDuration"),
        cpuMs: delta("ThreadTime")
    };
    return {...time, otherMs: time.taskMs - time.scriptMs - time.layoutMs - time.styleMs};
}
