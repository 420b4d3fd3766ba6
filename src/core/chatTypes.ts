/**
 * The streaming contract every backend speaks, whatever runs the model.
 *
 * A turn has a request id; the backend answers with text and thought frames,
 * then exactly one done or error frame. The same frames travel from the engine
 * process to the extension host and from the extension host to the chat view.
 */

/** One message of a conversation, as the model sees it (thoughts are not sent back). */
export type ChatMessage = {role: "user" | "assistant"; text: string};

/** Sampling settings for one turn. */
export type SamplingOptions = {
    /** 0 is greedy. */
    temperature: number;
    topP: number;
    /** The most tokens the answer may have. */
    maxTokens: number;
};

/** Everything a backend needs to produce one answer. */
export type ChatTurn = {
    messages: ChatMessage[];
    /** Used when `reasoning` is off. */
    systemPrompt: string;
    /**
     * AstroSage's reasoning mode (the AstroSage-70B paper's recipe): the system
     * prompt becomes `detailed thinking on` and the answer is prefilled with `<think>`.
     */
    reasoning: boolean;
    sampling: SamplingOptions;
    /**
     * Set when the conversation starts with a long document (a paper) that every
     * later turn sends again: a backend may keep the model's evaluated state of
     * that beginning, in memory or on disk, and reuse it instead of reading the
     * document again. A backend without such a cache ignores it.
     */
    promptCache?: PromptCacheHint;
    /**
     * A JSON schema the answer must follow (a manuscript review's findings). The local
     * engine constrains generation to it with a grammar; a server backend sends it as
     * `response_format`. With `reasoning` on, only the answer after the thought is
     * constrained. Defaults to free text.
     */
    responseSchema?: object;
};

/** Which fixed beginning a conversation has (see `ChatTurn.promptCache`). */
export type PromptCacheHint = {
    /** Changes whenever the beginning's text changes: a hash of the document as sent. */
    key: string;
    /**
     * Which document it is, stable across its edits (its root file's path), so the
     * states kept for an older version can be dropped when `key` changes.
     */
    document: string;
};

/** Why generation stopped (node-llama-cpp's stop reasons). */
export const stopReasons = ["eogToken", "maxTokens", "abort", "stopGenerationTrigger", "customStopTrigger", "functionCalls"] as const;
export type StopReason = typeof stopReasons[number];

/** Figures for a finished turn. */
export type TurnStats = {
    /** Prompt tokens the model had to evaluate for this turn (a reused prefix is not counted). */
    promptTokens: number;
    /** Tokens generated, thoughts included. */
    generatedTokens: number;
    /** From the request reaching the backend to the first generated token. */
    timeToFirstTokenMs: number;
    /** Generated tokens per second, measured from the first token on. */
    tokensPerSecond: number;
    /** Whole turn, request to last token. */
    durationMs: number;
    /** Tokens of the reasoning, part of `generatedTokens`. */
    thoughtTokens: number;
    /** How long the model reasoned: first to last reasoning token. */
    thoughtMs: number;
    stopReason: StopReason;
};

/**
 * What can go wrong with a turn, so the UI can offer the right next step:
 * - `noModel`: no model file is configured;
 * - `modelNotFound`: the configured file does not exist;
 * - `invalidModel`: the file is not a usable GGUF model;
 * - `loadFailed`: the model could not be loaded (memory, unsupported architecture, …);
 * - `engineCrashed`: the engine process died during the turn;
 * - `busy`: another turn is running;
 * - `internal`: a bug;
 * and with an inference server (`src/server/`):
 * - `noServer`: the server backend is chosen but no server URL is set;
 * - `serverUnreachable`: no HTTP answer (refused, unknown host, TLS, timeout);
 * - `serverAuth`: 401/403: the API key or the gateway headers;
 * - `serverBusy`: 429/503, with the wait the server asked for;
 * - `serverRejected`: another 4xx (no such model, a request it does not accept);
 * - `serverFailed`: 5xx, an answer cut off mid-stream, or one that is not the API's.
 */
export const chatErrorCodes = [
    "noModel", "modelNotFound", "invalidModel", "loadFailed", "engineCrashed", "busy", "internal",
    "noServer", "serverUnreachable", "serverAuth", "serverBusy", "serverRejected", "serverFailed"
] as const;
export type ChatErrorCode = typeof chatErrorCodes[number];

/** A frame of a streamed answer. */
export type StreamFrame =
    | {kind: "text"; text: string}
    | {kind: "thought"; text: string}
    | {kind: "done"; stats: TurnStats}
    | {kind: "error"; code: ChatErrorCode; message: string};

/**
 * A model backend: the local engine process, or an OpenAI-compatible inference
 * server. The extension talks to every backend through this interface only.
 */
export interface ChatBackend {
    /**
     * Streams one answer into `onFrame`; resolves after the done or error frame.
     * Aborting `signal` stops generation and still ends with a done frame whose
     * stop reason is `"abort"` (or an error frame if nothing had started).
     */
    chat(turn: ChatTurn, onFrame: (frame: StreamFrame) => void, signal: AbortSignal): Promise<void>;
    /**
     * The tokens `text` takes with the model's tokenizer (loading the model if
     * needed), or undefined when the backend cannot tell. Sizes the parts of a summary.
     */
    countTokens?(text: string, signal: AbortSignal): Promise<number | undefined>;
}
