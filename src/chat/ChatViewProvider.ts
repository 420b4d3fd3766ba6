/**
 * The sidebar chat view: adapts the chat session to the webview and the editor.
 * The page can be hidden, reloaded or not yet created; the session lives here
 * and is sent again when the page is ready.
 */
import * as vscode from "vscode";
import type {ChatBackend, StreamFrame} from "../core/chatTypes.ts";
import {describeStatus, describeStatusDetail, type ModelStatus} from "../core/ModelStatus.ts";
import type {Config} from "../config.ts";
import {SelectionTracker} from "../editor/SelectionTracker.ts";
import {findBuild} from "../core/modelCatalog.ts";
import type {ActiveDownload, DownloadService} from "../models/DownloadService.ts";
import type {CatalogAdvice, ModelAdvisor} from "../models/ModelAdvisor.ts";
import type {ModelLibrary} from "../models/ModelLibrary.ts";
import {buildWelcome} from "./buildWelcome.ts";
import {chatHtml} from "./chatHtml.ts";
import {ChatSession, type AskOptions, type ConversationSaver} from "./ChatSession.ts";
import type {Attachment} from "./Conversation.ts";
import {parseViewMessage, type HostMessage, type NoticeAction, type ViewMessage, type WelcomeAction} from "./webviewProtocol.ts";

export type ChatViewDependencies = {
    extensionUri: vscode.Uri;
    config: Config;
    backend: ChatBackend;
    saver?: ConversationSaver;
    log: vscode.LogOutputChannel;
    advisor: ModelAdvisor;
    library: ModelLibrary;
    downloads: DownloadService;
};

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
    public static readonly viewId = "astrosage.chat";

    public readonly session: ChatSession;
    private view: vscode.WebviewView | undefined;
    private status: ModelStatus = {state: "noModel"};
    private readonly selection: SelectionTracker;
    private readonly disposables: vscode.Disposable[] = [];
    /** The catalog advice once known (it is computed when the welcome is first shown). */
    private advice: CatalogAdvice | undefined;
    private adviceRequested = false;
    /** Files of manuscripts read in this window, which source links may open. */
    private readonly sourceFiles = new Set<string>();
    /** Resolves when the page has loaded and said "ready"; a new page starts a new wait. */
    private pageReady!: Promise<void>;
    private markPageReady!: () => void;
    /** The last failed download's message, shown in the welcome until the next attempt. */
    private downloadProblem: string | undefined;

    public constructor(private readonly deps: ChatViewDependencies) {
        this.session = new ChatSession({
            backend: deps.backend,
            saver: deps.saver,
            turnSettings: () => ({systemPrompt: deps.config.systemPrompt, sampling: deps.config.sampling}),
            post: (message) => this.post(message),
            onError: (frame) => this.showError(frame),
            onGeneratingChange: (generating) => void vscode.commands.executeCommand("setContext", "astrosage.generating", generating),
            log: deps.log
        });
        this.expectPage();
        this.selection = new SelectionTracker((selection) => this.post({type: "selection", selection}));
        const stopWatchingDownloads = deps.downloads.onChange((download) => this.onDownloadChange(download));
        this.disposables.push({dispose: stopWatchingDownloads});
        this.disposables.push(this.selection, vscode.workspace.onDidChangeConfiguration((event) => {
            if (event.affectsConfiguration("astrosage.chat"))
                this.postSettings();
        }));
    }

    public resolveWebviewView(view: vscode.WebviewView): void {
        this.view = view;
        this.expectPage();
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
                if (this.view === view) {
                    this.view = undefined;
                    this.expectPage();
                }
            })
        );
    }

    /** Shows the model's state in the header. */
    public setStatus(status: ModelStatus) {
        this.status = status;
        this.post({
            type: "status",
            text: describeStatus(status),
            detail: describeStatusDetail(status),
            busy: status.state === "loading" || status.state === "starting" || status.state === "generating"
        });
        if (status.state !== "error")
            this.post({type: "notice", notice: null});
        void this.refreshWelcome();
    }

    /** Shows the view with the current selection included and the cursor in the prompt box. */
    public async askAboutSelection() {
        await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
        this.selection.include();
        this.post({type: "focusPrompt"});
    }

    /**
     * Whether a command may start a new chat: when an answer is being written, the
     * user chooses to stop it (it stays in its chat) or to keep it.
     */
    public async readyForNewChat(action: string): Promise<boolean> {
        if (!this.session.generating)
            return true;
        const stop = `Stop and ${action}`;
        const choice = await vscode.window.showWarningMessage(
            `AstroSage is still answering. Stop that answer and ${action.toLowerCase()} in a new chat? (What it has written stays in its chat, under Open Past Chat.)`,
            stop
        );
        if (choice !== stop)
            return false;
        await this.session.stop();
        return true;
    }

    /**
     * Starts a new chat with a prompt from a command (Explain Code, Summarize…): shows
     * the view and streams the answer there. Resolves when the answer has ended.
     */
    public async askInNewChat(prompt: string, attachment?: Attachment, options: Omit<AskOptions, "reasoning" | "attachment"> = {}): Promise<void> {
        await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
        // A page that is still loading would miss the turn's start and then ignore its frames.
        await Promise.race([this.pageReady, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (this.session.generating)
            throw new Error("AstroSage is still answering. Stop it first, or wait for the answer.");
        await this.session.startNew();
        // The command's text goes with this question; the editor's selection is not sent again with follow-ups.
        if (attachment != null)
            this.selection.dismiss();
        await this.session.ask(prompt, {reasoning: this.deps.config.reasoning, attachment, ...options});
    }

    private expectPage() {
        this.pageReady = new Promise((resolve) => this.markPageReady = resolve);
    }

    public dispose() {
        void this.session.stop();
        for (const disposable of this.disposables)
            disposable.dispose();
    }

    private receive(raw: unknown) {
        const {message, problem} = parseViewMessage(raw);
        if (message == null) {
            this.deps.log.warn(`Ignored a malformed message from the chat view: ${problem}`);
            return;
        }
        this.handle(message).catch((error: unknown) => {
            this.deps.log.error(`Chat view request "${message.type}" failed: ${String(error)}`);
            void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
        });
    }

    private async handle(message: ViewMessage) {
        switch (message.type) {
            case "ready":
                this.markPageReady();
                this.session.show();
                this.postSettings();
                this.setStatus(this.status);
                this.post({type: "selection", selection: this.selection.current});
                return;
            case "send": {
                const attachment = message.includeSelection ? this.selection.attachment() : undefined;
                return this.session.ask(message.text, {reasoning: message.reasoning, attachment});
            }
            case "stop":
                return this.session.stop();
            case "regenerate":
                return this.session.regenerate({reasoning: message.reasoning});
            case "dismissSelection":
                return this.selection.dismiss();
            case "noticeAction":
                await vscode.commands.executeCommand(noticeCommands[message.action]);
                return;
            case "welcomeAction":
                return this.onWelcomeAction(message.action, message.buildId);
            case "openLink":
                return this.openLink(message.href);
            case "openSource":
                return this.openSource(message.file, message.line);
            case "copy":
                await vscode.env.clipboard.writeText(message.text);
                void vscode.window.setStatusBarMessage("Copied", 2000);
                return;
            case "insertCode":
                return insertAtCursor(message.code);
        }
    }

    /** Opens a link from an answer, only on the web: never a command, file or other scheme. */
    private async openLink(href: string) {
        let url: URL;
        try {
            url = new URL(href);
        } catch {
            this.deps.log.warn(`Not opening a malformed link: ${href}`);
            return;
        }
        if (url.protocol !== "https:" && url.protocol !== "http:") {
            this.deps.log.warn(`Not opening a ${url.protocol} link from an answer: ${href}`);
            return;
        }
        await vscode.env.openExternal(vscode.Uri.parse(url.href, true));
    }

    /**
     * Opens a manuscript's file at a line, from a summary's link. Only a file of a
     * manuscript read in this window, or one in the workspace: the link is in
     * model-visible text, and a page must not open arbitrary files.
     */
    private async openSource(file: string, line: number) {
        const uri = vscode.Uri.file(file);
        if (!this.sourceFiles.has(file) && vscode.workspace.getWorkspaceFolder(uri) == null) {
            this.deps.log.warn(`Not opening ${file} from a link: it is not part of a manuscript read here or of the workspace.`);
            void vscode.window.showWarningMessage(`${file} is not part of this workspace; open it yourself if you trust the link.`);
            return;
        }
        let document: vscode.TextDocument;
        try {
            document = await vscode.workspace.openTextDocument(uri);
        } catch (error) {
            this.deps.log.warn(`Opening ${file} failed: ${String(error)}`);
            void vscode.window.showErrorMessage(`${file} could not be opened; it may have been moved or deleted.`);
            return;
        }
        const position = new vscode.Position(Math.min(line, document.lineCount) - 1, 0);
        await vscode.window.showTextDocument(document, {
            viewColumn: vscode.ViewColumn.One,
            selection: new vscode.Range(position, position)
        });
    }

    /** Lets summary links open these files (a manuscript's, read by a command). */
    public allowSourceFiles(files: Iterable<string>) {
        for (const file of files)
            this.sourceFiles.add(file);
    }

    /**
     * Shows the welcome while no model is chosen: the build for this machine
     * (worked out from its header on first showing), or the download in progress.
     */
    private async refreshWelcome() {
        if (this.view == null)
            return;
        if (this.deps.config.modelPath !== "" || this.deps.config.backendKind === "server") {
            this.post({type: "welcome", welcome: null});
            return;
        }
        if (!this.adviceRequested) {
            this.adviceRequested = true;
            void this.deps.advisor.advise().then((advice) => {
                this.advice = advice;
                if (!advice.ok)
                    this.deps.log.warn(`Could not work out which build fits this machine: ${advice.problem}`);
                void this.refreshWelcome();
            });
        }
        const download = this.deps.downloads.active;
        // Which builds can resume matters only for the Download button, hidden while a download runs:
        // the folder is not read on every progress step.
        const resumable = download != null
            ? new Set<string>()
            : new Set((await this.deps.library.list()).filter((file) => file.partial && file.build != null).map((file) => file.build!.id));
        this.post({
            type: "welcome",
            welcome: buildWelcome({advice: this.advice, download, resumable, downloadProblem: this.downloadProblem})
        });
    }

    /** Keeps the last failure for the welcome. (Progress reaches the welcome through setStatus.) */
    private onDownloadChange(download: ActiveDownload | undefined) {
        if (download == null || download.progress != null)
            return;
        // A new attempt: forget the last one's failure, and show this one's when it ends.
        this.downloadProblem = undefined;
        void download.outcome.then((outcome) => {
            if (!outcome.ok && outcome.code !== "cancelled")
                this.downloadProblem = outcome.message;
            void this.refreshWelcome();
        });
    }

    private async onWelcomeAction(action: WelcomeAction, buildId: string | undefined) {
        switch (action) {
            case "download": {
                const build = buildId == null ? undefined : findBuild(buildId);
                await vscode.commands.executeCommand("astrosage.downloadModel", build?.id);
                return;
            }
            case "cancelDownload":
                this.deps.downloads.active?.cancel();
                return;
            case "retry":
                this.deps.advisor.forget();
                this.advice = undefined;
                this.adviceRequested = false;
                this.downloadProblem = undefined;
                return this.refreshWelcome();
            case "selectModel":
                await vscode.commands.executeCommand("astrosage.selectModel");
                return;
            case "selectModelFile":
                await vscode.commands.executeCommand("astrosage.selectModelFile");
                return;
            case "connectToServer":
                await vscode.commands.executeCommand("astrosage.connectToServer");
                return;
        }
    }

    private postSettings() {
        const {config} = this.deps;
        this.post({type: "settings", reasoning: config.reasoning, reasoningDisplay: config.reasoningDisplay});
    }

    private showError(frame: Extract<StreamFrame, {kind: "error"}>) {
        this.deps.log.warn(`Answer ended with an error (${frame.code}): ${frame.message}`);
        switch (frame.code) {
            case "noModel":
                // The welcome above the conversation says how to get a model.
                void this.refreshWelcome();
                return;
            case "modelNotFound":
            case "invalidModel":
                this.post({type: "notice", notice: {text: frame.message, action: "selectModel", actionLabel: "Select Model…"}});
                return;
            case "engineCrashed":
                // The crash itself is announced once by the engine's crash handler.
                return;
            case "noServer":
            case "serverUnreachable":
            case "serverRejected":
                this.post({type: "notice", notice: {text: frame.message, action: "connectToServer", actionLabel: "Connect to Server…"}});
                return;
            case "serverAuth":
                this.post({type: "notice", notice: {text: frame.message, action: "setServerApiKey", actionLabel: "Set API Key…"}});
                return;
            default:
                this.post({type: "notice", notice: {text: frame.message, action: "showLog", actionLabel: "Show Log"}});
        }
    }

    private post(message: HostMessage) {
        void this.view?.webview.postMessage(message);
    }
}

async function insertAtCursor(code: string) {
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
    if (editor == null) {
        void vscode.window.showInformationMessage("Open an editor to insert the code into.");
        return;
    }
    const {document} = editor;
    await editor.edit((edit) => {
        for (const selection of editor.selections) {
            // A code block is lines: keep it off the text around an empty cursor.
            const line = document.lineAt(selection.start.line).text;
            const before = selection.isEmpty && line.slice(0, selection.start.character).trim() !== "" ? "\n" : "";
            const after = selection.isEmpty && line.slice(selection.end.character).trim() !== "" && !code.endsWith("\n") ? "\n" : "";
            edit.replace(selection, before + code + after);
        }
    });
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
}

const noticeCommands: Record<NoticeAction, string> = {
    selectModel: "astrosage.selectModel",
    selectModelFile: "astrosage.selectModelFile",
    showLog: "astrosage.showLog",
    connectToServer: "astrosage.connectToServer",
    setServerApiKey: "astrosage.setServerApiKey"
};
