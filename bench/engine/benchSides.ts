/**
 * The two sides of the benchmark, behind one interface:
 * - `ExtensionSide`: the extension's real host-side classes (EngineProcess,
 *   LocalEngineBackend) driving the bundled engine process, dist/engine.mjs;
 * - `DirectSide`: node-llama-cpp called in this process, set up as the engine
 *   sets it up (same chat wrapper, same history, same context and sampling options).
 */
import type * as NodeLlamaCpp from "node-llama-cpp";
import type {ChatTurn, StreamFrame} from "../../src/core/chatTypes.ts";
import {createAstroSageChatWrapper} from "../../src/engine/AstroSageChatWrapper.ts";
import {EngineProcess} from "../../src/engine/EngineProcess.ts";
import {buildHistory, disposeLoadedModel} from "../../src/engine/LlamaEngine.ts";
import {LocalEngineBackend, type LocalModelSettings} from "../../src/engine/LocalEngineBackend.ts";
import {collectingLogger, enginePath} from "../../test/engine/engineHarness.ts";
import {ChunkClock, type TurnMeasurement} from "./measurement.ts";

export type SideName = "extension" | "direct";

/** What both sides load: the same file, context size and thread count. */
export type ModelSettings = {modelPath: string; contextSize: number; threads: number};

export interface BenchSide {
    readonly name: SideName;
    /** Loads the model (and for the extension side, starts the engine); not timed. */
    load(settings: ModelSettings): Promise<void>;
    /**
     * Optional, untimed, before each turn: brings the side to the state it would be in
     * after answering `previous`, when the side cannot keep that state itself (a server's
     * one slot, shared by both sides, holds whichever side asked last).
     */
    prepare?(previous: ChatTurn): Promise<void>;
    /** Runs one turn and times it as its caller sees it. */
    run(turn: ChatTurn): Promise<TurnMeasurement>;
    /** Frees the model. */
    unload(): Promise<void>;
    dispose(): Promise<void>;
    /** llama.cpp's (and the engine's) warnings and errors so far. */
    warnings(): string[];
    /** Processes that do this side's work besides this one (the engine). */
    helperPids(): number[];
}

/**
 * A turn that goes this long without a frame has stalled: a host built from
 * newer sources than dist/engine.mjs, say, drops the engine's final event as
 * malformed and would wait forever.
 */
const STALL_MS = 60_000;

export class ExtensionSide implements BenchSide {
    public readonly name = "extension";
    private readonly logger = collectingLogger();
    private readonly engine: EngineProcess;
    private readonly backend: LocalEngineBackend;
    private modelSettings: LocalModelSettings | undefined;

    public constructor() {
        // No restarts: a crash must fail the benchmark, not be measured.
        this.engine = new EngineProcess({enginePath, logger: this.logger, restartDelaysMs: []});
        this.backend = new LocalEngineBackend(this.engine, () => {
            if (this.modelSettings == null)
                throw new Error("ExtensionSide: load a model before running turns.");
            return this.modelSettings;
        });
    }

    public async load(settings: ModelSettings): Promise<void> {
        this.modelSettings = {...settings, gpu: "off"};
        const error = await this.backend.ensureLoaded();
        if (error != null)
            throw new Error(`The engine could not load ${settings.modelPath}: ${error.message}${this.recentLog()}`);
    }

    public async run(turn: ChatTurn): Promise<TurnMeasurement> {
        const received: {text: string; final?: StreamFrame} = {text: ""};
        const controller = new AbortController();
        const watch = new StallWatch(STALL_MS, () => {
            controller.abort();
            return new Error(`The engine sent nothing for ${STALL_MS / 1000} s.${this.recentLog()}`);
        });
        const clock = new ChunkClock();
        try {
            await Promise.race([watch.stalled, this.backend.chat(turn, (frame) => {
                watch.kick();
                if (frame.kind === "text" || frame.kind === "thought") {
                    clock.chunk();
                    received.text += frame.text;
                } else
                    received.final = frame;
            }, controller.signal)]);
        } finally {
            watch.stop();
        }

        const final = received.final;
        if (final?.kind !== "done")
            throw new Error(`The engine's turn failed: ${final?.kind === "error" ? final.message : "no final frame"}${this.recentLog()}`);
        const {stats} = final;
        return {
            ...clock.finish(stats.generatedTokens),
            generatedTokens: stats.generatedTokens,
            promptTokens: stats.promptTokens,
            stopReason: stats.stopReason,
            text: received.text,
            engineStats: stats
        };
    }

    public async unload(): Promise<void> {
        await this.backend.unload();
    }

    public async dispose(): Promise<void> {
        await this.engine.dispose();
    }

    public helperPids(): number[] {
        return this.engine.pid == null ? [] : [this.engine.pid];
    }

    public warnings(): string[] {
        return this.logger.lines.filter((line) => line.startsWith("warn:") || line.startsWith("error:"));
    }

    private recentLog(): string {
        const lines = this.logger.lines.filter((line) => !line.startsWith("debug:")).slice(-10);
        return lines.length === 0 ? "" : `\nEngine log:\n  ${lines.join("\n  ")}`;
    }
}

/** `stalled` rejects once `kick()` has not been called for `ms`. */
class StallWatch {
    public readonly stalled: Promise<never>;
    private timer: NodeJS.Timeout | undefined;
    private fail: (error: Error) => void = () => {};

    public constructor(private readonly ms: number, private readonly describe: () => Error) {
        this.stalled = new Promise<never>((_resolve, reject) => {
            this.fail = reject;
        });
        this.kick();
    }

    public kick() {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.fail(this.describe()), this.ms);
    }

    public stop() {
        clearTimeout(this.timer);
    }
}

type DirectModel = {model: NodeLlamaCpp.LlamaModel; context: NodeLlamaCpp.LlamaContext; chat: NodeLlamaCpp.LlamaChat};

export class DirectSide implements BenchSide {
    public readonly name = "direct";
    private llamaCpp: typeof NodeLlamaCpp | undefined;
    private llama: NodeLlamaCpp.Llama | undefined;
    private loaded: DirectModel | undefined;
    private readonly problems: string[] = [];

    public async load({modelPath, contextSize, threads}: ModelSettings): Promise<void> {
        await this.unload();
        // node-llama-cpp is ESM-only with top-level await: this CommonJS file can only import() it.
        const llamaCpp = this.llamaCpp ??= await import("node-llama-cpp");
        // As the engine calls it (gpu "off"), minus its log forwarding.
        this.llama ??= await llamaCpp.getLlama({
            gpu: false,
            build: "never",
            logLevel: llamaCpp.LlamaLogLevel.warn,
            logger: (_level, message) => void this.problems.push(message.trimEnd())
        });
        const model = await this.llama.loadModel({modelPath});
        const context = await model.createContext({
            contextSize: Math.min(contextSize, model.trainContextSize),
            threads,
            sequences: 1
        });
        const chat = new llamaCpp.LlamaChat({contextSequence: context.getSequence(), chatWrapper: createAstroSageChatWrapper(llamaCpp)});
        this.loaded = {model, context, chat};
    }

    /** Mirrors the engine's `LlamaEngine.generate`, minus the protocol messages. */
    public async run(turn: ChatTurn): Promise<TurnMeasurement> {
        const loaded = this.loaded;
        if (loaded == null)
            throw new Error("DirectSide: load a model before running turns.");

        const clock = new ChunkClock();
        const meterBefore = loaded.chat.sequence.tokenMeter.getState();
        let generatedTokens = 0;
        let text = "";
        const response = await loaded.chat.generateResponse(buildHistory(turn), {
            signal: new AbortController().signal,
            stopOnAbortSignal: true,
            temperature: turn.sampling.temperature,
            topP: turn.sampling.topP,
            maxTokens: turn.sampling.maxTokens,
            onResponseChunk: (chunk) => {
                generatedTokens += chunk.tokens.length;
                // The engine sends a frame only for chunks with text; the caller "receives" the same ones here.
                if (chunk.text === "")
                    return;
                clock.chunk();
                text += chunk.text;
            }
        });
        const usage = loaded.chat.sequence.tokenMeter.diff(meterBefore);
        return {
            ...clock.finish(generatedTokens),
            generatedTokens,
            // node-llama-cpp's meter counts prompt tokens as input and generated ones as
            // output, so the input count alone is the prompt evaluated for this turn.
            promptTokens: usage.usedInputTokens,
            stopReason: response.metadata.stopReason,
            text
        };
    }

    public helperPids(): number[] {
        return [];
    }

    public warnings(): string[] {
        return [...this.problems];
    }

    public async unload(): Promise<void> {
        const loaded = this.loaded;
        this.loaded = undefined;
        if (loaded != null)
            await disposeLoadedModel(loaded);
    }

    public async dispose(): Promise<void> {
        await this.unload();
        await this.llama?.dispose();
        this.llama = undefined;
    }
}
