/**
 * The protocol between the extension host and the chat webview.
 *
 * Both sides import this file; both check every message on arrival. The page
 * shows model output, so nothing it sends is trusted: it can only ask for the
 * few things listed here, never name a command to run.
 */
import * as v from "valibot";
import {chatErrorCodes} from "../core/chatTypes.ts";
import {statsSchema} from "../engine/protocol.ts";

const frameSchema = v.variant("kind", [
    v.object({kind: v.literal("text"), text: v.string()}),
    v.object({kind: v.literal("thought"), text: v.string()}),
    v.object({kind: v.literal("done"), stats: statsSchema}),
    v.object({kind: v.literal("error"), code: v.picklist(chatErrorCodes), message: v.string()})
]);

/** A message of the conversation as the page shows it. */
const shownMessageSchema = v.object({
    role: v.picklist(["user", "assistant"]),
    text: v.string(),
    thought: v.string(),
    /** Set once the answer finished. */
    stats: v.optional(statsSchema),
    /** Set when the answer failed; the partial text is kept. */
    error: v.optional(v.string())
});
export type ShownMessage = v.InferOutput<typeof shownMessageSchema>;

/** What the page offers as the next step under a notice. */
const noticeActionSchema = v.picklist(["selectModelFile", "showLog"]);
export type NoticeAction = v.InferOutput<typeof noticeActionSchema>;

/** Messages the host sends to the page. */
export const hostMessageSchema = v.variant("type", [
    /** The whole conversation, sent when the page (re)loads. */
    v.object({type: v.literal("conversation"), messages: v.array(shownMessageSchema), generating: v.boolean()}),
    /** A turn started: show the user's message and an empty answer to stream into. */
    v.object({type: v.literal("turnStarted"), requestId: v.string(), prompt: v.string()}),
    /** A frame of the answer of `requestId`. */
    v.object({type: v.literal("frame"), requestId: v.string(), frame: frameSchema}),
    /** The model's state in one line, for the header. */
    v.object({type: v.literal("status"), text: v.string(), busy: v.boolean()}),
    /** A notice above the conversation with an optional next step, or none. */
    v.object({
        type: v.literal("notice"),
        notice: v.nullable(v.object({text: v.string(), action: v.optional(noticeActionSchema), actionLabel: v.optional(v.string())}))
    })
]);
export type HostMessage = v.InferOutput<typeof hostMessageSchema>;

/** Messages the page sends to the host. */
export const viewMessageSchema = v.variant("type", [
    /** The page loaded and wants the current conversation. */
    v.object({type: v.literal("ready")}),
    /** The user sent a prompt. */
    v.object({type: v.literal("send"), text: v.pipe(v.string(), v.minLength(1), v.maxLength(1_000_000))}),
    /** The user pressed Stop. */
    v.object({type: v.literal("stop")}),
    /** The user clicked a notice's button. */
    v.object({type: v.literal("noticeAction"), action: noticeActionSchema})
]);
export type ViewMessage = v.InferOutput<typeof viewMessageSchema>;

/** Checks a message from the page; returns undefined (and the reason) when it does not match. */
export function parseViewMessage(message: unknown): {message?: ViewMessage; problem?: string} {
    const result = v.safeParse(viewMessageSchema, message);
    return result.success ? {message: result.output} : {problem: v.summarize(result.issues)};
}

/** Checks a message from the host; returns undefined (and the reason) when it does not match. */
export function parseHostMessage(message: unknown): {message?: HostMessage; problem?: string} {
    const result = v.safeParse(hostMessageSchema, message);
    return result.success ? {message: result.output} : {problem: v.summarize(result.issues)};
}
