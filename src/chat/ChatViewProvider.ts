/**
 * The sidebar chat: owns the conversation, runs turns through the backend and
 * streams their frames to the page. The page can be hidden, reloaded or not yet
 * created; the conversation lives here and is sent again when the page is ready.
 */
import {randomUUID} from "node:crypto";
import * as vscode from "vscode";
import type {ChatBackend, StreamFrame} from "../core/chatTypes.ts";
import {describeStatus, type ModelStatus} from "../core/ModelStatus.ts";
import type {Config} from "../config.ts";
import {chatHtml} from "./chatHtml.ts";
import {Conversation} from "./Conversation.ts";
import {parseViewMessage, type HostMessage, type NoticeAction, type ViewMessage} from "./webviewProtocol.ts";

export type ChatViewDependencies = {
    extensionUri: vscode.Uri;
    config: Config;
    backend: ChatBackend;
    log: vscode.LogOutputChannel;
};

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
    public static readonly viewId = "astrosage.chat";

    private view: vscode.WebviewView | undefined;
    private conversation = new Conversation();
    private turn: {id: string; controller: AbortController} | undefined;
    private status: ModelStatus = {state: "noModel"};
    private readonly disposables: vscode.Disposable[] = [];

    public constructor(private readonly deps: ChatViewDependencies) {}

    public resolveWebviewView(view: vscode.WebviewView): void {
        this.view = view;
        const {extensionUri} = this.deps;
        view.webview.options = {
            enableScripts: true,
            enableCommandUris: false,
            localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist"), vscode.Uri.joinPath(extensionUri, "media")]
        };
        view.webview.html = chatHtml(view.webview, extensionUri);
        this.disposables.push(
            view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
            view.onDidDispose(() => {
                if (this.view === view)
                    this.view = undefined;
            })
        );
    }

    /** Whether an answer is being generated. */
    public get generating(): boolean {
        return this.turn != null;
    }

    /** Shows the model's state in the header. */
    public setStatus(status: ModelStatus) {
        this.status = status;
        this.post({type: "status", text: describeStatus(status), busy: status.state === "loading" || status.state === "starting" || status.state === "generating"});
        if (status.state === "noModel")
            this.post({type: "notice", notice: noModelNotice});
        else if (status.state !== "error")
            this.post({type: "notice", notice: null});
    }

    /** Stops the answer being generated, if any. */
    public stop() {
        this.turn?.controller.abort();
    }

    /** Sends a prompt as if the user had typed it. */
    public async ask(prompt: string): Promise<void> {
        if (this.turn != null) {
            void vscode.window.showInformationMessage("AstroSage is still answering. Stop it first, or wait for the answer.");
            return;
        }

        const {config, backend, log} = this.deps;
        const id = randomUUID();
        const controller = new AbortController();
        this.turn = {id, controller};
        void vscode.commands.executeCommand("setContext", "astrosage.generating", true);

        const messages = this.conversation.toModelMessages();
        this.conversation.startTurn(prompt);
        messages.push({role: "user", text: prompt});
        this.post({type: "turnStarted", requestId: id, prompt});

        const onFrame = (frame: StreamFrame) => {
            this.conversation.apply(frame);
            this.post({type: "frame", requestId: id, frame});
            if (frame.kind === "error")
                this.showError(frame);
        };
        try {
            await backend.chat({
                messages,
                systemPrompt: config.systemPrompt,
                reasoning: config.reasoning,
                sampling: config.sampling
            }, onFrame, controller.signal);
        } catch (error) {
            log.error(`Chat turn failed: ${String(error)}`);
            onFrame({kind: "error", code: "internal", message: `The answer failed: ${error instanceof Error ? error.message : String(error)}`});
        } finally {
            this.turn = undefined;
            void vscode.commands.executeCommand("setContext", "astrosage.generating", false);
        }
    }

    public dispose() {
        this.stop();
        for (const disposable of this.disposables)
            disposable.dispose();
    }

    private receive(raw: unknown) {
        const {message, problem} = parseViewMessage(raw);
        if (message == null) {
            this.deps.log.warn(`Ignored a malformed message from the chat view: ${problem}`);
            return;
        }
        this.handle(message);
    }

    private handle(message: ViewMessage) {
        switch (message.type) {
            case "ready":
                this.post({type: "conversation", messages: [...this.conversation.shown], generating: this.generating});
                this.setStatus(this.status);
                return;
            case "send":
                void this.ask(message.text);
                return;
            case "stop":
                this.stop();
                return;
            case "noticeAction":
                void vscode.commands.executeCommand(noticeCommands[message.action]);
                return;
        }
    }

    private showError(frame: Extract<StreamFrame, {kind: "error"}>) {
        const {log} = this.deps;
        log.warn(`Answer ended with an error (${frame.code}): ${frame.message}`);
        switch (frame.code) {
            case "noModel":
                this.post({type: "notice", notice: noModelNotice});
                return;
            case "modelNotFound":
            case "invalidModel":
                this.post({type: "notice", notice: {text: frame.message, action: "selectModelFile", actionLabel: "Select Model File…"}});
                return;
            case "engineCrashed":
                // The crash itself is announced once by the engine's crash handler.
                return;
            default:
                this.post({type: "notice", notice: {text: frame.message, action: "showLog", actionLabel: "Show Log"}});
        }
    }

    private post(message: HostMessage) {
        void this.view?.webview.postMessage(message);
    }
}

const noModelNotice = {
    text: "No AstroSage model is selected. Choose an AstroSage GGUF file (for example AstroSage-8B.Q4_K_M.gguf) to start.",
    action: "selectModelFile",
    actionLabel: "Select Model File…"
} as const;

const noticeCommands: Record<NoticeAction, string> = {
    selectModelFile: "astrosage.selectModelFile",
    showLog: "astrosage.showLog"
};
