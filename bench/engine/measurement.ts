/**
 * What one benchmark turn measures, timed the same way on both sides: from the
 * caller's point of view, by the text and thought chunks it receives.
 */
import type {TurnStats} from "../../src/core/chatTypes.ts";

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
    /** Extension side only: the engine's own figures, measured inside its process. */
    engineStats?: TurnStats;
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
