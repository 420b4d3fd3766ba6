/**
 * The extension's context: builds every part once and owns every disposable.
 * Nothing registers itself on import; everything is registered here.
 */
import * as vscode from "vscode";
import {ChatViewProvider} from "./chat/ChatViewProvider.ts";
import {registerCommands} from "./commands/registerCommands.ts";
import {Config} from "./config.ts";
import type {ModelStatus} from "./core/ModelStatus.ts";
import {EngineProcess} from "./engine/EngineProcess.ts";
import {LocalEngineBackend} from "./engine/LocalEngineBackend.ts";

export class AstroSageContext implements vscode.Disposable {
    public readonly config = new Config();
    public readonly log: vscode.LogOutputChannel;
    public readonly engine: EngineProcess;
    public readonly backend: LocalEngineBackend;
    public readonly chatView: ChatViewProvider;
    private readonly disposables: vscode.Disposable[] = [];

    public constructor(public readonly extension: vscode.ExtensionContext) {
        this.log = this.register(vscode.window.createOutputChannel("AstroSage", {log: true}));
        this.engine = new EngineProcess({
            enginePath: vscode.Uri.joinPath(extension.extensionUri, "dist", "engine.mjs").fsPath,
            logger: this.log,
            onCrash: (info) => this.onEngineCrash(info)
        });
        this.register({dispose: () => void this.engine.dispose()});
        this.backend = new LocalEngineBackend(this.engine, () => this.config.localModel, (status) => this.onStatus(status));
        this.chatView = this.register(new ChatViewProvider({
            extensionUri: extension.extensionUri,
            config: this.config,
            backend: this.backend,
            log: this.log
        }));

        this.register(vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, this.chatView, {
            webviewOptions: {retainContextWhenHidden: true}
        }));
        this.register(vscode.workspace.onDidChangeConfiguration((event) => {
            if (Config.affectsModel(event))
                this.onStatus(this.idleStatus());
        }));
        registerCommands(this);
        this.onStatus(this.idleStatus());
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

    /** The state before any model is loaded: none selected, or one that loads on the first question. */
    public idleStatus(): ModelStatus {
        const modelPath = this.config.modelPath;
        return modelPath === ""
            ? {state: "noModel"}
            : {state: "notLoaded", name: modelPath.split(/[\\/]/).at(-1)!.replace(/\.gguf$/i, "")};
    }

    private onStatus(status: ModelStatus) {
        this.chatView?.setStatus(status);
    }

    private onEngineCrash({reason, willRestart}: {reason: string; willRestart: boolean}) {
        this.backend.reset();
        const message = willRestart
            ? `The AstroSage engine stopped unexpectedly (${reason}). It is restarting; your conversation is kept, and the model loads again on your next question.`
            : `The AstroSage engine keeps stopping (${reason}). Your conversation is kept. Check the log, then run "AstroSage: Restart Engine".`;
        void vscode.window.showWarningMessage(message, "Show Log").then((choice) => {
            if (choice === "Show Log")
                this.log.show();
        });
    }
}
