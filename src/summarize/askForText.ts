/**
 * One model turn whose answer is gathered as text, for commands that build on
 * several turns (Summarize's parts, Review's parts). The answer also streams to
 * `onText`, the reasoning to `onThought`. No `vscode` import.
 */
import type {ChatBackend, ChatTurn, StreamFrame, TurnStats} from "../core/chatTypes.ts";
import type {SummaryPart} from "./planSummary.ts";

export type TurnText = {
    text: string;
    /** Set when the turn ended normally (also after a stop, with stop reason "abort"). */
    stats?: TurnStats;
    /** Set when the turn failed. */
    error?: Extract<StreamFrame, {kind: "error"}>;
};

export async function askForText(
    backend: ChatBackend,
    turn: ChatTurn,
    signal: AbortSignal,
    stream: {onText?: (text: string) => void; onThought?: (text: string) => void} = {}
): Promise<TurnText> {
    const result: TurnText = {text: ""};
    await backend.chat(turn, (frame) => {
        switch (frame.kind) {
            case "text":
                result.text += frame.text;
                stream.onText?.(frame.text);
                return;
            case "thought":
                stream.onThought?.(frame.text);
                return;
            case "done":
                result.stats = frame.stats;
                return;
            case "error":
                result.error = frame;
                return;
        }
    }, signal);
    return result;
}

/** A part as the progress names it: "§3.2 Photometry", "§2 Data to §3 Results", "§4 Discussion (part 2 of 3)". */
export function partLabel(part: SummaryPart): string {
    const piece = part.piece == null ? "" : ` (part ${part.piece.index} of ${part.piece.count})`;
    const first = part.headings[0]?.title ?? "";
    return part.headings.length > 1 ? `${first} to ${part.headings.at(-1)!.title}` : `${first}${piece}`;
}

/** Figures for an answer made of several turns (a summary, a review): the sum of its turns. */
export class StatsTotal {
    private promptTokens = 0;
    private generatedTokens = 0;
    private firstTokenMs: number | undefined;
    private decodeSeconds = 0;
    /** Tokens after each turn's first: the ones its rate is measured over. */
    private decodedTokens = 0;
    private readonly started = performance.now();
    private elapsedBeforeFirst = 0;
    private thoughtTokens = 0;
    private thoughtMs = 0;

    public add(stats: TurnStats | undefined) {
        if (stats == null)
            return;
        this.promptTokens += stats.promptTokens;
        this.generatedTokens += stats.generatedTokens;
        this.thoughtTokens += stats.thoughtTokens;
        this.thoughtMs += stats.thoughtMs;
        if (this.firstTokenMs == null && stats.generatedTokens > 0)
            this.firstTokenMs = this.elapsedBeforeFirst + stats.timeToFirstTokenMs;
        else if (this.firstTokenMs == null)
            this.elapsedBeforeFirst += stats.durationMs;
        if (stats.tokensPerSecond > 0) {
            this.decodedTokens += stats.generatedTokens - 1;
            this.decodeSeconds += (stats.generatedTokens - 1) / stats.tokensPerSecond;
        }
    }

    public result(stopReason: TurnStats["stopReason"]): TurnStats {
        return {
            promptTokens: this.promptTokens,
            generatedTokens: this.generatedTokens,
            timeToFirstTokenMs: this.firstTokenMs ?? 0,
            tokensPerSecond: this.decodeSeconds > 0 ? this.decodedTokens / this.decodeSeconds : 0,
            durationMs: performance.now() - this.started,
            thoughtTokens: this.thoughtTokens,
            thoughtMs: this.thoughtMs,
            stopReason
        };
    }
}
