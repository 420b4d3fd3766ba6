/**
 * A server turn's figures, from what the client sees: the clock from the
 * request to the first and last streamed piece, and the server's own token
 * counts when it sends them (`usage`, llama-server's `timings`); otherwise one
 * token per streamed piece, which is how these servers stream.
 */
import type {StopReason, TurnStats} from "../core/chatTypes.ts";
import type {ChatCompletionChunk} from "./OpenAiClient.ts";

export class TurnMeter {
    private readonly start = performance.now();
    private firstPiece: number | undefined;
    private lastPiece = 0;
    private pieces = 0;
    private firstThought: number | undefined;
    private lastThought = 0;
    private thoughtPieces = 0;
    /** Summed over the turn's requests (a reasoning review makes two). */
    private serverPromptTokens: number | undefined;
    private serverGeneratedTokens: number | undefined;

    /** Counts one streamed piece of the answer or of the thought. */
    public piece(kind: "text" | "thought") {
        const now = performance.now();
        this.firstPiece ??= now;
        this.lastPiece = now;
        this.pieces++;
        if (kind === "thought") {
            this.firstThought ??= now;
            this.lastThought = now;
            this.thoughtPieces++;
        }
    }

    /** Takes the server's counts from a chunk that carries them (usually the last). */
    public counts(chunk: ChatCompletionChunk) {
        // llama-server's `prompt_n` counts only what it evaluated (a cached prefix is not), as the local engine does.
        const prompt = chunk.timings?.prompt_n ?? chunk.usage?.prompt_tokens;
        const generated = chunk.usage?.completion_tokens ?? chunk.timings?.predicted_n;
        if (typeof prompt === "number")
            this.serverPromptTokens = (this.serverPromptTokens ?? 0) + prompt;
        if (typeof generated === "number")
            this.serverGeneratedTokens = (this.serverGeneratedTokens ?? 0) + generated;
    }

    /** Tokens generated so far in the turn (a second request gets what is left of the budget). */
    public get generatedSoFar(): number {
        return this.serverGeneratedTokens ?? this.pieces;
    }

    public stats(stopReason: StopReason): TurnStats {
        const end = performance.now();
        const generatedTokens = Math.max(this.serverGeneratedTokens ?? 0, this.pieces);
        const decodeSeconds = this.firstPiece == null ? 0 : (this.lastPiece - this.firstPiece) / 1000;
        return {
            promptTokens: this.serverPromptTokens ?? 0,
            generatedTokens,
            timeToFirstTokenMs: this.firstPiece == null ? 0 : this.firstPiece - this.start,
            // From the first piece on, so the prompt's evaluation is not counted as generation.
            tokensPerSecond: decodeSeconds > 0 ? (generatedTokens - 1) / decodeSeconds : 0,
            durationMs: end - this.start,
            thoughtTokens: this.thoughtPieces,
            thoughtMs: this.firstThought == null ? 0 : this.lastThought - this.firstThought,
            stopReason
        };
    }
}
