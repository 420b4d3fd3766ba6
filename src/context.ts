/**
 * The extension's context: builds every part once and owns every disposable.
 * Nothing registers itself on import; everything is registered here.
 */
import * as vscode from "vscode";
import {ChatViewProvider} from "./chat/ChatViewProvider.ts";
import {ConversationStore} from "./chat/ConversationStore.ts";
import {registerCommands} from "./commands/registerCommands.ts";
import {Config} from "./config.ts";
import type {ChatBackend} from "./core/chatTypes.ts";
import type {ModelStatus} from "./core/ModelStatus.ts";
import {SelectedBackend} from "./core/SelectedBackend.ts";
import {hostOf} from "./core/urlParts.ts";
import {EngineProcess} from "./engine/EngineProcess.ts";
import {LocalEngineBackend} from "./engine/LocalEngineBackend.ts";
import {LatexService} from "./latex/LatexService.ts";
import {DownloadService, type ActiveDownload} from "./models/DownloadService.ts";
import {ModelAdvisor} from "./models/ModelAdvisor.ts";
import {ModelLibrary} from "./models/ModelLibrary.ts";
import {PromptStateCache} from "./models/PromptStateCache.ts";
import {ReviewUi} from "./review/ui/ReviewUi.ts";
import {describeDownloadProgress} from "./models/describeDownload.ts";
import type {ServerSettings} from "./server/OpenAiClient.ts";
import {ServerBackend} from "./server/ServerBackend.ts";
import {apiKeySecretName} from "./server/serverUrl.ts";
import {ModelStatusBarItem} from "./status/ModelStatusBarItem.ts";

export class AstroSageContext implements vscode.Disposable {
    public readonly config = new Config();
    public readonly log: vscode.LogOutputChannel;
    public readonly engine: EngineProcess;
    /** AstroSage on this machine, in the engine process. */
    public readonly local: LocalEngineBackend;
    /** AstroSage on an OpenAI-compatible inference server. */
    public readonly server: ServerBackend;
    /** The one of the two the user chose (`astrosage.backend`): what every feature asks. */
    public readonly backend: ChatBackend;
    public readonly chatView: ChatViewProvider;
    public readonly store: ConversationStore;
    /** Downloaded models, in the extension's global storage. */
    public readonly library: ModelLibrary;
    public readonly advisor: ModelAdvisor;
    public readonly downloads: DownloadService;
    /** Papers' evaluated states, saved so reopening a paper does not read it again. */
    public readonly promptStates: PromptStateCache;
    /** Reads LaTeX manuscripts in a worker thread. */
    public readonly latex: LatexService;
    /** The manuscript review's findings: comment threads, the Review view, the Problems panel. */
    public readonly review: ReviewUi;
    private readonly statusBar: ModelStatusBarItem;
    /** What the model is doing; a download in progress is shown over it. */
    private modelStatus: ModelStatus = {state: "noModel"};
    private readonly disposables: vscode.Disposable[] = [];

    public constructor(public readonly extension: vscode.ExtensionContext) {
        this.log = this.register(vscode.window.createOutputChannel("AstroSage", {log: true}));
        this.statusBar = this.register(new ModelStatusBarItem());
        this.engine = new EngineProcess({
            enginePath: vscode.Uri.joinPath(extension.extensionUri, "dist", "engine.mjs").fsPath,
            logger: this.log,
            onCrash: (info) => this.onEngineCrash(info)
        });
        this.register({dispose: () => void this.engine.dispose()});
        this.promptStates = new PromptStateCache(vscode.Uri.joinPath(extension.globalStorageUri, "prompt-states").fsPath, {
            maxBytes: () => this.config.paperCacheBytes,
            log: this.log
        });
        // Each backend's status is shown only while it is the one in use (the local model's idle unload
        // must not cover the server's state, nor the other way round).
        this.local = new LocalEngineBackend(this.engine, () => this.config.localModel, (status) => this.onStatus(status, "local"), {
            idleUnloadMs: () => this.config.unloadAfterMinutes * 60_000,
            promptStates: this.promptStates
        });
        this.server = new ServerBackend({
            settings: () => this.serverSettings(),
            onStatus: (status) => this.onStatus(status, "server"),
            log: this.log
        });
        this.backend = new SelectedBackend(() => this.config.backendKind === "server" ? this.server : this.local);
        this.library = new ModelLibrary(vscode.Uri.joinPath(extension.globalStorageUri, "models").fsPath);
        this.advisor = new ModelAdvisor(this.engine, () => ({
            baseUrl: this.config.downloadBaseUrl,
            contextSize: this.config.contextSize,
            gpu: this.config.gpu,
            storageDirectory: this.library.directory
        }));
        this.downloads = new DownloadService(this.engine, () => ({baseUrl: this.config.downloadBaseUrl, directory: this.library.directory}));
        this.register({dispose: this.downloads.onChange((download) => this.onDownloadChange(download))});
        this.latex = this.register(new LatexService({workerPath: vscode.Uri.joinPath(extension.extensionUri, "dist", "latexWorker.js").fsPath}));
        this.store = new ConversationStore(vscode.Uri.joinPath(extension.globalStorageUri, "conversations").fsPath);
        this.chatView = this.register(new ChatViewProvider({
            extensionUri: extension.extensionUri,
            config: this.config,
            backend: this.backend,
            saver: this.store,
            log: this.log,
            advisor: this.advisor,
            library: this.library,
            downloads: this.downloads
        }));

        this.review = this.register(new ReviewUi({showInProblems: () => this.config.reviewShowInProblems}));

        this.register(vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, this.chatView, {
            webviewOptions: {retainContextWhenHidden: true}
        }));
        this.register(vscode.workspace.onDidChangeConfiguration((event) => {
            if (Config.affectsModel(event))
                this.onStatus(this.idleStatus());
        }));
        registerCommands(this);
        this.onStatus(this.idleStatus());
        void this.restoreLastChat();
    }

    /** Registers a disposable to be disposed with the extension; returns it. */
    public register<T extends vscode.Disposable>(disposable: T): T {
        this.disposables.push(disposable);
        return disposable;
    }

    public dispose() {
        for (const disposable of this.disposables.splice(0).reverse()) {
            try {
                disposable.dispose();
            } catch (error) {
                this.log?.error(`Disposing failed: ${String(error)}`);
            }
        }
    }

    /** The context size answers are planned for: the server's when it reported one, else the setting. */
    public get contextSize(): number {
        const {config} = this;
        return (config.backendKind === "server" ? this.server.knownContextSize(config.serverBaseUrl, config.serverModel) : undefined) ?? config.contextSize;
    }

    /** The server backend's settings, with the API key stored for that server. */
    public async serverSettings(): Promise<ServerSettings> {
        const {config} = this;
        const baseUrl = config.serverBaseUrl;
        const apiKey = baseUrl === "" ? undefined : await this.extension.secrets.get(apiKeySecretName(baseUrl));
        return {baseUrl, model: config.serverModel, timeoutMs: config.serverTimeoutMs, headers: config.serverHeaders, ...(apiKey == null || apiKey === "" ? {} : {apiKey})};
    }

    /** The state before any answer: no model, a local one that loads on the first question, or the server. */
    public idleStatus(): ModelStatus {
        if (this.config.backendKind === "server") {
            const baseUrl = this.config.serverBaseUrl;
            return baseUrl === ""
                ? {state: "error", message: "No inference server is set: run \"AstroSage: Connect to Server…\""}
                : {state: "server", name: this.config.serverModel === "" ? "AstroSage" : this.config.serverModel, host: hostOf(baseUrl)};
        }
        const modelPath = this.config.modelPath;
        return modelPath === ""
            ? {state: "noModel"}
            : {state: "notLoaded", name: modelPath.split(/[\\/]/).at(-1)!.replace(/\.gguf$/i, "")};
    }

    /** Reopens the most recent chat, as it was before the window closed or reloaded. */
    private async restoreLastChat() {
        try {
            const [latest] = (await this.store.list()).conversations;
            const stored = latest == null ? undefined : await this.store.load(latest.id);
            if (stored != null && this.chatView.session.conversation.isEmpty)
                await this.chatView.session.open(stored);
        } catch (error) {
            this.log.warn(`The last chat could not be reopened: ${String(error)}`);
        }
    }

    private onStatus(status: ModelStatus, from?: "local" | "server") {
        if (from != null && from !== this.config.backendKind)
            return;
        this.modelStatus = status;
        this.showStatus();
    }

    private onDownloadChange(download: ActiveDownload | undefined) {
        void vscode.commands.executeCommand("setContext", "astrosage.downloading", download != null);
        this.showStatus();
    }

    /** The status bar and the chat header: a download in progress, otherwise the model's state. */
    private showStatus() {
        const download = this.downloads?.active;
        const status: ModelStatus = download == null
            ? this.modelStatus
            : {state: "downloading", name: download.build.label, ...describeDownloadProgress(download.progress)};
        this.statusBar.update(status);
        this.chatView?.setStatus(status);
    }

    private onEngineCrash({reason, willRestart}: {reason: string; willRestart: boolean}) {
        this.local.reset();
        const message = willRestart
            ? `The AstroSage engine stopped unexpectedly (${reason}). It is restarting; your conversation is kept, and the model loads again on your next question.`
            : `The AstroSage engine keeps stopping (${reason}). Your conversation is kept. Check the log, then run "AstroSage: Restart Engine".`;
        void vscode.window.showWarningMessage(message, "Show Log").then((choice) => {
            if (choice === "Show Log")
                this.log.show();
        });
    }
}
