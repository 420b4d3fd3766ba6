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
