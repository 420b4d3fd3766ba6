/**
 * The protocol between the extension host and the chat webview.
 *
 * Both sides import this file; both check every message on arrival. The page
 * runs model output, so nothing it sends is trusted: it can only ask for the
 * few things listed here, never name a command to run.
 */
import {z} from "zod";

const errorCode = z.enum(["noModel", "modelNotFound", "invalidModel", "loadFailed", "engineCrashed", "busy", "internal"]);

const statsSchema = z.object({
    promptTokens: z.number(),
    generatedTokens: z.number(),
    timeToFirstTokenMs: z.number(),
    tokensPerSecond: z.number(),
    durationMs: z.number(),
    stopReason: z.string()
});

const frameSchema = z.discriminatedUnion("kind", [
    z.object({kind: z.literal("text"), text: z.string()}),
    z.object({kind: z.literal("thought"), text: z.string()}),
    z.object({kind: z.literal("done"), stats: statsSchema}),
    z.object({kind: z.literal("error"), code: errorCode, message: z.string()})
]);

/** A message of the conversation as the page shows it. */
const shownMessageSchema = z.object({
    role: z.enum(["user", "assistant"]),
    text: z.string(),
    thought: z.string(),
    /** Set once the answer finished. */
    stats: statsSchema.optional(),
    /** Set when the answer failed; the partial text is kept. */
    error: z.string().optional()
});
export type ShownMessage = z.infer<typeof shownMessageSchema>;

/** What the page offers as the next step under a notice. */
const noticeAction = z.enum(["selectModelFile", "showLog"]);
export type NoticeAction = z.infer<typeof noticeAction>;

/** Messages the host sends to the page. */
export const hostMessageSchema = z.discriminatedUnion("type", [
    /** The whole conversation, sent when the page (re)loads. */
    z.object({type: z.literal("conversation"), messages: z.array(shownMessageSchema), generating: z.boolean()}),
    /** A turn started: show the user's message and an empty answer to stream into. */
    z.object({type: z.literal("turnStarted"), requestId: z.string(), prompt: z.string()}),
    /** A frame of the answer of `requestId`. */
    z.object({type: z.literal("frame"), requestId: z.string(), frame: frameSchema}),
    /** The model's state in one line, for the header. */
    z.object({type: z.literal("status"), text: z.string(), busy: z.boolean()}),
    /** A notice above the conversation with an optional next step, or none. */
    z.object({
        type: z.literal("notice"),
        notice: z.object({text: z.string(), action: noticeAction.optional(), actionLabel: z.string().optional()}).nullable()
    })
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

/** Messages the page sends to the host. */
export const viewMessageSchema = z.discriminatedUnion("type", [
    /** The page loaded and wants the current conversation. */
    z.object({type: z.literal("ready")}),
    /** The user sent a prompt. */
    z.object({type: z.literal("send"), text: z.string().min(1).max(1_000_000)}),
    /** The user pressed Stop. */
    z.object({type: z.literal("stop")}),
    /** The user clicked a notice's button. */
    z.object({type: z.literal("noticeAction"), action: noticeAction})
]);
export type ViewMessage = z.infer<typeof viewMessageSchema>;
