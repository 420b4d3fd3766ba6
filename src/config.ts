/**
 * The one place the extension reads its settings. Every getter reads the live
 * value, so a change in the Settings editor applies to the next turn without a
 * reload.
 */
import os from "node:os";
import path from "node:path";
import * as vscode from "vscode";
import type {SamplingOptions} from "./core/chatTypes.ts";
import type {LocalModelSettings} from "./engine/LocalEngineBackend.ts";
import {reasoningDisplays, type ReasoningDisplay} from "./chat/webviewProtocol.ts";
import {DEFAULT_DOWNLOAD_BASE_URL} from "./core/modelCatalog.ts";
import {normalizeBaseUrl} from "./server/serverUrl.ts";

/** Where answers come from: AstroSage on this machine, or on an OpenAI-compatible server. */
export type BackendKind = "local" | "server";

const section = "astrosage";

export class Config {
    private get raw(): vscode.WorkspaceConfiguration {
        return vscode.workspace.getConfiguration(section);
    }

    /** The model file, with `~` and workspace-relative paths resolved; `""` when none is set. */
    public get modelPath(): string {
        const value = this.raw.get<string>("model.path", "").trim();
        if (value === "")
            return "";
        if (value === "~" || value.startsWith("~/"))
            return path.join(os.homedir(), value.slice(1));
        const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
        return path.isAbsolute(value) || workspace == null ? value : path.resolve(workspace, value);
    }

    public get contextSize(): number {
        return this.raw.get<number>("model.contextSize", 8192);
    }

    /** 0 means one thread per physical core (decided by the engine, which can count them). */
    public get threads(): number {
        return this.raw.get<number>("engine.threads", 0);
    }

    public get gpu(): "auto" | "off" {
        return this.raw.get<string>("engine.gpu", "auto") === "off" ? "off" : "auto";
    }

    /**
     * Where model files are downloaded from: Hugging Face, or a mirror with its
     * layout. A value that is not an http(s) URL falls back to Hugging Face.
     */
    public get downloadBaseUrl(): string {
        const value = this.raw.get<string>("download.baseUrl", DEFAULT_DOWNLOAD_BASE_URL).trim();
        return /^https?:\/\/[^\s]+$/i.test(value) ? value : DEFAULT_DOWNLOAD_BASE_URL;
    }

    /** Minutes without a question after which the model is unloaded to give its memory back; 0 keeps it loaded. */
    public get unloadAfterMinutes(): number {
        return Math.max(0, this.raw.get<number>("model.unloadAfterMinutes", 15));
    }

    /** The most disk space saved paper states (prompt states) may take, in bytes; 0 saves none. */
    public get paperCacheBytes(): number {
        return Math.max(0, this.raw.get<number>("chat.paperCacheMegabytes", 2048)) * 2 ** 20;
    }

    public get systemPrompt(): string {
        return this.raw.get<string>("chat.systemPrompt", "");
    }

    public get reasoning(): boolean {
        return this.raw.get<boolean>("chat.reasoning", false);
    }

    /** How reasoning sections are shown: folded (default), unfolded, or hidden. */
    public get reasoningDisplay(): ReasoningDisplay {
        const value = this.raw.get<string>("chat.reasoningDisplay", "collapsed");
        return (reasoningDisplays as readonly string[]).includes(value) ? value as ReasoningDisplay : "collapsed";
    }

    public get sampling(): SamplingOptions {
        return {
            temperature: this.raw.get<number>("sampling.temperature", 0.7),
            topP: this.raw.get<number>("sampling.topP", 0.9),
            maxTokens: this.raw.get<number>("sampling.maxTokens", 4096)
        };
    }

    /** Whether review findings are listed in the Problems panel too (with the quick fix for rewrites). */
    public get reviewShowInProblems(): boolean {
        return this.raw.get<boolean>("review.showInProblems", true);
    }

    public get backendKind(): BackendKind {
        return this.raw.get<string>("backend", "local") === "server" ? "server" : "local";
    }

    /** The server's API base URL (`https://host/v1`), or `""` when none (or no valid one) is set. */
    public get serverBaseUrl(): string {
        return normalizeBaseUrl(this.raw.get<string>("server.url", "")) ?? "";
    }

    /** The model to ask the server for; `""` for the server's first. */
    public get serverModel(): string {
        return this.raw.get<string>("server.model", "").trim();
    }

    /** How long to wait for the server to start answering, and between two pieces of an answer. */
    public get serverTimeoutMs(): number {
        return Math.max(5, this.raw.get<number>("server.timeoutSeconds", 300)) * 1000;
    }

    /** Extra headers for every request to the server (string values only). */
    public get serverHeaders(): Record<string, string> {
        const value = this.raw.get<unknown>("server.headers", {});
        if (value == null || typeof value !== "object")
            return {};
        return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[0].trim() !== ""));
    }

    /** Makes a server the backend, in the user's settings. */
    public async setServer(baseUrl: string, model: string): Promise<void> {
        await this.raw.update("server.url", baseUrl, vscode.ConfigurationTarget.Global);
        await this.raw.update("server.model", model === "" ? undefined : model, vscode.ConfigurationTarget.Global);
        await this.raw.update("backend", "server", vscode.ConfigurationTarget.Global);
    }

    /** The settings the loaded model depends on. */
    public get localModel(): LocalModelSettings {
        return {modelPath: this.modelPath, contextSize: this.contextSize, threads: this.threads, gpu: this.gpu};
    }

    /** Points the model setting at a file (or at none, with `""`), in the user's settings. */
    public async setModelPath(modelPath: string): Promise<void> {
        await this.raw.update("model.path", modelPath === "" ? undefined : modelPath, vscode.ConfigurationTarget.Global);
        // Choosing a model on this machine is choosing to answer with it.
        if (modelPath !== "" && this.backendKind !== "local")
            await this.raw.update("backend", undefined, vscode.ConfigurationTarget.Global);
    }

    /** Whether a settings change affects the loaded model (it then reloads on the next turn) or where answers come from. */
    public static affectsModel(event: vscode.ConfigurationChangeEvent): boolean {
        // (The download source and idle time do not: they apply to the next download and the next idle period.)
        return ["model.path", "model.contextSize", "engine.threads", "engine.gpu", "backend", "server"]
            .some((key) => event.affectsConfiguration(`${section}.${key}`));
    }
}
