/**
 * The saved form of a conversation: one JSON file per conversation, in a small
 * versioned format that is checked in full whenever a file is read. A file that
 * does not match is reported with the reason, never trusted.
 */
import * as v from "valibot";
import type {PromptCacheHint} from "../../core/chatTypes.ts";
import {shownMessageSchema, type ShownMessage} from "../webviewProtocol.ts";

/** A conversation as it is saved: plain data, so the store needs nothing from the class that runs a chat. */
export type StoredConversation = {
    /** A lower-case random UUID (see `newConversationId`); also the file's name. */
    id: string;
    title: string;
    /** An ISO 8601 timestamp, as `Date.toISOString` writes it. */
    createdAt: string;
    /** An ISO 8601 timestamp; the list of chats is sorted by it, newest first. */
    updatedAt: string;
    messages: ShownMessage[];
    /** Set when the conversation starts with a document whose evaluated state may be kept (files before it have none). */
    promptCache?: PromptCacheHint;
};

/** What the list of saved chats shows for one conversation. */
export type ConversationSummary = {
    id: string;
    title: string;
    updatedAt: string;
    messageCount: number;
};

/** Raised for a format that older versions of the extension cannot read; they then leave such files alone. */
export const conversationFormatVersion = 1;

const timestamp = v.pipe(v.string(), v.isoTimestamp());

// The messages use the webview protocol's schema, so a field added to what the
// page shows is saved too, and checked the same way on both paths.
const conversationFileSchema = v.object({
    version: v.literal(conversationFormatVersion),
    id: v.string(),
    title: v.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
    messages: v.array(shownMessageSchema),
    // Optional, so files written before it are read as they are, and older versions ignore it.
    promptCache: v.optional(v.object({
        key: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
        document: v.pipe(v.string(), v.minLength(1), v.maxLength(4096))
    }))
});

/** The text of a conversation's file. Throws if the conversation could not be read back, so a bad file is never written. */
export function formatConversationFile(conversation: StoredConversation): string {
    // Built field by field so the version comes first and nothing else rides along.
    const file = {
        version: conversationFormatVersion,
        id: conversation.id,
        title: conversation.title,
        createdAt: conversation.createdAt,
        updatedAt: conversation.updatedAt,
        messages: conversation.messages,
        ...(conversation.promptCache == null ? {} : {promptCache: conversation.promptCache})
    };
    const checked = v.safeParse(conversationFileSchema, file);
    if (!checked.success)
        throw new TypeError(`Conversation ${conversation.id} cannot be saved: ${firstIssue(checked.issues)}`);
    return `${JSON.stringify(checked.output, null, 2)}\n`;
}

/**
 * Reads the text of the file saved for `expectedId`. Returns the conversation,
 * or the reason the file cannot be used (the id inside must match the file's name).
 */
export function parseConversationFile(text: string, expectedId: string): {conversation?: StoredConversation; problem?: string} {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (error) {
        return {problem: `not valid JSON (${error instanceof Error ? error.message : String(error)}); the file may be truncated`};
    }
    const version = typeof data === "object" && data != null ? (data as {version?: unknown}).version : undefined;
    if (typeof version !== "number")
        return {problem: "not an AstroSage conversation (no format version)"};
    if (version > conversationFormatVersion)
        return {problem: `saved by a newer version of AstroSage (format ${version}); update the extension to open it`};

    const checked = v.safeParse(conversationFileSchema, data);
    if (!checked.success)
        return {problem: `not a valid conversation: ${firstIssue(checked.issues)}`};
    const {id, title, createdAt, updatedAt, messages, promptCache} = checked.output;
    if (id !== expectedId)
        return {problem: `holds conversation ${JSON.stringify(id)}, not the one its name says`};
    return {conversation: {id, title, createdAt, updatedAt, messages, ...(promptCache == null ? {} : {promptCache})}};
}

/** The list entry for a conversation. */
export function summarizeConversation(conversation: StoredConversation): ConversationSummary {
    return {id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt, messageCount: conversation.messages.length};
}

function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
    const issue = issues[0]!;
    const at = v.getDotPath(issue);
    return at == null ? issue.message : `${issue.message} at ${at}`;
}
