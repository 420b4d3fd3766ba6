/**
 * The protocol between the extension host and the engine process.
 *
 * Every message is declared here once, as a valibot schema with a doc comment,
 * and every message is checked against it on arrival on either side: the engine
 * is a separate program, and a message that does not match is a bug to report,
 * not data to trust. Requests carry an id; every event about a request carries it back.
 */
import * as v from "valibot";
import {chatErrorCodes, stopReasons} from "../core/chatTypes.ts";
import {downloadErrorCodes} from "./downloadErrors.ts";

const requestId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const nonNegative = v.pipe(v.number(), v.minValue(0));
const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const uint32 = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffff_ffff));

/** What a saved prompt state file held when the engine wrote it: checked before the file is loaded again. */
export const savedPromptStateSchema = v.object({
    bytes: count,
    /** Context tokens the state holds. */
    tokens: count,
    /** CRC-32 of the whole file. */
    crc32: uint32
});
export type SavedPromptState = v.InferOutput<typeof savedPromptStateSchema>;

/** Every error code an engine request can end with: a chat turn's, or a model file's. */
export const engineErrorCodes = [...chatErrorCodes, ...downloadErrorCodes] as const;

const samplingSchema = v.object({
    temperature: v.pipe(v.number(), v.minValue(0), v.maxValue(2)),
    topP: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
    maxTokens: v.pipe(v.number(), v.integer(), v.minValue(1))
});

/** The largest JSON schema a chat request may carry, as JSON text: a grammar is built from it. */
export const MAX_RESPONSE_SCHEMA_CHARACTERS = 32_768;

const responseSchemaSchema = v.pipe(
    v.custom<object>((value) => typeof value === "object" && value != null && !Array.isArray(value), "The response schema must be a JSON object"),
    v.check((value) => jsonLength(value) <= MAX_RESPONSE_SCHEMA_CHARACTERS, `The response schema must be JSON of at most ${MAX_RESPONSE_SCHEMA_CHARACTERS} characters`)
);

/** The length of `value` as JSON; infinite when it is not JSON (a cycle, a BigInt). */
function jsonLength(value: unknown): number {
    try {
        return JSON.stringify(value)?.length ?? Infinity;
    } catch {
        return Infinity;
    }
}

const chatMessageSchema = v.object({
    role: v.picklist(["user", "assistant"]),
    text: v.string()
});

/** Messages the extension host sends to the engine. */
export const engineRequestSchema = v.variant("type", [
    /** Load a GGUF model, replacing any loaded one. Answered by `loadProgress` events, then `loaded` or `error`. */
    v.object({
        type: v.literal("load"),
        id: requestId,
        modelPath: v.pipe(v.string(), v.minLength(1)),
        contextSize: v.pipe(count, v.minValue(256)),
        /** 0: one thread per physical core. */
        threads: count,
        gpu: v.picklist(["auto", "off"])
    }),
    /** Generate one answer for a conversation. Answered by `text`/`thought` events, then `done` or `error`. */
    v.object({
        type: v.literal("chat"),
        id: requestId,
        messages: v.pipe(v.array(chatMessageSchema), v.minLength(1)),
        systemPrompt: v.string(),
        reasoning: v.boolean(),
        sampling: samplingSchema,
        /**
         * The "Today Date" of the Llama 3.1 preamble, `YYYY-MM-DD`. A saved prompt state
         * was evaluated with a date, and a turn that reuses it must render the same one.
         * Defaults to the engine's today.
         */
        todayDate: v.optional(v.pipe(v.string(), v.isoDate())),
        /**
         * A JSON schema the answer must follow: the engine builds a grammar from it
         * (the JSON-schema subset the local engine's grammars support). With `reasoning` on, the thought is
         * generated freely first and only the answer after it is constrained.
         */
        responseSchema: v.optional(responseSchemaSchema),
        /**
         * A file for the evaluated state of this conversation's beginning (a long
         * document), so that a later turn, in this engine process or a later one,
         * evaluates only what follows it. Unless the context sequence already holds this
         * state, the engine loads the file before generating (`stateLoaded`) when `saved`
         * says what it must hold and it still does; otherwise it deletes it
         * (`stateRejected`). After a turn that did not start from the file, the engine
         * writes it under a temporary name and renames it into place (`stateSaved`).
         */
        state: v.optional(v.object({
            path: v.pipe(v.string(), v.minLength(1)),
            /** What the file held when it was saved, from its `stateSaved`; absent while none is saved. */
            saved: v.optional(savedPromptStateSchema)
        }))
    }),
    /** Stop the request `target` (a chat turn or a load); it then ends with its usual final event. */
    v.object({type: v.literal("abort"), id: requestId, target: requestId}),
    /** Free the model and its context. Answered by `unloaded`. */
    v.object({type: v.literal("unload"), id: requestId}),
    /** Ask what is loaded. Answered by `status`. */
    v.object({type: v.literal("status"), id: requestId}),
    /**
     * Count the tokens of `text` with the loaded model's tokenizer (a summary's parts
     * are sized with it). Answered by `tokenCount`, or `error` with `noModel`.
     */
    v.object({type: v.literal("countTokens"), id: requestId, text: v.pipe(v.string(), v.maxLength(1_000_000))}),
    /**
     * Read a model's GGUF header (from an http(s) URL, with ranged requests, or a file)
     * and estimate what it needs on this machine. Answered by `inspected` or `error`.
     */
    v.object({
        type: v.literal("inspect"),
        id: requestId,
        source: v.pipe(v.string(), v.minLength(1)),
        contextSize: v.pipe(count, v.minValue(256)),
        gpu: v.picklist(["auto", "off"]),
        /** Where models are stored; its free space is reported. */
        storageDirectory: v.pipe(v.string(), v.minLength(1))
    }),
    /**
     * Download a model file into `directory`, resuming an interrupted download of it.
     * Answered by `downloadProgress` events, then `downloaded` or `error`. An abort
     * cancels it and deletes the partial file.
     */
    v.object({
        type: v.literal("download"),
        id: requestId,
        url: v.pipe(v.string(), v.url()),
        directory: v.pipe(v.string(), v.minLength(1)),
        fileName: v.pipe(v.string(), v.regex(/^[^\\/]+\.gguf$/i)),
        /** The SHA-256 the file must have, when known in advance. */
        sha256: v.optional(sha256),
        /** Stop a download that receives nothing for this long. Defaults to 60 s. */
        stallTimeoutMs: v.optional(v.pipe(count, v.minValue(100)))
    })
]);
export type EngineRequest = v.InferOutput<typeof engineRequestSchema>;

export const statsSchema = v.object({
    promptTokens: count,
    generatedTokens: count,
    timeToFirstTokenMs: nonNegative,
    tokensPerSecond: nonNegative,
    durationMs: nonNegative,
    /** Tokens of the reasoning, part of `generatedTokens`. */
    thoughtTokens: count,
    /** From the first to the last token of the reasoning. */
    thoughtMs: nonNegative,
    stopReason: v.picklist(stopReasons)
});

const loadedModelSchema = v.object({
    path: v.string(),
    /** The file's size and modification time when it was loaded: with `path`, which file this model is. */
    fileBytes: count,
    fileModifiedMs: nonNegative,
    /** The model's name from its GGUF metadata, or the file name. */
    name: v.string(),
    contextSize: count,
    threads: count,
    /** The GPU backend in use (`"cuda"`, `"vulkan"`, `"metal"`), or `false` on the CPU. */
    gpu: v.union([v.literal(false), v.string()]),
    chatWrapper: v.string()
});
export type LoadedModel = v.InferOutput<typeof loadedModelSchema>;

const machineSchema = v.object({
    totalRamBytes: nonNegative,
    gpu: v.union([v.literal(false), v.string()]),
    gpuName: v.optional(v.string()),
    totalVramBytes: nonNegative,
    freeDiskBytes: v.nullable(nonNegative)
});

const needsSchema = v.object({
    fileBytes: nonNegative,
    contextSize: count,
    modelRamBytes: nonNegative,
    contextRamBytes: nonNegative,
    modelVramBytes: nonNegative,
    contextVramBytes: nonNegative,
    gpuLayers: count,
    totalLayers: count
});

/** Messages the engine sends to the extension host. */
export const engineEventSchema = v.variant("type", [
    /** The engine process is up and reads requests. Sent once, first. */
    v.object({type: v.literal("ready"), pid: count}),
    /** Loading progress of request `id`, from 0 to 1. */
    v.object({type: v.literal("loadProgress"), id: requestId, progress: v.pipe(v.number(), v.minValue(0), v.maxValue(1))}),
    /** The model of request `id` is loaded and ready for chat turns. */
    v.object({type: v.literal("loaded"), id: requestId, model: loadedModelSchema}),
    /** A piece of the answer of chat request `id`. */
    v.object({type: v.literal("text"), id: requestId, text: v.string()}),
    /** A piece of the reasoning of chat request `id`. */
    v.object({type: v.literal("thought"), id: requestId, text: v.string()}),
    /** Chat request `id` starts from its saved state file: only what follows the state's `tokens` is evaluated. */
    v.object({type: v.literal("stateLoaded"), id: requestId, bytes: count, tokens: count, ms: nonNegative}),
    /** The state file of chat request `id` could not be used (`reason`) and was deleted; the whole prompt is evaluated. */
    v.object({type: v.literal("stateRejected"), id: requestId, reason: v.string()}),
    /** The sequence's state after chat request `id` is saved to its state file, before its `done`. */
    v.object({type: v.literal("stateSaved"), id: requestId, saved: savedPromptStateSchema, ms: nonNegative}),
    /** Chat request `id` finished (also after an abort, with stop reason `"abort"`). */
    v.object({type: v.literal("done"), id: requestId, stats: statsSchema}),
    /** Request `id` failed; `code` says why in a way the host can act on. */
    v.object({type: v.literal("error"), id: requestId, code: v.picklist(engineErrorCodes), message: v.string()}),
    /** The model is unloaded (request `id`). */
    v.object({type: v.literal("unloaded"), id: requestId}),
    /** Answer to a countTokens request. */
    v.object({type: v.literal("tokenCount"), id: requestId, tokens: count}),
    /** Answer to a status request: the loaded model, if any. */
    v.object({type: v.literal("status"), id: requestId, model: v.nullable(loadedModelSchema)}),
    /** What the model of inspect request `id` needs, and what this machine has. */
    v.object({type: v.literal("inspected"), id: requestId, machine: machineSchema, needs: needsSchema}),
    /** Progress of download request `id`: bytes arriving, then the finished file being checked. */
    v.object({
        type: v.literal("downloadProgress"),
        id: requestId,
        progress: v.object({
            phase: v.picklist(["downloading", "verifying"]),
            doneBytes: nonNegative,
            totalBytes: nonNegative,
            /** Bytes already on disk from an interrupted attempt, not downloaded again. */
            resumedBytes: nonNegative,
            bytesPerSecond: nonNegative,
            secondsLeft: v.nullable(nonNegative)
        })
    }),
    /** Download request `id` finished: the file passed its checks and has its final name. */
    v.object({type: v.literal("downloaded"), id: requestId, path: v.string(), bytes: count, sha256Checked: v.boolean()}),
    /** A log line from the engine or llama.cpp, for the extension's log. */
    v.object({type: v.literal("log"), level: v.picklist(["debug", "info", "warn", "error"]), message: v.string()})
]);
export type EngineEvent = v.InferOutput<typeof engineEventSchema>;

/** Checks a message from the host; throws with the reason when it does not match. */
export function parseEngineRequest(message: unknown): EngineRequest {
    return v.parse(engineRequestSchema, message);
}

/** Checks a message from the engine; throws with the reason when it does not match. */
export function parseEngineEvent(message: unknown): EngineEvent {
    return v.parse(engineEventSchema, message);
}
