/**
 * The local backend: AstroSage in the engine process on this machine.
 *
 * Loads the configured model lazily on the first turn (and again after a crash
 * or a settings change), streams turns through the engine, and unloads the
 * model after an idle time to give its memory back. No `vscode` import.
 */
import {randomUUID} from "node:crypto";
import path from "node:path";
import {chatErrorCodes, type ChatBackend, type ChatErrorCode, type ChatTurn, type StreamFrame, type TurnStats} from "../core/chatTypes.ts";
import type {ModelStatus} from "../core/ModelStatus.ts";
import type {PromptStateCache, PromptStateSlot} from "../models/PromptStateCache.ts";
import {REASONING_SYSTEM_PROMPT} from "../core/reasoningMode.ts";
import type {EngineEvent, EngineRequest, LoadedModel} from "./protocol.ts";
import type {EngineProcess} from "./EngineProcess.ts";

/** The settings a loaded model depends on; a change means loading again. */
export type LocalModelSettings = {
    modelPath: string;
    contextSize: number;
    threads: number;
    gpu: "auto" | "off";
};

type ErrorFrame = Extract<StreamFrame, {kind: "error"}>;
type ChatRequest = Extract<EngineRequest, {type: "chat"}>;

export type LocalEngineBackendOptions = {
    /** Unload the model after this long without a turn; 0 keeps it. Read after every turn. Defaults to never. */
    idleUnloadMs?: () => number;
    /**
     * Where turns with a `promptCache` keep the evaluated state of their
     * conversation's beginning. Defaults to none: such turns reuse only what the
     * engine's context still holds.
     */
    promptStates?: PromptStateCache;
    /** Told what the engine did with a turn's saved prompt state. Defaults to nobody. */
    onPromptState?: (event: PromptStateEvent) => void;
};

/** What the engine did with a turn's saved prompt state. */
export type PromptStateEvent = Extract<EngineEvent, {type: "stateLoaded" | "stateRejected" | "stateSaved"}>;

export class LocalEngineBackend implements ChatBackend {
    private loaded: {key: string; generation: number; model: LoadedModel} | undefined;
    private loading: {key: string; promise: Promise<ErrorFrame | undefined>} | undefined;
    private turnsRunning = 0;
    private idleTimer: NodeJS.Timeout | undefined;

    public constructor(
        private readonly engine: EngineProcess,
        private readonly settings: () => LocalModelSettings,
        private readonly onStatus: (status: ModelStatus) => void = () => {},
        private readonly options: LocalEngineBackendOptions = {}
    ) {}

    public async chat(turn: ChatTurn, onFrame: (frame: StreamFrame) => void, signal: AbortSignal): Promise<void> {
        this.turnsRunning++;
        this.cancelIdleUnload();
        try {
            await this.runTurn(turn, onFrame, signal);
        } finally {
            this.turnsRunning--;
            this.scheduleIdleUnload();
        }
    }

    /** Tokens of `text` with the model's tokenizer; undefined when no model loads (the turn then says why). */
    public async countTokens(text: string, signal: AbortSignal): Promise<number | undefined> {
        this.turnsRunning++;
        this.cancelIdleUnload();
        try {
            if (await this.ensureLoaded(signal) != null || signal.aborted)
                return undefined;
            const answer = await this.engine.request({type: "countTokens", id: randomUUID(), text});
            return answer.type === "tokenCount" ? answer.tokens : undefined;
        } finally {
            this.turnsRunning--;
            this.scheduleIdleUnload();
        }
    }

    private async runTurn(turn: ChatTurn, onFrame: (frame: StreamFrame) => void, signal: AbortSignal): Promise<void> {
        const loadError = await this.ensureLoaded(signal);
        if (loadError != null) {
            onFrame(loadError);
            return;
        }
        const model = this.loaded!.model;
        if (signal.aborted) {
            onFrame({kind: "done", stats: abortedStats()});
            return;
        }

        const id = randomUUID();
        const slot = await this.promptStateSlot(turn, model);
        const onAbort = () => this.engine.abort(id);
        signal.addEventListener("abort", onAbort);
        this.onStatus({state: "generating", name: model.name, device: deviceName(model)});
        const recording: Promise<void>[] = [];
        try {
            const rate = new RateMeter();
            const final = await this.engine.request({type: "chat", id, ...chatFields(turn, slot)}, (event) => {
                if (event.type === "stateLoaded" || event.type === "stateRejected" || event.type === "stateSaved") {
                    recording.push(this.recordPromptState(event, slot));
                    return;
                }
                if (event.type !== "text" && event.type !== "thought")
                    return;
                onFrame({kind: event.type, text: event.text});
                const tokensPerSecond = rate.tick();
                if (tokensPerSecond != null)
                    this.onStatus({state: "generating", name: model.name, device: deviceName(model), tokensPerSecond});
            });
            // The record of a state saved in this turn is written before the turn ends,
            // so the next turn finds it.
            await Promise.all(recording);
            const frame = finalFrame(final);
            onFrame(frame);
            if (frame.kind === "done")
                this.onStatus({state: "ready", name: model.name, device: deviceName(model), lastStats: frame.stats});
            else if (frame.code === "engineCrashed") {
                // The engine restarts by itself; the model loads again on the next question.
                this.loaded = undefined;
                this.onStatus({state: "notLoaded", name: model.name});
            } else
                this.onStatus({state: "ready", name: model.name, device: deviceName(model)});
        } finally {
            signal.removeEventListener("abort", onAbort);
        }
    }

    /** The saved prompt state for a turn that starts with a long document, when there is a place to keep it. */
    private async promptStateSlot(turn: ChatTurn, model: LoadedModel): Promise<PromptStateSlot | undefined> {
        const cache = this.options.promptStates;
        if (turn.promptCache == null || cache == null)
            return undefined;
        return cache.slotFor({
            ...turn.promptCache,
            model: {path: model.path, bytes: model.fileBytes, modifiedMs: model.fileModifiedMs},
            contextSize: model.contextSize,
            promptFormat: model.chatWrapper,
            systemPrompt: turn.reasoning ? REASONING_SYSTEM_PROMPT : turn.systemPrompt
        });
    }

    /** Keeps the cache's record in step with what the engine did with the turn's state file. */
    private async recordPromptState(event: PromptStateEvent, slot: PromptStateSlot | undefined): Promise<void> {
        this.options.onPromptState?.(event);
        const cache = this.options.promptStates;
        if (slot == null || cache == null)
            return;
        if (event.type === "stateSaved")
            await cache.recordSaved(slot, event.saved);
        else if (event.type === "stateRejected")
            await cache.forget(slot);
    }

    /** Loads the configured model now, unless it is already loaded. Resolves with an error frame on failure. */
    public ensureLoaded(signal?: AbortSignal): Promise<ErrorFrame | undefined> {
        const settings = this.settings();
        if (settings.modelPath === "") {
            this.onStatus({state: "noModel"});
            return Promise.resolve({
                kind: "error",
                code: "noModel",
                message: "No AstroSage model is chosen yet. Download one from the welcome in the AstroSage view, or run \"AstroSage: Select Model…\"."
            });
        }

        const key = JSON.stringify(settings);
        if (this.loaded?.key === key && this.loaded.generation === this.engine.processGeneration)
            return Promise.resolve(undefined);
        if (this.loading?.key === key)
            return this.loading.promise;

        const promise = this.load(settings, key, signal).finally(() => {
            if (this.loading?.promise === promise)
                this.loading = undefined;
        });
        this.loading = {key, promise};
        return promise;
    }

    /** Frees the model's memory in the engine. */
    public async unload(): Promise<void> {
        this.cancelIdleUnload();
        this.loaded = undefined;
        await this.engine.request({type: "unload", id: randomUUID()});
        this.onStatus(this.settings().modelPath === "" ? {state: "noModel"} : {state: "notLoaded", name: modelName(this.settings().modelPath)});
    }

    /** Forgets the loaded model, as after an engine restart. */
    public reset() {
        this.cancelIdleUnload();
        this.loaded = undefined;
    }

    /** Whether a model is loaded in the current engine process. */
    public get isLoaded(): boolean {
        return this.loaded != null && this.loaded.generation === this.engine.processGeneration;
    }

    private scheduleIdleUnload() {
        this.cancelIdleUnload();
        const idleMs = this.options.idleUnloadMs?.() ?? 0;
        if (idleMs <= 0 || this.turnsRunning > 0 || !this.isLoaded)
            return;
        this.idleTimer = setTimeout(() => {
            this.idleTimer = undefined;
            if (this.turnsRunning === 0 && this.loading == null && this.isLoaded)
                void this.unload().catch(() => {
                    // The engine is gone (restarting or stopped): there is nothing left to free.
                });
        }, idleMs);
        // A pending unload must not keep a test run or a closing host alive.
        this.idleTimer.unref();
    }

    private cancelIdleUnload() {
        if (this.idleTimer != null)
            clearTimeout(this.idleTimer);
        this.idleTimer = undefined;
    }

    private async load(settings: LocalModelSettings, key: string, signal: AbortSignal | undefined): Promise<ErrorFrame | undefined> {
        const name = modelName(settings.modelPath);
        // The engine drops its current model before loading another.
        this.loaded = undefined;
        this.onStatus({state: "starting"});
        const id = randomUUID();
        const onAbort = () => this.engine.abort(id);
        signal?.addEventListener("abort", onAbort);
        try {
            await this.engine.start();
            this.onStatus({state: "loading", name, progress: 0});
            const final = await this.engine.request({type: "load", id, ...settings}, (event) => {
                if (event.type === "loadProgress")
                    this.onStatus({state: "loading", name, progress: event.progress});
            });
            if (final.type === "loaded") {
                this.loaded = {key, generation: this.engine.processGeneration, model: final.model};
                this.onStatus({state: "ready", name: final.model.name, device: deviceName(final.model)});
                return undefined;
            }
            const frame = finalFrame(final);
            const error: ErrorFrame = frame.kind === "error"
                ? frame
                : {kind: "error", code: "internal", message: "The engine answered a load with an unexpected message."};
            this.onStatus({state: "error", message: error.message});
            return error;
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            this.onStatus({state: "error", message});
            return {kind: "error", code: "engineCrashed", message};
        } finally {
            signal?.removeEventListener("abort", onAbort);
        }
    }
}

type FinalFrame = Extract<StreamFrame, {kind: "done" | "error"}>;

/** A chat request's fields for a turn: the turn without its hint, and the state file the cache chose for it. */
function chatFields(turn: ChatTurn, slot: PromptStateSlot | undefined): Omit<ChatRequest, "type" | "id"> {
    const {promptCache: _hint, ...fields} = turn;
    if (slot == null)
        return fields;
    return {...fields, todayDate: slot.todayDate, state: {path: slot.path, ...(slot.saved == null ? {} : {saved: slot.saved})}};
}

function finalFrame(event: EngineEvent): FinalFrame {
    if (event.type === "done")
        return {kind: "done", stats: event.stats};
    if (event.type === "error")
        return {kind: "error", code: isChatErrorCode(event.code) ? event.code : "internal", message: event.message};
    return {kind: "error", code: "internal", message: `The engine answered with an unexpected "${event.type}" message.`};
}

function isChatErrorCode(code: string): code is ChatErrorCode {
    return (chatErrorCodes as readonly string[]).includes(code);
}

function modelName(modelPath: string): string {
    return path.basename(modelPath, ".gguf");
}

function deviceName(model: LoadedModel): string {
    return model.gpu === false ? "CPU" : `GPU (${model.gpu})`;
}

function abortedStats(): TurnStats {
    return {promptTokens: 0, generatedTokens: 0, timeToFirstTokenMs: 0, tokensPerSecond: 0, durationMs: 0, thoughtTokens: 0, thoughtMs: 0, stopReason: "abort"};
}

/**
 * The live generation rate for the status line, from streamed chunks (one token
 * each, as node-llama-cpp streams); reported at most twice a second.
 */
class RateMeter {
    private count = 0;
    private first = 0;
    private lastReport = 0;

    public tick(): number | undefined {
        const now = performance.now();
        if (this.count++ === 0) {
            this.first = now;
            this.lastReport = now;
            return undefined;
        }
        if (now - this.lastReport < 500)
            return undefined;
        this.lastReport = now;
        return (this.count - 1) / ((now - this.first) / 1000);
    }
}
