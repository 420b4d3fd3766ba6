/**
 * The server backend: AstroSage (the 70B, typically) on an OpenAI-compatible
 * inference server, behind the same `ChatBackend` as the local engine, so chat,
 * reasoning folds, Summarize, Review and Explain work unchanged. No `vscode` import.
 *
 * - Reasoning is asked for the paper's way: the system prompt `detailed thinking
 *   on` and the answer prefilled with `<think>`, sent as a final assistant message
 *   with `continue_final_message` (vLLM's and llama-server's name for continuing
 *   it). A server that refuses that gets the system prompt alone from then on.
 *   Thoughts arrive inline (`<think>…</think>` in the content) or in a separate
 *   `reasoning_content` / `reasoning` field; both become thought frames.
 * - A response schema (the review's findings) goes as `response_format`
 *   `json_schema`. A server constrains every generated token to it, so with
 *   reasoning the thought is asked for first (stopping at `</think>`), then the
 *   answer under the schema, continuing after the thought.
 * - A 429/503 with a short `Retry-After` is waited out before the answer starts;
 *   anything else ends the turn with an error frame that says what happened.
 *   Frames already sent stay sent: a cut answer keeps what arrived.
 */
import type {ChatBackend, ChatMessage, ChatTurn, StopReason, StreamFrame} from "../core/chatTypes.ts";
import type {ModelStatus} from "../core/ModelStatus.ts";
import {REASONING_SYSTEM_PROMPT} from "../core/reasoningMode.ts";
import {ThoughtSplitter} from "../core/ThoughtSplitter.ts";
import {hostOf} from "../core/urlParts.ts";
import {OpenAiClient, type ChatCompletionChunk, type ServerModel, type ServerSettings} from "./OpenAiClient.ts";
import {ServerError} from "./ServerError.ts";
import {TurnMeter} from "./TurnMeter.ts";

const THINK_PREFILL = "<think>\n";

export type ServerBackendOptions = {
    /** The server's settings, read at every turn (the API key comes from SecretStorage, hence async). */
    settings: () => Promise<ServerSettings>;
    /** Told what the server is doing, for the status bar and the chat header. Defaults to nobody. */
    onStatus?: (status: ModelStatus) => void;
    /** Where requests' problems are logged (never with a secret). Defaults to nowhere. */
    log?: {info(message: string): void; warn(message: string): void};
    /** The longest `Retry-After` waited out before giving up with a message. Defaults to 30 s. */
    maxRetryWaitMs?: number;
};

/** What a connection test found: the models the server serves, or why it could not tell. */
export type ConnectionReport =
    | {ok: true; origin: string; models: ServerModel[]; milliseconds: number}
    | {ok: false; origin: string; error: ServerError};

type Phase = {messages: {role: string; content: string}[]; prefilled: boolean; extra: object};

export class ServerBackend implements ChatBackend {
    /** Servers (base URLs) that refused a prefilled assistant turn: asked without one from then on. */
    private readonly noPrefill = new Set<string>();
    /** Servers that refused a schema on an answer continuing a thought: such answers are asked for free. */
    private readonly noSchemaAfterThought = new Set<string>();
    /** Each base URL's model list, once read. */
    private readonly models = new Map<string, ServerModel[]>();

    public constructor(private readonly options: ServerBackendOptions) {}

    /** Asks the server for its models: the connection test of "Connect to Server…". */
    public async testConnection(settings: ServerSettings, signal: AbortSignal): Promise<ConnectionReport> {
        const client = new OpenAiClient(settings);
        const start = performance.now();
        try {
            const models = await client.listModels(signal);
            this.models.set(settings.baseUrl, models);
            if (models.length === 0)
                return {ok: false, origin: client.origin, error: new ServerError("serverRejected", `${client.origin} answered, but serves no model.`)};
            return {ok: true, origin: client.origin, models, milliseconds: performance.now() - start};
        } catch (error) {
            if (error instanceof ServerError)
                return {ok: false, origin: client.origin, error};
            throw error;
        }
    }

    /**
     * The context size the server reported for a model (vLLM's `max_model_len`),
     * once its model list has been read; undefined while unknown.
     */
    public knownContextSize(baseUrl: string, model: string): number | undefined {
        const models = this.models.get(baseUrl);
        return (model === "" ? models?.[0] : models?.find((candidate) => candidate.id === model))?.contextSize;
    }

    public async countTokens(text: string, signal: AbortSignal): Promise<number | undefined> {
        const settings = await this.options.settings();
        return settings.baseUrl === "" ? undefined : new OpenAiClient(settings).countTokens(text, signal);
    }

    public async chat(turn: ChatTurn, onFrame: (frame: StreamFrame) => void, signal: AbortSignal): Promise<void> {
        const settings = await this.options.settings();
        if (settings.baseUrl === "") {
            onFrame({kind: "error", code: "noServer", message: "No inference server is set. Run \"AstroSage: Connect to Server…\", or choose a local model with \"AstroSage: Select Model…\"."});
            return;
        }
        const client = new OpenAiClient(settings);
        const host = hostOf(client.origin);
        const meter = new TurnMeter();
        let modelName = settings.model === "" ? "server model" : settings.model;
        try {
            const model = await this.resolveModel(client, settings, signal);
            modelName = model.id;
            this.status({state: "generating", name: modelName, device: host});
            const stopReason = await this.withRetries(() => this.runTurn(client, settings, model.id, turn, meter, onFrame, signal), meter, signal, modelName, host);
            const stats = meter.stats(stopReason);
            onFrame({kind: "done", stats});
            this.status({state: "ready", name: modelName, device: host, lastStats: stats});
        } catch (error) {
            if (signal.aborted) {
                onFrame({kind: "done", stats: meter.stats("abort")});
                this.status({state: "ready", name: modelName, device: host});
                return;
            }
            if (!(error instanceof ServerError))
                throw error;
            this.options.log?.warn(`Server turn failed (${error.code}${error.status == null ? "" : `, HTTP ${error.status}`}): ${error.message}`);
            onFrame({kind: "error", code: error.code, message: error.message});
            this.status({state: "error", message: error.message});
        }
    }

    /**
     * The turn's requests: one, or with reasoning and a schema, the thought then
     * the answer. A server that refuses the prefilled turn (it answers 400 before
     * anything streams) is remembered, and the turn runs again without it.
     */
    private async runTurn(client: OpenAiClient, settings: ServerSettings, model: string, turn: ChatTurn, meter: TurnMeter, onFrame: (frame: StreamFrame) => void, signal: AbortSignal): Promise<StopReason> {
        try {
            return await this.runRequests(client, settings, model, turn, meter, onFrame, signal);
        } catch (error) {
            if (!isBadRequest(error) || meter.generatedSoFar > 0 || this.noPrefill.has(settings.baseUrl) || !turn.reasoning)
                throw error;
            this.options.log?.warn(`${client.origin} does not continue an assistant turn (${(error as Error).message}); reasoning is asked for with the system prompt alone.`);
            this.noPrefill.add(settings.baseUrl);
            return this.runRequests(client, settings, model, turn, meter, onFrame, signal);
        }
    }

    private async runRequests(client: OpenAiClient, settings: ServerSettings, model: string, turn: ChatTurn, meter: TurnMeter, onFrame: (frame: StreamFrame) => void, signal: AbortSignal): Promise<StopReason> {
        const prefill = turn.reasoning && !this.noPrefill.has(settings.baseUrl);
        const schema = turn.responseSchema == null
            ? {}
            : {response_format: {type: "json_schema", json_schema: {name: "astrosage_answer", strict: true, schema: turn.responseSchema}}};
        if (!(prefill && turn.responseSchema != null))
            return (await this.stream(client, model, turn, {messages: messagesFor(turn, prefill ? THINK_PREFILL : undefined), prefilled: prefill, extra: schema}, turn.sampling.maxTokens, meter, onFrame, signal)).stopReason;

        // A schema constrains every token, a thought included: think first, freely, up to `</think>`…
        const thought = await this.stream(client, model, turn, {messages: messagesFor(turn, THINK_PREFILL), prefilled: true, extra: {stop: ["</think>"]}}, turn.sampling.maxTokens, meter, onFrame, signal);
        const left = turn.sampling.maxTokens - meter.generatedSoFar;
        if (thought.stopReason !== "eogToken" || left <= 0)
            return thought.stopReason === "eogToken" ? "maxTokens" : thought.stopReason;
        // …then the answer, continuing right after the closing tag (the model writes its own
        // separator, as when it closes a thought itself), under the schema where the server
        // allows it. llama-server holds the continued text to the schema too, and a thought
        // is not JSON: it refuses (400) before anything streams. The answer is then asked for
        // free and checked against the schema here, as every answer is.
        const answer: Phase = {messages: messagesFor(turn, `${THINK_PREFILL}${thought.thought.trim()}\n</think>`), prefilled: false, extra: schema};
        if (!this.noSchemaAfterThought.has(settings.baseUrl)) {
            const before = meter.generatedSoFar;
            try {
                return (await this.stream(client, model, turn, answer, left, meter, onFrame, signal)).stopReason;
            } catch (error) {
                if (!isBadRequest(error) || meter.generatedSoFar !== before || signal.aborted)
                    throw error;
                this.noSchemaAfterThought.add(settings.baseUrl);
                this.options.log?.warn(`${client.origin} does not hold an answer that continues a thought to a schema (${(error as Error).message}); such answers are asked for free and checked here.`);
            }
        }
        return (await this.stream(client, model, turn, {...answer, extra: {}}, left, meter, onFrame, signal)).stopReason;
    }

    /** One streamed request: its pieces become frames; resolves with why it stopped and the thought it streamed. */
    private async stream(client: OpenAiClient, model: string, turn: ChatTurn, phase: Phase, maxTokens: number, meter: TurnMeter, onFrame: (frame: StreamFrame) => void, signal: AbortSignal): Promise<{stopReason: StopReason; thought: string}> {
        let thought = "";
        let finishReason: string | undefined;
        // Made at the first content piece: a server that sent the thought in a field of its own
        // has already taken it out, so the content then starts with the answer, not inside a thought.
        let splitter: ThoughtSplitter | undefined;
        let sawReasoningField = false;
        const emit = (kind: "text" | "thought", text: string) => {
            if (text === "")
                return;
            if (kind === "thought")
                thought += text;
            meter.piece(kind);
            onFrame({kind, text});
        };
        const body = {
            model,
            messages: phase.messages,
            temperature: turn.sampling.temperature,
            top_p: turn.sampling.topP,
            max_tokens: maxTokens,
            stream_options: {include_usage: true},
            ...(phase.messages.at(-1)?.role === "assistant" ? {continue_final_message: true, add_generation_prompt: false} : {}),
            ...phase.extra
        };
        const onChunk = (chunk: ChatCompletionChunk) => {
            meter.counts(chunk);
            for (const choice of chunk.choices ?? []) {
                const reasoning = choice.delta?.reasoning_content ?? choice.delta?.reasoning;
                if (typeof reasoning === "string" && reasoning !== "") {
                    sawReasoningField = true;
                    emit("thought", reasoning);
                }
                const content = choice.delta?.content;
                if (typeof content === "string" && content !== "") {
                    splitter ??= new ThoughtSplitter({startInThought: phase.prefilled && !sawReasoningField});
                    for (const piece of splitter.push(content))
                        emit(piece.kind, piece.text);
                }
                finishReason = choice.finish_reason ?? finishReason;
            }
        };
        try {
            await client.streamChat(body, signal, onChunk);
        } finally {
            for (const piece of splitter?.end() ?? [])
                emit(piece.kind, piece.text);
        }
        return {stopReason: finishReason === "length" ? "maxTokens" : "eogToken", thought};
    }

    /** Waits out a short `Retry-After` (before anything streamed) and tries again. */
    private async withRetries<T>(run: () => Promise<T>, meter: TurnMeter, signal: AbortSignal, name: string, host: string): Promise<T> {
        const maxWait = this.options.maxRetryWaitMs ?? 30_000;
        let waited = 0;
        for (;;) {
            try {
                return await run();
            } catch (error) {
                const retryMs = error instanceof ServerError && error.code === "serverBusy" && error.retryAfterSeconds != null
                    ? error.retryAfterSeconds * 1000
                    : undefined;
                if (retryMs == null || meter.generatedSoFar > 0 || waited + retryMs > maxWait || signal.aborted)
                    throw error;
                this.options.log?.info(`${host} asked to wait ${retryMs / 1000} s (${error instanceof ServerError ? error.status : ""}); trying again then.`);
                this.status({state: "generating", name: `${name} · server busy, retrying in ${Math.ceil(retryMs / 1000)} s`, device: host});
                await sleep(retryMs, signal);
                waited += retryMs;
            }
        }
    }

    /** The configured model, or the server's first; with its context size when the server lists it. */
    private async resolveModel(client: OpenAiClient, settings: ServerSettings, signal: AbortSignal): Promise<ServerModel> {
        let models = this.models.get(settings.baseUrl);
        if (models == null) {
            try {
                models = await client.listModels(signal);
                this.models.set(settings.baseUrl, models);
            } catch (error) {
                // A named model can be asked for even when a gateway does not serve the list;
                // a server that cannot be reached at all is not asked twice.
                const listRefused = error instanceof ServerError && (error.code === "serverRejected" || error.code === "serverFailed");
                if (settings.model !== "" && listRefused && !signal.aborted)
                    return {id: settings.model};
                throw error;
            }
        }
        if (settings.model !== "")
            return models.find((model) => model.id === settings.model) ?? {id: settings.model};
        const first = models[0];
        if (first == null)
            throw new ServerError("serverRejected", `${client.origin} serves no model. Check the server, or set astrosage.server.model.`);
        return first;
    }

    private status(status: ModelStatus) {
        this.options.onStatus?.(status);
    }
}

/** The system prompt, the conversation and, to continue it, the beginning of the answer. */
function messagesFor(turn: ChatTurn, answerPrefix: string | undefined): {role: string; content: string}[] {
    const system = turn.reasoning ? REASONING_SYSTEM_PROMPT : turn.systemPrompt;
    return [
        ...(system === "" ? [] : [{role: "system", content: system}]),
        ...turn.messages.map((message: ChatMessage) => ({role: message.role, content: message.text})),
        ...(answerPrefix == null ? [] : [{role: "assistant", content: answerPrefix}])
    ];
}

/** A 400/422: the server does not accept the request as made (a prefilled turn, a schema after a thought). */
function isBadRequest(error: unknown): boolean {
    return error instanceof ServerError && error.code === "serverRejected" && error.status != null && [400, 422].includes(error.status);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            signal.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, {once: true});
    });
}
