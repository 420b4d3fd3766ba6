/**
 * CPU time the benchmark's own processes spend on one turn. Next to the
 * wall-clock rates it shows where the extension side's extra time goes (the
 * engine process or the host), and, unlike wall-clock time, it hardly moves
 * when a neighbour takes the cores.
 *
 * Linux only for the engine process (it reads /proc); elsewhere its share is 0.
 */
import {readFileSync} from "node:fs";
import {TICKS_PER_SECOND} from "../support/otherLoad.ts";

export type TurnCpu = {
    /** This process: node-llama-cpp on the direct side; the host classes on the extension side. */
    thisProcessMs: number;
    /** The side's helper processes: the engine on the extension side, none on the direct side. */
    helpersMs: number;
};

/** Start it just before issuing the request. */
export class TurnCpuMeter {
    // process.cpuUsage() counts every thread of this process to the microsecond;
    // /proc counts the engine's only to the tick (10 ms), enough for a whole turn.
    private readonly startUsage = process.cpuUsage();
    private readonly startHelperTicks: number;

    public constructor(private readonly helperPids: readonly number[]) {
        this.startHelperTicks = helperTicks(helperPids);
    }

    public finish(): TurnCpu {
        const {user, system} = process.cpuUsage(this.startUsage);
        return {
            thisProcessMs: (user + system) / 1000,
            helpersMs: (helperTicks(this.helperPids) - this.startHelperTicks) * 1000 / TICKS_PER_SECOND
        };
    }
}

function helperTicks(pids: readonly number[]): number {
    return pids.reduce((sum, pid) => sum + processCpuTicks(pid), 0);
}

/** A process's user + system time in ticks, all its threads included; 0 once it has exited, or without /proc. */
function processCpuTicks(pid: number): number {
    let stat: string;
    try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch (error) {
        // The engine may have exited between two samples: it then uses no CPU.
        // (Without /proc, as on macOS, nothing is measured either.)
        if (error instanceof Error && "code" in error && error.code === "ENOENT")
            return 0;
        throw error;
    }
    // Fields after the command name, which is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
}
