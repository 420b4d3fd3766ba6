/**
 * What one benchmark turn measures, timed the same way on both sides: from the
 * caller's point of view, by the text and thought chunks it receives.
 */
import type {TurnStats} from "../../src/core/chatTypes.ts";
import type {TurnCpu} from "./cpuTime.ts";

/** One answer, as its caller saw it. */
export type TurnMeasurement = {
    /** From issuing the request to the first text or thought chunk the caller received, in ms. */
    ttftMs: number;
    /** (generated tokens − 1) / (time from the first chunk to the last), as the caller received them. */
    decodeTokensPerSecond: number;
    generatedTokens: number;
    /** Prompt tokens evaluated for this turn; a prefix reused from the previous turn is not counted. */
    promptTokens: number;
    stopReason: string;
    /** Text and thought chunks the caller received. */
    chunks: number;
    /** From issuing the request to the call resolving, in ms. */
    totalMs: number;
    /** The answer's text, thoughts included, to check that both sides did the same work. */
    text: string;
    /**
     * Extension side only: the backend's own figures (the engine's, measured inside
     * its process; `ServerBackend`'s, measured by its TurnMeter in this one).
     */
    engineStats?: TurnStats;
    /** Server scenarios only: llama-server's own timings of the turn, from its log. */
    serverTimings?: ServerTimings;
    /** CPU cores other processes kept busy during the turn, on average (Linux only). */
    otherLoadCores?: number;
    /** CPU time this side's processes spent on the turn, prompt included. */
    cpu?: TurnCpu;
};

/** llama-server's `print_timing` for one request, timed inside the server. */
export type ServerTimings = {
    promptMs: number;
    /** Prompt tokens it evaluated (a prefix cached from the previous request is not counted). */
    promptTokens: number;
    decodeMs: number;
    decodeTokens: number;
    /** decodeTokens / decodeMs: the server's own decode rate. */
    decodeTokensPerSecond: number;
};

/** Times a turn's chunks as the caller receives them. Start it just before issuing the request. */
export class ChunkClock {
    private readonly started = performance.now();
    private first: number | undefined;
    private last: number | undefined;
    private chunkCount = 0;

    /** Notes a text or thought chunk arriving now. */
    public chunk() {
        const now = performance.now();
        this.first ??= now;
        this.last = now;
        this.chunkCount++;
    }

    /** The turn's timings, given how many tokens it generated; call once the request has resolved. */
    public finish(generatedTokens: number): Pick<TurnMeasurement, "ttftMs" | "decodeTokensPerSecond" | "chunks" | "totalMs"> {
        const totalMs = performance.now() - this.started;
        if (this.first == null || this.last == null)
            throw new Error("The turn produced no text: nothing to time.");

        const decodeSeconds = (this.last - this.first) / 1000;
        return {
            ttftMs: this.first - this.started,
            // The first chunk's time is prompt evaluation; the rate counts the tokens after it.
            decodeTokensPerSecond: decodeSeconds > 0 && generatedTokens > 1 ? (generatedTokens - 1) / decodeSeconds : 0,
            chunks: this.chunkCount,
            totalMs
        };
    }
}

/** The middle and the range of a few repeated measurements. */
export type Spread = {median: number; min: number; max: number; values: number[]};

export function spread(values: readonly number[]): Spread {
    if (values.length === 0)
        throw new Error("No measurements to summarize.");
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
    return {median, min: sorted[0]!, max: sorted.at(-1)!, values: [...values]};
}

/** A mean over pairs with its 95% confidence interval (NaN bounds with a single pair). */
export type Estimate = {mean: number; low: number; high: number; pairs: number};

/** Two-sided 95% quantiles of Student's t for 1–30 degrees of freedom. */
const T_95 = [12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.20, 2.18, 2.16, 2.14, 2.13,
    2.12, 2.11, 2.10, 2.09, 2.09, 2.08, 2.07, 2.07, 2.06, 2.06, 2.06, 2.05, 2.05, 2.05, 2.04];

/** The mean of paired differences and its t interval. */
export function estimateMean(values: readonly number[]): Estimate {
    const n = values.length;
    if (n === 0)
        throw new Error("No pairs to estimate from.");
    const mean = values.reduce((sum, value) => sum + value, 0) / n;
    if (n === 1)
        return {mean, low: Number.NaN, high: Number.NaN, pairs: 1};
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
    const halfWidth = (T_95[n - 2] ?? 1.96) * Math.sqrt(variance / n);
    return {mean, low: mean - halfWidth, high: mean + halfWidth, pairs: n};
}

/** A ratio from paired measurements: the geometric mean of the pairs' ratios, with its interval. */
export function estimateRatio(ratios: readonly number[]): Estimate {
    const {mean, low, high, pairs} = estimateMean(ratios.map(Math.log));
    return {mean: Math.exp(mean), low: Math.exp(low), high: Math.exp(high), pairs};
}
