/**
 * The backend the user chose (the local engine or an inference server), as one
 * `ChatBackend`: everything above it (chat, Summarize, Review, Explain) asks this
 * one, and a change of choice applies from the next turn.
 */
import type {ChatBackend, ChatTurn, StreamFrame} from "./chatTypes.ts";

export class SelectedBackend implements ChatBackend {
    public constructor(private readonly selected: () => ChatBackend) {}

    public chat(turn: ChatTurn, onFrame: (frame: StreamFrame) => void, signal: AbortSignal): Promise<void> {
        return this.selected().chat(turn, onFrame, signal);
    }

    public async countTokens(text: string, signal: AbortSignal): Promise<number | undefined> {
        return this.selected().countTokens?.(text, signal);
    }
}
