/**
 * One conversation as the extension keeps it: what the user asked, what the
 * model answered and thought, and how each answer ended. It lives in the
 * extension host, so it outlives engine crashes and webview reloads.
 */
import type {ChatMessage, StreamFrame} from "../core/chatTypes.ts";
import type {ShownMessage} from "./webviewProtocol.ts";

export class Conversation {
    private readonly messages: ShownMessage[] = [];

    /** Adds the user's prompt and an empty answer that frames fill in. */
    public startTurn(prompt: string) {
        this.messages.push({role: "user", text: prompt, thought: ""});
        this.messages.push({role: "assistant", text: "", thought: ""});
    }

    /** Applies a frame of the answer being streamed. */
    public apply(frame: StreamFrame) {
        const answer = this.messages.at(-1);
        if (answer?.role !== "assistant")
            return;

        switch (frame.kind) {
            case "text": answer.text += frame.text; break;
            case "thought": answer.thought += frame.text; break;
            case "done": answer.stats = frame.stats; break;
            case "error": answer.error = frame.message; break;
        }
    }

    /** The conversation as the page shows it. */
    public get shown(): readonly ShownMessage[] {
        return this.messages;
    }

    /**
     * The conversation as the model should see it: thoughts are left out (the
     * model reasons afresh each turn), and a turn that failed before any answer
     * text is left out whole, so a retry does not send the question twice.
     */
    public toModelMessages(): ChatMessage[] {
        const result: ChatMessage[] = [];
        for (let i = 0; i < this.messages.length; i++) {
            const message = this.messages[i]!;
            const answer = this.messages[i + 1];
            if (message.role === "user" && answer?.role === "assistant" && answer.error != null && answer.text === "") {
                i++;
                continue;
            }
            if (message.role === "assistant" && message.text === "" && i === this.messages.length - 1)
                continue; // the answer being generated
            result.push({role: message.role, text: message.text});
        }
        return result;
    }
}
