/**
 * How busy other processes kept the CPUs while a benchmark ran. Benchmarks run
 * on shared 2-core machines, where a neighbour's test run inflates every
 * timing; this figure says how far to trust a run. "Ours" is this process and
 * everything it started (the engine process; Chromium's processes).
 *
 * Linux only (it reads /proc); elsewhere nothing is measured.
 */
import {existsSync, readdirSync, readFileSync} from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on every Linux that matters). */
/** Linux's clock ticks per second in /proc. */
export const TICKS_PER_SECOND = 100;
/** How long one look at the machine lasts while waiting for quiet, in ms. */
const QUIET_WINDOW_MS = 1_000;

type Sample = {at: number; busyTicks: number; ownTicks: number};

export class OtherLoadMeter {
    private constructor(private readonly start: Sample) {}

    /** Starts measuring; undefined without /proc. */
    public static start(): OtherLoadMeter | undefined {
        return existsSync("/proc/stat") ? new OtherLoadMeter(sample()) : undefined;
    }

    /** CPU cores kept busy by other processes since the start, on average (0 = none, 1 = a whole core). */
    public finish(): number {
        const end = sample();
        const seconds = (end.at - this.start.at) / 1000;
        const otherTicks = (end.busyTicks - this.start.busyTicks) - (end.ownTicks - this.start.ownTicks);
        // Our processes that exited in between take their ticks with them, and ticks are 10 ms: never below 0.
        return seconds > 0 ? Math.max(0, otherTicks / TICKS_PER_SECOND / seconds) : 0;
    }
}

/**
 * Waits until other processes keep at most `thresholdCores` busy for a second,
 * or `maxMs` has passed; resolves with the time waited, in ms.
 */
export async function waitForQuiet(thresholdCores: number, maxMs: number): Promise<number> {
    const started = performance.now();
    for (;;) {
        const meter = OtherLoadMeter.start();
        if (meter == null)
            return 0;
        await new Promise((resolve) => setTimeout(resolve, QUIET_WINDOW_MS));
        const waited = performance.now() - started;
        if (meter.finish() <= thresholdCores || waited >= maxMs)
            return waited;
    }
}

function sample(): Sample {
    const processes = readProcesses();
    const ours = new Set([process.pid]);
    // Parents come before children only by chance: repeat until no process joins.
    for (let grew = true; grew;) {
        grew = false;
        for (const [pid, entry] of processes) {
            if (!ours.has(pid) && ours.has(entry.parent)) {
                ours.add(pid);
                grew = true;
            }
        }
    }
    let ownTicks = 0;
    for (const pid of ours)
        ownTicks += processes.get(pid)?.ticks ?? 0;
    return {at: performance.now(), busyTicks: systemBusyTicks(), ownTicks};
}

/** All CPUs' non-idle time: user, nice, system, irq, softirq, steal. */
function systemBusyTicks(): number {
    const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0].trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return user + nice + system + irq + softirq + steal;
}

/** Every process's parent and CPU time (user + system, all threads), in ticks. */
function readProcesses(): Map<number, {parent: number; ticks: number}> {
    const processes = new Map<number, {parent: number; ticks: number}>();
    for (const name of readdirSync("/proc")) {
        if (!/^\d+$/.test(name))
            continue;
        let stat: string;
        try {
            stat = readFileSync(`/proc/${name}/stat`, "utf8");
        } catch (error) {
            // The process exited between listing /proc and reading it: it uses no CPU now.
            if (error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "ESRCH"))
                continue;
            throw error;
        }
        // Fields after the command name, which is in parentheses and may hold spaces:
        // the parent is field 4, utime and stime are fields 14 and 15.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        processes.set(Number(name), {parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12])});
    }
    return processes;
}
