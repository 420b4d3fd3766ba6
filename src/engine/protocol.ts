/**
 * The protocol between the extension host and the engine process.
 *
 * Every message is declared here once, as a zod schema with a doc comment, and
 * every message is checked against it on arrival on either side: the engine is a
 * separate program, and a message that does not match is a bug to report, not
 * data to trust. Requests carry an id; every event about a request carries it back.
 */
import {z} from "zod";

const requestId = z.string().min(1).max(64);

const samplingSchema = z.object({
    temperature: z.number().min(0).max(2),
    topP: z.number().min(0).max(1),
    maxTokens: z.number().int().min(1).max(1_000_000)
});

const chatMessageSchema = z.object({
    role: z.enum(["user", "assistant"]),
    text: z.string()
});

/** Messages the extension host sends to the engine. */
export const engineRequestSchema = z.discriminatedUnion("type", [
    /** Load a GGUF model, replacing any loaded one. Answered by `loadProgress` events, then `loaded` or `error`. */
    z.object({
        type: z.literal("load"),
        id: requestId,
        modelPath: z.string().min(1),
        contextSize: z.number().int().min(256),
        /** 0: one thread per physical core. */
        threads: z.number().int().min(0),
        gpu: z.enum(["auto", "off"])
    }),
    /** Generate one answer for a conversation. Answered by `text`/`thought` events, then `done` or `error`. */
    z.object({
        type: z.literal("chat"),
        id: requestId,
        messages: z.array(chatMessageSchema).min(1),
        systemPrompt: z.string(),
        reasoning: z.boolean(),
        sampling: samplingSchema
    }),
    /** Stop the request `target` (a chat turn or a load); it then ends with its usual final event. */
    z.object({
        type: z.literal("abort"),
        id: requestId,
        target: requestId
    }),
    /** Free the model and its context. Answered by `unloaded`. */
    z.object({
        type: z.literal("unload"),
        id: requestId
    }),
    /** Ask what is loaded. Answered by `status`. */
    z.object({
        type: z.literal("status"),
        id: requestId
    })
]);
export type EngineRequest = z.infer<typeof engineRequestSchema>;

const statsSchema = z.object({
    promptTokens: z.number().int().min(0),
    generatedTokens: z.number().int().min(0),
    timeToFirstTokenMs: z.number().min(0),
    tokensPerSecond: z.number().min(0),
    durationMs: z.number().min(0),
    stopReason: z.enum(["eogToken", "maxTokens", "abort", "stopGenerationTrigger", "customStopTrigger", "functionCalls"])
});

const loadedModelSchema = z.object({
    path: z.string(),
    /** The model's name from its GGUF metadata, or the file name. */
    name: z.string(),
    contextSize: z.number().int(),
    threads: z.number().int(),
    /** The GPU backend in use (`"cuda"`, `"vulkan"`, `"metal"`), or `false` on the CPU. */
    gpu: z.union([z.literal(false), z.string()]),
    chatWrapper: z.string()
});
export type LoadedModel = z.infer<typeof loadedModelSchema>;

/** Messages the engine sends to the extension host. */
export const engineEventSchema = z.discriminatedUnion("type", [
    /** The engine process is up and reads requests. Sent once, first. */
    z.object({type: z.literal("ready"), pid: z.number().int()}),
    /** Loading progress of request `id`, from 0 to 1. */
    z.object({type: z.literal("loadProgress"), id: requestId, progress: z.number().min(0).max(1)}),
    /** The model of request `id` is loaded and ready for chat turns. */
    z.object({type: z.literal("loaded"), id: requestId, model: loadedModelSchema}),
    /** A piece of the answer of chat request `id`. */
    z.object({type: z.literal("text"), id: requestId, text: z.string()}),
    /** A piece of the reasoning of chat request `id`. */
    z.object({type: z.literal("thought"), id: requestId, text: z.string()}),
    /** Chat request `id` finished (also after an abort, with stop reason `"abort"`). */
    z.object({type: z.literal("done"), id: requestId, stats: statsSchema}),
    /** Request `id` failed; `code` says why in a way the host can act on. */
    z.object({
        type: z.literal("error"),
        id: requestId,
        code: z.enum(["noModel", "modelNotFound", "invalidModel", "loadFailed", "engineCrashed", "busy", "internal"]),
        message: z.string()
    }),
    /** The model is unloaded (request `id`). */
    z.object({type: z.literal("unloaded"), id: requestId}),
    /** Answer to a status request: the loaded model, if any. */
    z.object({type: z.literal("status"), id: requestId, model: loadedModelSchema.nullable()}),
    /** A log line from the engine or llama.cpp, for the extension's log. */
    z.object({type: z.literal("log"), level: z.enum(["debug", "info", "warn", "error"]), message: z.string()})
]);
export type EngineEvent = z.infer<typeof engineEventSchema>;

/** Checks a message from the host; throws with the reason when it does not match. */
export function parseEngineRequest(message: unknown): EngineRequest {
    return engineRequestSchema.parse(message);
}

/** Checks a message from the engine; throws with the reason when it does not match. */
export function parseEngineEvent(message: unknown): EngineEvent {
    return engineEventSchema.parse(message);
}
