/**
 * One conversation as the extension keeps it: what the user asked (and the editor
 * selection sent with it), what the model answered and thought, and how each
 * answer ended. It lives in the extension host, so it outlives engine crashes
 * and webview reloads, and it is saved after every turn.
 */
import {createHash, randomUUID} from "node:crypto";
import type {ChatMessage, PromptCacheHint, StreamFrame} from "../core/chatTypes.ts";
import type {StoredConversation} from "./store/storedConversation.ts";
import {withoutSourceLinks} from "../core/sourceLinks.ts";
import {titleFromPrompt} from "./store/titleFromPrompt.ts";
import type {ShownMessage} from "./webviewProtocol.ts";

export type {StoredConversation};

/** Text from the editor sent along with a prompt. */
export type Attachment = {
    /** Where it came from, as the user sees it: "fit.py:12-30". */
    label: string;
    /** What the model receives before the prompt. */
    text: string;
    /**
     * Set when the text is a document the conversation is about (a paper): a
     * stable id for it, such as its root file's path. Sent with the first prompt,
     * it is the conversation's fixed beginning, whose evaluated state a backend may
     * keep and reuse on every later turn (`ChatTurn.promptCache`).
     */
    document?: string;
};

export class Conversation {
    public readonly id: string;
    public readonly createdAt: string;
    private updated: string;
    private readonly messages: ShownMessage[];
    private cacheHint: PromptCacheHint | undefined;

    public constructor(stored?: StoredConversation) {
        this.id = stored?.id ?? randomUUID();
        this.createdAt = stored?.createdAt ?? new Date().toISOString();
        this.updated = stored?.updatedAt ?? this.createdAt;
        this.messages = stored?.messages.map((message) => ({...message})) ?? [];
        this.cacheHint = stored?.promptCache == null ? undefined : {...stored.promptCache};
    }

    /** Set when the conversation starts with a document (see `Attachment.document`); sent with every turn. */
    public get promptCache(): PromptCacheHint | undefined {
        return this.cacheHint;
    }

    /** Titled from the first prompt; "New chat" until there is one. */
    public get title(): string {
        return titleFromPrompt(this.messages.find((message) => message.role === "user")?.text ?? "");
    }

    public get isEmpty(): boolean {
        return this.messages.length === 0;
    }

    /** The conversation as the page shows it. */
    public get shown(): readonly ShownMessage[] {
        return this.messages;
    }

    /** The last user prompt, for "regenerate". */
    public get lastPrompt(): ShownMessage | undefined {
        return this.messages.findLast((message) => message.role === "user");
    }

    /** Adds the user's prompt and an empty answer that frames fill in (rendered with `macros`, for an answer about a manuscript). */
    public startTurn(prompt: string, attachment?: Attachment, macros?: Record<string, string>) {
        if (this.messages.length === 0 && attachment?.document != null)
            this.cacheHint = {key: createHash("sha256").update(attachment.text).digest("hex"), document: attachment.document};
        this.messages.push({
            role: "user",
            text: prompt,
            thought: "",
            ...(attachment == null ? {} : {context: attachment.label, attachment: attachment.text})
        });
        this.messages.push({role: "assistant", text: "", thought: "", ...(macros == null ? {} : {macros})});
        this.touch();
    }

    /** Replaces the last answer with an empty one, to generate it again. */
    public restartLastAnswer(): boolean {
        if (this.messages.at(-1)?.role !== "assistant")
            return false;
        const {macros} = this.messages.at(-1)!;
        this.messages[this.messages.length - 1] = {role: "assistant", text: "", thought: "", ...(macros == null ? {} : {macros})};
        this.touch();
        return true;
    }

    /** Applies a frame of the answer being streamed. */
    public apply(frame: StreamFrame) {
        const answer = this.messages.at(-1);
        if (answer?.role !== "assistant")
            return;

        switch (frame.kind) {
            case "text": answer.text += frame.text; break;
            case "thought": answer.thought += frame.text; break;
            case "done": answer.stats = frame.stats; this.touch(); break;
            case "error": answer.error = frame.message; this.touch(); break;
        }
    }

    /**
     * The conversation as the model should see it: thoughts are left out (the
     * model reasons afresh each turn), a selection sent with a prompt goes before
     * it, and a turn that failed before any answer text is left out whole, so a
     * retry does not send the question twice.
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
            // Links back to the sources are for the reader; the model gets their words only.
            const shown = message.role === "assistant" ? withoutSourceLinks(message.text) : message.text;
            const text = message.attachment == null ? shown : `${message.attachment}\n\n${shown}`;
            result.push({role: message.role, text});
        }
        return result;
    }

    public toStored(): StoredConversation {
        return {
            id: this.id,
            title: this.title,
            createdAt: this.createdAt,
            updatedAt: this.updated,
            messages: this.messages.map((message) => ({...message})),
            ...(this.cacheHint == null ? {} : {promptCache: {...this.cacheHint}})
        };
    }

    private touch() {
        this.updated = new Date().toISOString();
    }
}
