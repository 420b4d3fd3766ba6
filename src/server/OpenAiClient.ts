/**
 * The HTTP side of an OpenAI-compatible inference server (vLLM, llama.cpp's
 * llama-server, Ollama, facility gateways): the model list and streamed chat
 * completions as server-sent events. Knows nothing of AstroSage's turns; the
 * backend (`ServerBackend`) builds the requests and reads the chunks.
 *
 * Every request carries the API key (when one is stored) and the extra headers,
 * and waits at most `timeoutMs` for the answer to start and between two streamed
 * events. Aborting the caller's signal closes the connection, which is how an
 * OpenAI-compatible server is told to stop generating.
 */
import {EventSourceParserStream} from "eventsource-parser/stream";
import {originOf} from "../core/urlParts.ts";
import {fromStatus, redact, ServerError, unreachable} from "./ServerError.ts";

export type ServerSettings = {
    /** The API's base URL with its version path, as OpenAI clients take it: `https://host/v1`. */
    baseUrl: string;
    /** The model to ask; `""` asks the server's first (a server that serves one model). */
    model: string;
    /** Sent as `Authorization: Bearer …` when set. Kept in VS Code's SecretStorage, never in settings. */
    apiKey?: string;
    /** The longest wait for the answer to start, and between two streamed pieces of it. */
    timeoutMs: number;
    /** Extra headers on every request (facility gateways ask for project or routing headers). */
    headers: Record<string, string>;
};

/** A model the server lists, with its context size when the server tells it. */
export type ServerModel = {id: string; contextSize?: number};

/** One streamed chunk of a chat completion (the fields AstroSage reads). */
export type ChatCompletionChunk = {
    choices?: {
        delta?: {
            content?: string | null;
            /** llama-server's and older vLLM's reasoning parsers. */
            reasoning_content?: string | null;
            /** Newer vLLM's and OpenRouter's name for it. */
            reasoning?: string | null;
        };
        finish_reason?: string | null;
    }[];
    usage?: {prompt_tokens?: number; completion_tokens?: number} | null;
    /** llama-server's own figures. */
    timings?: {prompt_n?: number; predicted_n?: number};
};

export class OpenAiClient {
    public constructor(private readonly settings: ServerSettings) {}

    /** `https://host:port`: how messages name the server (a path may carry tokens; an origin does not). */
    public get origin(): string {
        return originOf(this.settings.baseUrl);
    }

    /** Every secret a message or a log line must not show. */
    public get secrets(): string[] {
        return [this.settings.apiKey ?? "", ...Object.values(this.settings.headers)];
    }

    /** `GET /models`: the models the server serves. */
    public async listModels(signal: AbortSignal): Promise<ServerModel[]> {
        const response = await this.send("models", {method: "GET"}, signal);
        const body = await this.readJson(response, signal) as {data?: {id?: unknown; max_model_len?: unknown; meta?: {n_ctx?: unknown}}[]};
        if (!Array.isArray(body.data))
            throw new ServerError("serverFailed", `${this.origin} answered the model list with something that is not an OpenAI-compatible list. Check that astrosage.server.url is the API's base URL (usually ending in /v1).`);
        return body.data
            .filter((model) => typeof model.id === "string")
            .map((model) => {
                // vLLM names the served context `max_model_len`; llama-server puts it in `meta.n_ctx` in some versions.
                const contextSize = [model.max_model_len, model.meta?.n_ctx].find((value) => typeof value === "number" && value > 0) as number | undefined;
                return contextSize == null ? {id: model.id as string} : {id: model.id as string, contextSize};
            });
    }

    /**
     * `POST /chat/completions` with `stream: true`: calls `onChunk` for each
     * chunk until the server's `[DONE]`. Rejects with a ServerError when the
     * server refuses, fails, goes silent for longer than the timeout, or the
     * stream breaks off; with the signal's reason when the caller aborts.
     */
    public async streamChat(body: object, signal: AbortSignal, onChunk: (chunk: ChatCompletionChunk) => void): Promise<void> {
        const timer = new IdleTimer(this.settings.timeoutMs, this.origin);
        const combined = AbortSignal.any([signal, timer.signal]);
        try {
            timer.restart();
            const response = await this.send("chat/completions", {
                method: "POST",
                body: JSON.stringify({...body, stream: true}),
                headers: {"Content-Type": "application/json", Accept: "text/event-stream"}
            }, combined, timer);
            if (response.body == null)
                throw new ServerError("serverFailed", `${this.origin} sent an empty answer.`);
            const events = response.body
                .pipeThrough(new TextDecoderStream())
                .pipeThrough(new EventSourceParserStream());
            let finished = false;
            const reader = events.getReader();
            try {
                for (;;) {
                    const {done, value: event} = await reader.read();
                    if (done)
                        break;
                    timer.restart();
                    if (event.data.trim() === "[DONE]") {
                        finished = true;
                        break;
                    }
                    const chunk = parseChunk(event.data, this.origin);
                    onChunk(chunk);
                    if (chunk.choices?.some((choice) => choice.finish_reason != null))
                        finished = true;
                }
            } catch (error) {
                throw this.streamFailure(error, signal, timer);
            } finally {
                // Closes the connection when the answer ends early (abort, an error event):
                // that is how the server learns to stop generating.
                void reader.cancel().catch(() => {});
            }
            if (!finished && !signal.aborted)
                throw brokenOff(this.origin, "the server closed the stream before the end of the answer");
        } finally {
            timer.stop();
        }
    }

    /**
     * llama-server's and vLLM's `POST /tokenize` (beside the API, not in it):
     * the tokens `text` takes, or undefined when the server has no such endpoint.
     */
    public async countTokens(text: string, signal: AbortSignal): Promise<number | undefined> {
        try {
            const url = new URL("/tokenize", this.settings.baseUrl).toString();
            const response = await this.send(url, {
                method: "POST",
                // llama-server reads `content`, vLLM `prompt` (and `model`).
                body: JSON.stringify({content: text, prompt: text, ...(this.settings.model === "" ? {} : {model: this.settings.model}), add_special: false}),
                headers: {"Content-Type": "application/json"}
            }, signal);
            const body = await this.readJson(response, signal) as {tokens?: unknown[]; count?: number};
            return typeof body.count === "number" ? body.count : Array.isArray(body.tokens) ? body.tokens.length : undefined;
        } catch (error) {
            if (signal.aborted)
                throw error;
            return undefined;
        }
    }

    /** One request: headers, timeout until the answer starts, and a non-2xx turned into a ServerError. */
    private async send(pathOrUrl: string, init: RequestInit & {headers?: Record<string, string>}, signal: AbortSignal, timer?: IdleTimer): Promise<Response> {
        const ownTimer = timer == null ? new IdleTimer(this.settings.timeoutMs, this.origin) : undefined;
        ownTimer?.restart();
        const url = /^https?:/i.test(pathOrUrl) ? pathOrUrl : `${this.settings.baseUrl.replace(/\/+$/, "")}/${pathOrUrl}`;
        let response: Response;
        try {
            response = await fetch(url, {
                ...init,
                headers: {
                    ...this.settings.headers,
                    ...init.headers,
                    ...(this.settings.apiKey == null || this.settings.apiKey === "" ? {} : {Authorization: `Bearer ${this.settings.apiKey}`})
                },
                signal: ownTimer == null ? signal : AbortSignal.any([signal, ownTimer.signal]),
                // Not followed: the key and the gateway headers would go along to wherever it points.
                redirect: "manual"
            });
        } catch (error) {
            if (signal.aborted)
                throw signal.reason;
            const timedOut = (timer ?? ownTimer)?.timedOut;
            throw timedOut ?? this.clean(unreachable(error, this.origin));
        } finally {
            ownTimer?.stop();
        }
        if (response.status >= 300 && response.status < 400) {
            const location = response.headers.get("location");
            const target = location == null ? "another address" : originOf(new URL(location, url).toString());
            throw new ServerError("serverRejected", `${this.origin} redirects to ${target} (${response.status}). Requests are not sent on to another address with your API key: if that is the server, set astrosage.server.url to it.`, response.status);
        }
        if (!response.ok) {
            const text = await response.text().catch(() => "");
            throw this.clean(fromStatus(response.status, response.statusText, text, this.origin, response.headers.get("retry-after")));
        }
        return response;
    }

    private async readJson(response: Response, signal: AbortSignal): Promise<unknown> {
        const text = await response.text();
        if (signal.aborted)
            throw signal.reason;
        try {
            return JSON.parse(text);
        } catch {
            throw new ServerError("serverFailed", `${this.origin} answered with something that is not JSON (${response.headers.get("content-type") ?? "no content type"}). Check that astrosage.server.url is the API's base URL (usually ending in /v1).`);
        }
    }

    /** Why reading the stream failed: the caller's abort, the timeout, a server error event, or a broken connection. */
    private streamFailure(error: unknown, signal: AbortSignal, timer: IdleTimer): unknown {
        if (signal.aborted)
            return signal.reason;
        if (timer.timedOut != null)
            return timer.timedOut;
        if (error instanceof ServerError)
            return this.clean(error);
        const cause = (error as {cause?: {code?: string; message?: string}}).cause;
        return brokenOff(this.origin, cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
    }

    private clean(error: ServerError): ServerError {
        const message = redact(error.message, this.secrets);
        return message === error.message ? error : new ServerError(error.code, message, error.status, error.retryAfterSeconds);
    }
}

function parseChunk(data: string, origin: string): ChatCompletionChunk {
    let parsed: unknown;
    try {
        parsed = JSON.parse(data);
    } catch {
        throw new ServerError("serverFailed", `${origin} streamed something that is not JSON; it may not be an OpenAI-compatible server.`);
    }
    const error = (parsed as {error?: string | {message?: string}}).error;
    if (error != null) {
        const said = typeof error === "string" ? error : error.message ?? JSON.stringify(error);
        throw new ServerError("serverFailed", `${origin} reported an error during the answer: "${said}"`);
    }
    return parsed as ChatCompletionChunk;
}

function brokenOff(origin: string, reason: string): ServerError {
    return new ServerError("serverFailed", `The connection to ${origin} broke off during the answer (${reason}). What arrived is kept; ask again to get the rest.`);
}

/**
 * Aborts when nothing has happened for `ms`: restarted when the request goes
 * out and at every streamed event, so a long answer that keeps streaming never
 * times out, and a server that goes silent does.
 */
class IdleTimer {
    private readonly controller = new AbortController();
    private timeout: NodeJS.Timeout | undefined;
    public timedOut: ServerError | undefined;

    public constructor(private readonly ms: number, private readonly origin: string) {}

    public get signal(): AbortSignal {
        return this.controller.signal;
    }

    public restart() {
        this.stop();
        this.timeout = setTimeout(() => {
            this.timedOut = new ServerError("serverUnreachable", `${this.origin} did not answer within ${Math.round(this.ms / 1000)} s. The server may be busy or stuck; try again, or raise astrosage.server.timeoutSeconds for a slow server.`);
            this.controller.abort(this.timedOut);
        }, this.ms);
    }

    public stop() {
        if (this.timeout != null)
            clearTimeout(this.timeout);
        this.timeout = undefined;
    }
}
