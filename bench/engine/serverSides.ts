/**
 * The server backend's two sides, for TTFT and decode tokens/s as the caller sees them:
 * what the extension's client (`ServerBackend`, src/server/) costs on top of an
 * OpenAI-compatible server, against a bare fetch + SSE read of the same llama-server
 * with the same request body. Same server, model, prompt and work: any gap is the client's.
 *
 * - `ServerHost`: the one llama-server process (test/support/llamaServer.ts), shared by
 *   both sides: started by the first side's `load`, stopped by the last side's `unload`;
 * - `ServerExtensionSide`: `new ServerBackend({settings})` and its `chat`, frames timed
 *   as they arrive, as the chat view would receive them;
 * - `ServerDirectSide`: `fetch(POST /v1/chat/completions)` with the body `ServerBackend`
 *   sends (compared on the warm-up turn: `bodyDifference`), read line by line.
 * Both count tokens by the server's own count (`usage.completion_tokens`, else
 * `timings.predicted_n`): `ServerBackend`'s stats report it (its TurnMeter takes the
 * larger of that and the pieces streamed, never more than the tokens), the direct side
 * reads it from the final chunk. Both sides share the server's one slot, so each turn
 * is primed, untimed, with the previous question (`ServerHost.prime`). Each turn also
 * gets the server's own timings, parsed from its log, so delivery (client) and
 * generation (server) costs can be told apart.
 */
import {ServerBackend} from "../../src/server/ServerBackend.ts";
import type {ChatTurn, StreamFrame} from "../../src/core/chatTypes.ts";
import {startLlamaServer, type LlamaServer} from "../../test/support/llamaServer.ts";
import type {BenchSide, ModelSettings} from "./benchSides.ts";
import {ChunkClock, type ServerTimings, type TurnMeasurement} from "./measurement.ts";

/** The id the server lists its model under; the direct side asks for it by name, the extension side finds it in `/v1/models`. */
const MODEL_ALIAS = "astrosage-bench";
/** A turn that goes this long without a streamed event has stalled. */
const STALL_MS = 60_000;

/** The llama-server process both sides talk to. */
export class ServerHost {
    private server: LlamaServer | undefined;
    private startedWith: string | undefined;
    private users = 0;
    /** Where the current turn's log starts: the server's timings for it are read from there on. */
    private logMark = 0;
    /** Where the log stood once the server was ready: warnings before that are its start-up banner. */
    private readyMark = 0;
    private readonly problems: string[] = [];

    /** `serverArgs`: more llama-server arguments (`--ignore-eos` for random weights). */
    public constructor(private readonly serverArgs: string[] = []) {}

    public get baseUrl(): string {
        if (this.server == null)
            throw new Error("ServerHost: no llama-server is running; load a model first.");
        return this.server.baseUrl;
    }

    public get pid(): number | undefined {
        return this.server?.process.pid;
    }

    /** Starts llama-server for these settings, or joins the one already serving them. */
    public async acquire(settings: ModelSettings): Promise<void> {
        const key = JSON.stringify(settings);
        if (this.server != null && this.startedWith !== key)
            throw new Error("ServerHost: both sides must load the same settings.");
        this.users++;
        if (this.server != null)
            return;
        try {
            this.server = await startLlamaServer({
                model: settings.modelPath,
                alias: MODEL_ALIAS,
                threads: settings.threads,
                contextSize: settings.contextSize,
                args: this.serverArgs
            });
        } catch (error) {
            this.users--;
            throw error;
        }
        this.startedWith = key;
        this.readyMark = this.server.log().length;
        this.logMark = this.readyMark;
    }

    /** Stops llama-server once neither side uses it. */
    public async release(): Promise<void> {
        if (this.users === 0)
            return;
        this.users--;
        if (this.users === 0)
            await this.stop();
    }

    public async stop(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        this.startedWith = undefined;
        this.users = 0;
        if (server == null)
            return;
        this.problems.push(...warningLines(server.log().slice(this.readyMark)));
        await server.stop();
    }

    /**
     * Leaves the server's one slot holding `previous`'s prompt (and one generated token),
     * as if `previous` had just been answered: both sides share the slot, and without this
     * the second turn of a pair would find its whole prompt cached by the first. The
     * next turn then reuses the prefix up to where the questions differ, on both sides.
     */
    public async prime(previous: ChatTurn): Promise<void> {
        const response = await fetch(`${this.baseUrl}/chat/completions`, {
            method: "POST",
            body: JSON.stringify({...requestBody(previous), max_tokens: 1, stream_options: undefined, stream: false}),
            headers: {"Content-Type": "application/json"}
        });
        if (!response.ok)
            throw new Error(`llama-server refused the priming request (${response.status}): ${await response.text()}${this.recentLog()}`);
        await response.arrayBuffer();
    }

    /** Marks the start of a turn in the log. */
    public markTurn() {
        this.logMark = this.server?.log().length ?? 0;
    }

    /**
     * The server's own timings of the turn just finished, from its log (`print_timing`):
     * the last request since `markTurn` that generated `generatedTokens` (the priming
     * request's lines, one token, may trail into the turn's part of the log). The log
     * comes through a pipe and may trail the answer by a moment: waits up to 1 s.
     */
    public async turnTimings(generatedTokens: number): Promise<ServerTimings | undefined> {
        const deadline = performance.now() + 1000;
        for (;;) {
            const timings = parseTimings(this.server?.log().slice(this.logMark) ?? "")
                .findLast((request) => request.decodeTokens === generatedTokens);
            if (timings != null || performance.now() > deadline)
                return timings;
            await new Promise((resolve) => setTimeout(resolve, 5));
        }
    }

    /** The last lines of the log, for an error message. */
    public recentLog(): string {
        const lines = (this.server?.log() ?? "").trimEnd().split("\n").slice(-10);
        return lines.length === 0 ? "" : `\nllama-server log:\n  ${lines.join("\n  ")}`;
    }

    public warnings(): string[] {
        return [...this.problems, ...warningLines(this.server?.log().slice(this.readyMark) ?? "")];
    }
}

/** The request bodies each side sent on its first turn, to check they match. */
export type CapturedBodies = {extension?: Record<string, unknown>; direct?: Record<string, unknown>};

export class ServerExtensionSide implements BenchSide {
    public readonly name = "extension";
    private backend: ServerBackend | undefined;
    private captureNext = true;

    public constructor(private readonly host: ServerHost, private readonly bodies: CapturedBodies) {}

    public async load(settings: ModelSettings): Promise<void> {
        await this.host.acquire(settings);
        const baseUrl = this.host.baseUrl;
        // As the extension makes it: settings read at every turn; its model list read once, at the first turn.
        this.backend = new ServerBackend({settings: async () => ({baseUrl, model: "", timeoutMs: 120_000, headers: {}})});
        this.captureNext = true;
    }

    public async prepare(previous: ChatTurn): Promise<void> {
        await this.host.prime(previous);
    }

    public async run(turn: ChatTurn): Promise<TurnMeasurement> {
        const backend = this.backend;
        if (backend == null)
            throw new Error("ServerExtensionSide: load a model before running turns.");
        // The first turn (the discarded warm-up) records the body ServerBackend sends, through a
        // wrapper around fetch; later turns run with fetch untouched.
        const restoreFetch = this.captureNext ? captureChatBody((body) => this.bodies.extension = body) : undefined;
        this.captureNext = false;
        const received: {text: string; final?: StreamFrame} = {text: ""};
        const controller = new AbortController();
        const stall = setTimeout(() => controller.abort(new Error(`llama-server sent nothing for ${STALL_MS / 1000} s.`)), STALL_MS);
        this.host.markTurn();
        const clock = new ChunkClock();
        try {
            await backend.chat(turn, (frame) => {
                stall.refresh();
                if (frame.kind === "text" || frame.kind === "thought") {
                    clock.chunk();
                    received.text += frame.text;
                } else
                    received.final = frame;
            }, controller.signal);
        } finally {
            clearTimeout(stall);
            restoreFetch?.();
        }

        const final = received.final;
        if (final?.kind !== "done" || final.stats.stopReason === "abort") {
            const why = final?.kind === "error" ? final.message : final?.kind === "done" ? String(controller.signal.reason) : "no final frame";
            throw new Error(`ServerBackend's turn failed: ${why}${this.host.recentLog()}`);
        }
        const {stats} = final;
        return {
            ...clock.finish(stats.generatedTokens),
            generatedTokens: stats.generatedTokens,
            promptTokens: stats.promptTokens,
            stopReason: stats.stopReason,
            text: received.text,
            engineStats: stats,
            serverTimings: await this.host.turnTimings(stats.generatedTokens)
        };
    }

    public async unload(): Promise<void> {
        this.backend = undefined;
        await this.host.release();
    }

    public async dispose(): Promise<void> {
        await this.host.stop();
    }

    public helperPids(): number[] {
        return this.host.pid == null ? [] : [this.host.pid];
    }

    public warnings(): string[] {
        return this.host.warnings();
    }
}

/** One chunk of the stream, the fields read here (as `ServerBackend` reads them). */
type Chunk = {
    choices?: {delta?: {content?: string | null; reasoning_content?: string | null; reasoning?: string | null}; finish_reason?: string | null}[];
    usage?: {prompt_tokens?: number; completion_tokens?: number} | null;
    timings?: {prompt_n?: number; predicted_n?: number};
    error?: unknown;
};

export class ServerDirectSide implements BenchSide {
    public readonly name = "direct";
    private loaded = false;
    private captureNext = true;

    public constructor(private readonly host: ServerHost, private readonly bodies: CapturedBodies) {}

    public async load(settings: ModelSettings): Promise<void> {
        await this.host.acquire(settings);
        this.loaded = true;
        this.captureNext = true;
    }

    public async prepare(previous: ChatTurn): Promise<void> {
        await this.host.prime(previous);
    }

    /** A minimal client: the request `ServerBackend` makes for a plain turn, and a line-by-line read of the stream. */
    public async run(turn: ChatTurn): Promise<TurnMeasurement> {
        if (!this.loaded)
            throw new Error("ServerDirectSide: load a model before running turns.");
        const body = requestBody(turn);
        if (this.captureNext)
            this.bodies.direct = structuredClone(body);
        this.captureNext = false;

        const controller = new AbortController();
        const stall = setTimeout(() => controller.abort(new Error(`llama-server sent nothing for ${STALL_MS / 1000} s.`)), STALL_MS);
        let text = "";
        let finishReason: string | undefined;
        let generated: number | undefined;
        let prompt: number | undefined;
        this.host.markTurn();
        const clock = new ChunkClock();
        try {
            const response = await fetch(`${this.host.baseUrl}/chat/completions`, {
                method: "POST",
                body: JSON.stringify(body),
                headers: {"Content-Type": "application/json", Accept: "text/event-stream"},
                signal: controller.signal
            });
            if (!response.ok || response.body == null)
                throw new Error(`llama-server answered ${response.status}: ${await response.text()}`);
            const decoder = new TextDecoder();
            const reader = response.body.getReader();
            let buffered = "";
            for (;;) {
                const {done, value: bytes} = await reader.read();
                if (done)
                    break;
                stall.refresh();
                buffered += decoder.decode(bytes, {stream: true});
                let newline: number;
                while ((newline = buffered.indexOf("\n")) >= 0) {
                    const line = buffered.slice(0, newline).trimEnd();
                    buffered = buffered.slice(newline + 1);
                    if (!line.startsWith("data:"))
                        continue;
                    const data = line.slice(5).trim();
                    if (data === "[DONE]")
                        continue;
                    const chunk = JSON.parse(data) as Chunk;
                    if (chunk.error != null)
                        throw new Error(`llama-server reported an error: ${JSON.stringify(chunk.error)}`);
                    for (const choice of chunk.choices ?? []) {
                        const delta = choice.delta;
                        const piece = (delta?.reasoning_content ?? delta?.reasoning ?? "") + (delta?.content ?? "");
                        if (piece !== "") {
                            clock.chunk();
                            text += piece;
                        }
                        finishReason = choice.finish_reason ?? finishReason;
                    }
                    // The same precedence as ServerBackend's TurnMeter.
                    generated = chunk.usage?.completion_tokens ?? chunk.timings?.predicted_n ?? generated;
                    prompt = chunk.timings?.prompt_n ?? chunk.usage?.prompt_tokens ?? prompt;
                }
            }
        } catch (error) {
            throw new Error(`The direct request failed: ${error instanceof Error ? error.message : String(error)}${this.host.recentLog()}`);
        } finally {
            clearTimeout(stall);
        }
        if (generated == null)
            throw new Error(`llama-server sent no token count (usage or timings).${this.host.recentLog()}`);
        return {
            ...clock.finish(generated),
            generatedTokens: generated,
            promptTokens: prompt ?? 0,
            // As ServerBackend maps it.
            stopReason: finishReason === "length" ? "maxTokens" : "eogToken",
            text,
            serverTimings: await this.host.turnTimings(generated)
        };
    }

    public async unload(): Promise<void> {
        if (!this.loaded)
            return;
        this.loaded = false;
        await this.host.release();
    }

    public async dispose(): Promise<void> {
        await this.host.stop();
    }

    public helperPids(): number[] {
        return this.host.pid == null ? [] : [this.host.pid];
    }

    public warnings(): string[] {
        // The host's warnings are reported once, by the extension side.
        return [];
    }
}

/** The body `ServerBackend` sends for a plain turn (no reasoning, no schema), field for field. */
function requestBody(turn: ChatTurn) {
    return {
        model: MODEL_ALIAS,
        messages: [
            ...(turn.systemPrompt === "" ? [] : [{role: "system", content: turn.systemPrompt}]),
            ...turn.messages.map((message) => ({role: message.role, content: message.text}))
        ],
        temperature: turn.sampling.temperature,
        top_p: turn.sampling.topP,
        max_tokens: turn.sampling.maxTokens,
        stream_options: {include_usage: true},
        stream: true
    };
}

/**
 * Where the two sides' first request bodies differ, if they do (the questions are the
 * same: both first turns are the warm-up). Undefined when they are the same.
 */
export function bodyDifference(bodies: CapturedBodies): string | undefined {
    if (bodies.extension == null || bodies.direct == null)
        return "a side's request body was not captured";
    const keys = [...new Set([...Object.keys(bodies.extension), ...Object.keys(bodies.direct)])];
    const differing = keys.filter((key) => JSON.stringify(bodies.extension![key]) !== JSON.stringify(bodies.direct![key]));
    return differing.length === 0
        ? undefined
        : `the request bodies differ in ${differing.map((key) => `${key} (extension ${JSON.stringify(bodies.extension![key])}, direct ${JSON.stringify(bodies.direct![key])})`).join("; ")}`;
}

/** Wraps the global fetch to hand the next chat-completions request's body to `record`; returns the undo. */
function captureChatBody(record: (body: Record<string, unknown>) => void): () => void {
    const original = globalThis.fetch;
    globalThis.fetch = (input, init) => {
        const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
        if (url.endsWith("/chat/completions") && typeof init?.body === "string")
            record(JSON.parse(init.body) as Record<string, unknown>);
        return original(input, init);
    };
    return () => {
        globalThis.fetch = original;
    };
}

/**
 * llama-server's `print_timing` lines, per request (task), in order:
 *   "task 33 | prompt eval time =  123.83 ms /  11 tokens (…)" and "task 33 |        eval time =  684.26 ms /  32 tokens (…)".
 */
function parseTimings(log: string): ServerTimings[] {
    const prompts = new Map<string, {ms: number; tokens: number}>();
    const requests: ServerTimings[] = [];
    for (const match of log.matchAll(/task (\d+) \|\s+(prompt eval|eval) time =\s*([\d.]+) ms \/\s*(\d+) tokens/g)) {
        const [, task, kind, ms, tokens] = match;
        if (kind === "prompt eval") {
            prompts.set(task!, {ms: Number(ms), tokens: Number(tokens)});
            continue;
        }
        const prompt = prompts.get(task!);
        if (prompt == null)
            continue;
        const decodeMs = Number(ms);
        const decodeTokens = Number(tokens);
        requests.push({
            promptMs: prompt.ms,
            promptTokens: prompt.tokens,
            decodeMs,
            decodeTokens,
            // llama-server's own rate: tokens over the time decoding them, the first one's included.
            decodeTokensPerSecond: decodeMs > 0 ? decodeTokens / (decodeMs / 1000) : 0
        });
    }
    return requests;
}

/**
 * Warning and error lines (level W or E after the timestamp) of a llama-server log,
 * less the pair a priming request causes when it asks the question the slot already
 * holds (the first turn of each pair primes with the question the previous pair
 * asked): the server then evaluates the prompt's last token again, and says so.
 */
function warningLines(log: string): string[] {
    return log.split("\n")
        .filter((line) => /^\S+ [WE] /.test(line))
        .filter((line) => !/need to evaluate at least 1 token for each active slot|n_past was set to/.test(line))
        .map((line) => line.trimEnd());
}
