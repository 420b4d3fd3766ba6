/**
 * The model side of the engine process: node-llama-cpp, one model, one context
 * sequence, one turn at a time. It knows nothing of VS Code; it reads requests
 * and answers with protocol events through `send`.
 */
import {stat} from "node:fs/promises";
import path from "node:path";
import type * as NodeLlamaCpp from "node-llama-cpp";
import type {ChatHistoryItem, GbnfJsonSchema, GgufFileInfo, Llama, LlamaChat, LlamaContext, LlamaGrammar, LlamaModel} from "node-llama-cpp";
import type {BuildNeeds, MachineFacts} from "../core/hardwareFit.ts";
import {exceedsMachine, memoryAdvice} from "../core/loadAdvice.ts";
import {ThoughtSplitter} from "../core/ThoughtSplitter.ts";
import {createAstroSageChatWrapper, REASONING_SYSTEM_PROMPT} from "./AstroSageChatWrapper.ts";
import type {EngineEvent, EngineRequest, LoadedModel} from "./protocol.ts";
import {describeLoadError, EngineError} from "./engineErrors.ts";
import {machineFacts} from "./inspectModel.ts";
import type {LlamaRuntime} from "./LlamaRuntime.ts";
import {measureNeeds} from "./measureNeeds.ts";
import {PromptStateFiles} from "./PromptStateFiles.ts";

type LoadRequest = Extract<EngineRequest, {type: "load"}>;
type StopReason = NodeLlamaCpp.LlamaChatResponse["metadata"]["stopReason"];
type ChatRequest = Extract<EngineRequest, {type: "chat"}>;

type Loaded = {
    info: LoadedModel;
    model: LlamaModel;
    context: LlamaContext;
    chat: LlamaChat;
    /** The sequence's saved prompt states. */
    states: PromptStateFiles;
    /** Grammars built for response schemas, by the schema's JSON (a review sends the same one for every part). */
    grammars: Map<string, LlamaGrammar>;
};

/** The end of AstroSage's thought segment (`AstroSageChatWrapper`). */
const THOUGHT_END = "</think>";

/** Response schemas whose grammars are kept; an older one is built again when it comes back. */
const MAX_CACHED_GRAMMARS = 8;

export class LlamaEngine {
    private loaded: Loaded | undefined;
    private activeTurn: string | undefined;
    private readonly controllers = new Map<string, AbortController>();
    /** What the model being loaded needs here; names a build or context that fits if llama.cpp runs out of memory. */
    private measured: {needs: BuildNeeds; machine: MachineFacts} | undefined;
    /** The preamble date of the turn being rendered, when the request names one. */
    private turnDate: Date | undefined;

    public constructor(
        private readonly send: (event: EngineEvent) => void,
        private readonly runtime: LlamaRuntime
    ) {}

    public get model(): LoadedModel | null {
        return this.loaded?.info ?? null;
    }

    public abort(target: string) {
        this.controllers.get(target)?.abort(new Error("Stopped by the user"));
    }

    public async load(request: LoadRequest): Promise<void> {
        const controller = this.track(request.id);
        this.runtime.clearProblems();
        this.measured = undefined;
        try {
            await this.unload();
            const info = await this.loadModel(request, controller.signal);
            this.send({type: "loaded", id: request.id, model: info});
        } catch (error) {
            // llama.cpp's log lines reach JavaScript through an asynchronous queue and
            // can trail the failure they explain; give them a moment to arrive.
            if (!(error instanceof EngineError))
                await new Promise((resolve) => setTimeout(resolve, 100));
            const {code, message} = error instanceof EngineError
                ? error
                : describeLoadError(error, request.modelPath, this.runtime.recentProblems, this.memoryAdviceFor(request.modelPath));
            this.send({type: "error", id: request.id, code, message});
        } finally {
            this.controllers.delete(request.id);
        }
    }

    public countTokens(request: Extract<EngineRequest, {type: "countTokens"}>) {
        const loaded = this.loaded;
        if (loaded == null)
            this.send({type: "error", id: request.id, code: "noModel", message: "No model is loaded."});
        else
            this.send({type: "tokenCount", id: request.id, tokens: loaded.model.tokenize(request.text).length});
    }

    public async unload(): Promise<void> {
        const loaded = this.loaded;
        this.loaded = undefined;
        if (loaded == null)
            return;
        await disposeLoadedModel(loaded);
    }

    public async chat(request: ChatRequest): Promise<void> {
        const loaded = this.loaded;
        if (loaded == null) {
            this.send({type: "error", id: request.id, code: "noModel", message: "No model is loaded."});
            return;
        }
        if (this.activeTurn != null) {
            this.send({type: "error", id: request.id, code: "busy", message: "Another answer is being generated."});
            return;
        }

        this.activeTurn = request.id;
        const controller = this.track(request.id);
        // Every rendering of the conversation in this turn, saving its state included, shows this date.
        this.turnDate = request.todayDate == null ? undefined : localNoon(request.todayDate);
        try {
            await this.generate(loaded, request, controller.signal);
        } catch (error) {
            this.send({type: "error", id: request.id, code: "internal", message: `Generation failed: ${errorText(error)}`});
        } finally {
            this.turnDate = undefined;
            this.activeTurn = undefined;
            this.controllers.delete(request.id);
        }
    }

    private async generate(loaded: Loaded, request: ChatRequest, signal: AbortSignal) {
        const started = performance.now();
        // Loading a saved state is part of the wait for the first token, so it is timed with it.
        const statePlan = await loaded.states.beforeTurn(loaded.chat.sequence, request.id, request.state);
        const meterBefore = loaded.chat.sequence.tokenMeter.getState();
        const splitter = new ThoughtSplitter();
        let firstTokenAt: number | undefined;
        let generatedTokens = 0;
        const thinking = {tokens: 0, startedAt: 0, endedAt: 0};
        /** The answer as the host keeps it and sends it back: its text, without thoughts. */
        let answerText = "";

        const sendPieces = (pieces: ReturnType<ThoughtSplitter["push"]>) => {
            for (const piece of pieces) {
                if (piece.kind === "text")
                    answerText += piece.text;
                this.send({type: piece.kind, id: request.id, text: piece.text});
            }
        };

        /** Thought text of this turn, kept for a constrained answer that follows it. */
        let thoughtText = "";
        const respond = async (history: ChatHistoryItem[], options: {maxTokens: number; grammar?: LlamaGrammar; stopAtThoughtEnd?: boolean}): Promise<StopReason> => {
            try {
                const response = await loaded.chat.generateResponse(history, {
                    signal,
                    stopOnAbortSignal: true,
                    temperature: request.sampling.temperature,
                    topP: request.sampling.topP,
                    maxTokens: options.maxTokens,
                    ...(options.grammar == null ? {} : {grammar: options.grammar}),
                    ...(options.stopAtThoughtEnd === true ? {customStopTriggers: [THOUGHT_END]} : {}),
                    onResponseChunk: (chunk) => {
                        if (chunk.tokens.length > 0) {
                            const now = performance.now();
                            firstTokenAt ??= now;
                            generatedTokens += chunk.tokens.length;
                            if (chunk.type === "segment" || splitter.insideThought) {
                                if (thinking.tokens === 0)
                                    thinking.startedAt = now;
                                thinking.tokens += chunk.tokens.length;
                                thinking.endedAt = now;
                            }
                        }
                        if (chunk.text === "")
                            return;
                        if (chunk.type === "segment") {
                            thoughtText += chunk.text;
                            this.send({type: "thought", id: request.id, text: chunk.text});
                        } else
                            sendPieces(splitter.push(chunk.text));
                    }
                });
                return response.metadata.stopReason;
            } catch (error) {
                // An abort before the first token rejects instead of resolving; it is still a clean stop.
                if (!signal.aborted)
                    throw error;
                return "abort";
            }
        };

        const grammar = await this.grammarFor(loaded, request.responseSchema);
        const history = buildHistory(request);
        let stopReason: StopReason;
        if (grammar != null && request.reasoning) {
            // node-llama-cpp applies a grammar from the first generated token, inside the
            // prefilled thought too: the model would have to write JSON as its reasoning and
            // could never close the thought. So the thought is generated freely up to its
            // end, and the answer is generated under the grammar in a continuation of it.
            stopReason = await respond(history, {maxTokens: request.sampling.maxTokens, stopAtThoughtEnd: true});
            if (stopReason === "customStopTrigger" && !signal.aborted) {
                history[history.length - 1] = {type: "model", response: [{type: "segment", segmentType: "thought", text: thoughtText, ended: true}]};
                stopReason = await respond(history, {maxTokens: Math.max(1, request.sampling.maxTokens - generatedTokens), grammar});
            }
        } else
            stopReason = await respond(history, {maxTokens: request.sampling.maxTokens, ...(grammar == null ? {} : {grammar})});
        sendPieces(splitter.end());

        const ended = performance.now();
        const usage = loaded.chat.sequence.tokenMeter.diff(meterBefore);
        // Saved before `done`, which ends the request. Once a token came, the whole prompt was
        // evaluated: worth keeping even when the answer was stopped.
        if (firstTokenAt != null)
            await loaded.states.afterTurn(loaded.chat.sequence, request.id, statePlan, () => evaluateUpToNextQuestion(loaded, request, answerText));
        const decodeSeconds = firstTokenAt == null ? 0 : (ended - firstTokenAt) / 1000;
        this.send({
            type: "done",
            id: request.id,
            stats: {
                promptTokens: usage.usedInputTokens,
                generatedTokens,
                timeToFirstTokenMs: firstTokenAt == null ? 0 : firstTokenAt - started,
                // The first token's time is prompt evaluation; the rate counts the tokens after it.
                tokensPerSecond: decodeSeconds > 0 && generatedTokens > 1 ? (generatedTokens - 1) / decodeSeconds : 0,
                durationMs: ended - started,
                thoughtTokens: thinking.tokens,
                thoughtMs: thinking.endedAt - thinking.startedAt,
                stopReason
            }
        });
    }

    /** The grammar that holds an answer to `schema`, built once per schema while the model is loaded. */
    private async grammarFor(loaded: Loaded, schema: object | undefined): Promise<LlamaGrammar | undefined> {
        if (schema == null)
            return undefined;
        const key = JSON.stringify(schema);
        const cached = loaded.grammars.get(key);
        if (cached != null)
            return cached;
        let grammar: LlamaGrammar;
        try {
            // The protocol checked only that it is an object of bounded size; node-llama-cpp
            // reads the keywords of its JSON-schema subset and ignores the rest.
            grammar = await loaded.model.llama.createGrammarForJsonSchema<GbnfJsonSchema>(schema as GbnfJsonSchema);
        } catch (error) {
            throw new Error(`the answer's JSON schema cannot be turned into a grammar (${errorText(error)})`);
        }
        if (loaded.grammars.size >= MAX_CACHED_GRAMMARS)
            loaded.grammars.delete(loaded.grammars.keys().next().value!);
        loaded.grammars.set(key, grammar);
        return grammar;
    }

    private async loadModel(request: LoadRequest, signal: AbortSignal): Promise<LoadedModel> {
        const file = await checkModelFile(request.modelPath);
        const llamaCpp = await this.runtime.llamaCpp();
        const llama = await this.runtime.getLlama(request.gpu);

        // Reading the header first turns a corrupt or truncated file into a clear
        // message instead of a native failure deep inside llama.cpp.
        let fileInfo: Awaited<ReturnType<typeof llamaCpp.readGgufFileInfo>>;
        try {
            fileInfo = await llamaCpp.readGgufFileInfo(request.modelPath, {signal});
        } catch (error) {
            throw new EngineError("invalidModel",
                `${path.basename(request.modelPath)} is not a valid GGUF model file (${errorText(error)}). ` +
                "It may be damaged or incomplete; download it again or choose another file.");
        }

        // What the model needs here, from node-llama-cpp's GGUF insights: a model larger
        // than the machine is refused with advice instead of swapping the machine to a halt.
        const needs = await this.measureNeeds(llamaCpp, llama, fileInfo, request);
        if (needs != null && exceedsMachine(needs.needs, needs.machine))
            throw new EngineError("loadFailed", `${memoryAdvice(path.basename(request.modelPath), needs.needs, needs.machine)}`);

        this.measured = needs;
        const model = await llama.loadModel({
            modelPath: request.modelPath,
            loadSignal: signal,
            onLoadProgress: (progress) => this.send({type: "loadProgress", id: request.id, progress})
        });
        try {
            const threads = request.threads > 0 ? request.threads : llama.cpuMathCores;
            const context = await model.createContext({
                contextSize: Math.min(request.contextSize, model.trainContextSize),
                threads,
                sequences: 1
            });
            const chat = new llamaCpp.LlamaChat({
                contextSequence: context.getSequence(),
                chatWrapper: createAstroSageChatWrapper(llamaCpp, {todayDate: () => this.turnDate ?? new Date()})
            });
            const name = fileInfo.metadata.general?.name ?? path.basename(request.modelPath, ".gguf");
            const info: LoadedModel = {
                path: request.modelPath,
                fileBytes: file.size,
                fileModifiedMs: file.mtimeMs,
                name,
                contextSize: context.contextSize,
                threads,
                gpu: llama.gpu,
                chatWrapper: chat.chatWrapper.wrapperName
            };
            this.loaded = {info, model, context, chat, states: new PromptStateFiles(this.send, context.contextSize), grammars: new Map()};
            return info;
        } catch (error) {
            await model.dispose();
            throw error;
        }
    }

    private memoryAdviceFor(modelPath: string): string | undefined {
        const measured = this.measured;
        return measured == null ? undefined : memoryAdvice(path.basename(modelPath), measured.needs, measured.machine);
    }

    /** The model's needs on this machine, or undefined when they cannot be worked out (the load then goes ahead). */
    private async measureNeeds(
        llamaCpp: typeof NodeLlamaCpp,
        llama: Llama,
        fileInfo: GgufFileInfo,
        request: LoadRequest
    ): Promise<{needs: BuildNeeds; machine: MachineFacts} | undefined> {
        try {
            const needs = await measureNeeds(llamaCpp, llama, fileInfo, request.contextSize);
            return {needs, machine: await machineFacts(llama, path.dirname(request.modelPath))};
        } catch (error) {
            this.send({type: "log", level: "warn", message: `Could not estimate the memory ${path.basename(request.modelPath)} needs: ${errorText(error)}`});
            return undefined;
        }
    }

    private track(id: string): AbortController {
        const controller = new AbortController();
        this.controllers.set(id, controller);
        return controller;
    }
}

/**
 * Frees a loaded model. The chat must take its context sequence with it:
 * `LlamaChat.dispose()` alone keeps the sequence, and the context's only
 * sequence would then stay taken. Exported for the engine benchmark, which
 * loads node-llama-cpp in-process the same way.
 */
export async function disposeLoadedModel(loaded: Pick<Loaded, "model" | "context" | "chat">): Promise<void> {
    loaded.chat.dispose({disposeSequence: true});
    await loaded.context.dispose();
    await loaded.model.dispose();
}

/** Turns the conversation into node-llama-cpp's chat history, reasoning prefill included. */
export function buildHistory(request: Pick<ChatRequest, "messages" | "systemPrompt" | "reasoning">): ChatHistoryItem[] {
    const history: ChatHistoryItem[] = [];
    const systemPrompt = request.reasoning ? REASONING_SYSTEM_PROMPT : request.systemPrompt;
    if (systemPrompt !== "")
        history.push({type: "system", text: systemPrompt});

    for (const message of request.messages) {
        if (message.role === "user")
            history.push({type: "user", text: message.text});
        else
            history.push({type: "model", response: [message.text]});
    }

    // The paper's prefill: the answer starts inside an open thought, as if the
    // model had written `<think>` itself. node-llama-cpp continues a trailing
    // model response instead of starting a new one.
    history.push({
        type: "model",
        response: request.reasoning ? [{type: "segment", segmentType: "thought", text: "", ended: false}] : []
    });
    return history;
}

/**
 * Before a state is saved: evaluates the conversation as the next turn will send
 * it, up to where its question begins (the answer as the host keeps it, then the
 * next user header), so a follow-up after a reload evaluates only its own words,
 * as one in the same engine does. Skipped when the context is nearly full: making
 * room would drop the conversation's beginning.
 */
async function evaluateUpToNextQuestion(loaded: Loaded, request: ChatRequest, answerText: string) {
    if (loaded.chat.sequence.contextTokens.length + 256 > loaded.context.contextSize)
        return;
    const history = buildHistory({...request, messages: [...request.messages, {role: "assistant", text: answerText}]});
    // In place of the answer buildHistory opens: the next question, not written yet.
    history[history.length - 1] = {type: "user", text: ""};
    await loaded.chat.loadChatAndCompleteUserMessage(history, {maxTokens: 0});
}

/** A `YYYY-MM-DD` date as a local time the preamble prints as that day in any time zone. */
function localNoon(isoDate: string): Date {
    const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
    return new Date(year, month - 1, day, 12);
}

async function checkModelFile(modelPath: string) {
    const stats = await stat(modelPath).catch(() => undefined);
    if (stats == null)
        throw new EngineError("modelNotFound", `The model file ${modelPath} does not exist. Choose or download a model with "AstroSage: Select Model…".`);
    if (!stats.isFile())
        throw new EngineError("modelNotFound", `${modelPath} is not a file. Choose or download a model with "AstroSage: Select Model…".`);
    if (stats.size === 0)
        throw new EngineError("invalidModel", `The model file ${modelPath} is empty. Download it again or choose another file.`);
    return stats;
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
