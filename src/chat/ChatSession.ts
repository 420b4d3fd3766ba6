/**
 * Runs the chat: one conversation at a time, one turn at a time, streamed
 * through a backend to the page and saved after every turn. No `vscode` import:
 * the view provider adapts it to the webview and the editor.
 */
import {randomUUID} from "node:crypto";
import type {ChatBackend, SamplingOptions, StreamFrame} from "../core/chatTypes.ts";
import {Conversation, type Attachment, type StoredConversation} from "./Conversation.ts";
import {macrosForPage, type HostMessage} from "./webviewProtocol.ts";

/** Where conversations are saved; the extension's store writes them to its global storage. */
export type ConversationSaver = {
    save(conversation: StoredConversation): Promise<void>;
};

export type ChatSessionOptions = {
    backend: ChatBackend;
    saver?: ConversationSaver;
    /** Read at the start of every turn, so settings apply without a reload. */
    turnSettings: () => {systemPrompt: string; sampling: SamplingOptions};
    post: (message: HostMessage) => void;
    /** Told about each answer that ends in an error, to offer the next step. */
    onError?: (frame: Extract<StreamFrame, {kind: "error"}>) => void;
    onGeneratingChange?: (generating: boolean) => void;
    log: {error(message: string): void};
};

export type AskOptions = {
    reasoning: boolean;
    attachment?: Attachment;
    /** Answers this turn instead of the session's backend. */
    backend?: ChatBackend;
    macros?: Record<string, string>;
};

export class ChatSession {
    private current = new Conversation();
    private turn: {id: string; controller: AbortController; done: Promise<void>} | undefined;

    public constructor(private readonly options: ChatSessionOptions) {}

    public get conversation(): Conversation {
        return this.current;
    }

    public get generating(): boolean {
        return this.turn != null;
    }

    /** Sends the whole conversation to the page. */
    public show() {
        this.options.post({type: "conversation", title: this.current.title, messages: [...this.current.shown], generating: this.generating});
    }

    /**
     * Asks a question; resolves when the answer has ended. A command that composes
     * its answer from several model turns (Summarize) passes its own `backend`;
     * `macros` render the answer's math with a manuscript's `\newcommand`s.
     */
    public async ask(prompt: string, options: AskOptions): Promise<void> {
        if (this.turn != null)
            throw new Error("AstroSage is still answering. Stop it first, or wait for the answer.");
        const macros = options.macros == null ? undefined : macrosForPage(options.macros);
        this.current.startTurn(prompt, options.attachment, macros);
        await this.run(prompt, options.attachment?.label, options.reasoning, options.backend, macros);
    }

    /** Generates the last answer again. */
    public async regenerate(options: {reasoning: boolean}): Promise<void> {
        if (this.turn != null || !this.current.restartLastAnswer())
            return;
        await this.run(null, undefined, options.reasoning);
    }

    /** Stops the answer being generated; resolves when it has ended. */
    public async stop(): Promise<void> {
        const turn = this.turn;
        turn?.controller.abort();
        await turn?.done;
    }

    /** Starts a new, empty conversation (stopping any answer first). */
    public async startNew(): Promise<void> {
        await this.stop();
        this.current = new Conversation();
        this.show();
    }

    /** Opens a saved conversation. */
    public async open(stored: StoredConversation): Promise<void> {
        await this.stop();
        this.current = new Conversation(stored);
        this.show();
    }

    private async run(prompt: string | null, context: string | undefined, reasoning: boolean, turnBackend?: ChatBackend, macros?: Record<string, string>) {
        const {post, turnSettings, log} = this.options;
        const backend = turnBackend ?? this.options.backend;
        const conversation = this.current;
        const id = randomUUID();
        const controller = new AbortController();
        let finished!: () => void;
        this.turn = {id, controller, done: new Promise((resolve) => finished = resolve)};
        this.options.onGeneratingChange?.(true);
        macros ??= conversation.shown.at(-1)?.macros;
        post({type: "turnStarted", requestId: id, prompt, ...(context == null ? {} : {context}), ...(macros == null ? {} : {macros})});
        void this.save(conversation);

        const onFrame = (frame: StreamFrame) => {
            conversation.apply(frame);
            post({type: "frame", requestId: id, frame});
            if (frame.kind === "error")
                this.options.onError?.(frame);
        };
        try {
            const {systemPrompt, sampling} = turnSettings();
            await backend.chat({messages: conversation.toModelMessages(), systemPrompt, reasoning, sampling, promptCache: conversation.promptCache}, onFrame, controller.signal);
        } catch (error) {
            log.error(`Chat turn failed: ${String(error)}`);
            onFrame({kind: "error", code: "internal", message: `The answer failed: ${error instanceof Error ? error.message : String(error)}`});
        } finally {
            this.turn = undefined;
            finished();
            this.options.onGeneratingChange?.(false);
            await this.save(conversation);
        }
    }

    private async save(conversation: Conversation) {
        if (this.options.saver == null || conversation.isEmpty)
            return;
        try {
            await this.options.saver.save(conversation.toStored());
        } catch (error) {
            this.options.log.error(`Saving the chat failed: ${String(error)}`);
        }
    }
}
