/**
 * What the model is doing, as the chat view and status bar show it.
 */
import type {TurnStats} from "./chatTypes.ts";

export type ModelStatus =
    | {state: "noModel"}
    | {state: "notLoaded"; name: string}
    | {state: "starting"}
    | {state: "loading"; name: string; progress: number}
    | {state: "ready"; name: string; device: string; lastStats?: TurnStats}
    | {state: "generating"; name: string; device: string}
    | {state: "error"; message: string};

/** A short line for the chat header and the status bar. */
export function describeStatus(status: ModelStatus): string {
    switch (status.state) {
        case "noModel": return "No model selected";
        case "notLoaded": return `${status.name} · loads on first question`;
        case "starting": return "Starting engine…";
        case "loading": return `Loading ${status.name} ${Math.round(status.progress * 100)}%`;
        case "ready": return status.lastStats == null
            ? `${status.name} · ready on ${status.device}`
            : `${status.name} · ready on ${status.device} · last answer ${status.lastStats.tokensPerSecond.toFixed(1)} tok/s`;
        case "generating": return `${status.name} · generating…`;
        case "error": return status.message;
    }
}
