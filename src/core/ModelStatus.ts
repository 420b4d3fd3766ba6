/**
 * What the model is doing, as the chat view and status bar show it.
 */
import type {TurnStats} from "./chatTypes.ts";

export type ModelStatus =
    | {state: "noModel"}
    | {state: "downloading"; name: string; progress: number; detail: string}
    | {state: "notLoaded"; name: string}
    | {state: "starting"}
    | {state: "loading"; name: string; progress: number}
    | {state: "ready"; name: string; device: string; lastStats?: TurnStats}
    | {state: "generating"; name: string; device: string; tokensPerSecond?: number}
    | {state: "error"; message: string}
    /** The server backend before its first answer: the model is on `host`, nothing to load here. */
    | {state: "server"; name: string; host: string};

/** A short line for the chat header and the status bar. */
export function describeStatus(status: ModelStatus): string {
    switch (status.state) {
        case "noModel": return "No model downloaded";
        case "downloading": return `Downloading ${status.name} ${Math.floor(status.progress * 100)}%`;
        case "notLoaded": return `${status.name} · loads on first question`;
        case "starting": return "Starting engine…";
        case "loading": return `Loading ${status.name} ${Math.round(status.progress * 100)}%`;
        case "ready": return status.lastStats == null
            ? `${status.name} · ready on ${status.device}`
            : `${status.name} · ready on ${status.device} · last answer ${status.lastStats.tokensPerSecond.toFixed(1)} tok/s`;
        case "generating": return status.tokensPerSecond == null
            ? `${status.name} · generating…`
            : `${status.name} · generating at ${status.tokensPerSecond.toFixed(1)} tok/s`;
        case "error": return status.message;
        case "server": return `${status.name} on ${status.host}`;
    }
}

/** A longer description for tooltips: the model's state and the last answer's figures. */
export function describeStatusDetail(status: ModelStatus): string {
    if (status.state === "downloading")
        return `Downloading ${status.name}: ${status.detail}`;
    if (status.state !== "ready" || status.lastStats == null)
        return describeStatus(status);
    const stats = status.lastStats;
    return [
        `${status.name} on ${status.device}`,
        `Last answer: ${stats.generatedTokens} tokens at ${stats.tokensPerSecond.toFixed(1)} tok/s`,
        `Prompt: ${stats.promptTokens} tokens evaluated, first token after ${(stats.timeToFirstTokenMs / 1000).toFixed(2)} s`,
        `Stopped: ${stopReasonText[stats.stopReason] ?? stats.stopReason}`
    ].join("\n");
}

const stopReasonText: Record<string, string> = {
    eogToken: "the answer was complete",
    maxTokens: "the length limit was reached",
    abort: "stopped by you"
};
