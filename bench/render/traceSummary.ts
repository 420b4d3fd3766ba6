/**
 * Figures from a Chromium trace (Trace Event Format) of the page's main
 * thread: its tasks with their wall-clock and CPU time, and self time by event
 * name (what a frame's time went to: script, style, layout, pre-paint, paint,
 * layerization, commit, garbage collection).
 */

type TraceEvent = {name: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number; args?: {name?: string}};
type CompleteEvent = TraceEvent & {dur: number};

/** One task the main thread ran, in ms. */
export type MainThreadTask = {
    startMs: number;
    /** Wall-clock: what the page felt. */
    wallMs: number;
    /** The thread's CPU time: less than the wall-clock time when other processes took the core away. */
    cpuMs: number;
};

/** The tasks of the page's main thread, outermost only ("toplevel" category). */
export function mainThreadTasks(trace: Buffer): MainThreadTask[] {
    const tasks: MainThreadTask[] = [];
    let end = -Infinity;
    for (const event of mainThreadEvents(trace)) {
        if (event.name !== "ThreadControllerImpl::RunTask" || event.ts < end)
            continue;
        end = event.ts + event.dur;
        tasks.push({startMs: event.ts / 1000, wallMs: event.dur / 1000, cpuMs: (event.tdur ?? event.dur) / 1000});
    }
    return tasks;
}

/** Milliseconds of self time per event name on the page's main thread, largest first. */
export function mainThreadSelfTime(trace: Buffer): [string, number][] {
    const totals = new Map<string, number>();
    const stack: {event: CompleteEvent; end: number; children: number}[] = [];
    // Self time = duration less the durations of the events nested directly inside.
    const pop = () => {
        const done = stack.pop()!;
        totals.set(done.event.name, (totals.get(done.event.name) ?? 0) + done.event.dur - done.children);
        if (stack.length > 0)
            stack[stack.length - 1].children += done.event.dur;
    };
    for (const event of mainThreadEvents(trace)) {
        while (stack.length > 0 && stack[stack.length - 1].end <= event.ts)
            pop();
        stack.push({event, end: event.ts + event.dur, children: 0});
    }
    while (stack.length > 0)
        pop();
    return [...totals.entries()].map(([name, micros]): [string, number] => [name, micros / 1000]).sort((a, b) => b[1] - a[1]);
}

/** The complete events of the busiest renderer main thread, outer before inner. */
function mainThreadEvents(trace: Buffer): CompleteEvent[] {
    const events = (JSON.parse(trace.toString("utf8")) as {traceEvents: TraceEvent[]}).traceEvents;
    const mainThreads = new Set(events
        .filter((event) => event.ph === "M" && event.name === "thread_name" && event.args?.name === "CrRendererMain")
        .map((event) => `${event.pid}:${event.tid}`));
    const byThread = new Map<string, CompleteEvent[]>();
    for (const event of events) {
        const thread = `${event.pid}:${event.tid}`;
        if (event.ph === "X" && event.dur != null && mainThreads.has(thread)) {
            const list = byThread.get(thread) ?? [];
            list.push(event as CompleteEvent);
            byThread.set(thread, list);
        }
    }
    // The page's renderer is the one that did the work; others (if any) idled.
    const busiest = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
    return busiest.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
}
