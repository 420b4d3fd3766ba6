/**
 * Conversation ids. An id becomes a file name, so only the exact form that
 * `randomUUID` produces is accepted: nothing else can name a path outside the
 * store's folder, and one chat cannot have two spellings of its file name.
 */
import {randomUUID} from "node:crypto";

const conversationIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A fresh random id for a new conversation. */
export function newConversationId(): string {
    return randomUUID();
}

/** Whether `id` is a conversation id: a lower-case UUID. */
export function isConversationId(id: unknown): id is string {
    return typeof id === "string" && conversationIdPattern.test(id);
}

/** Throws when `id` is not a conversation id; the message shows the id, so a bug that passes one is easy to find. */
export function assertConversationId(id: unknown): asserts id is string {
    if (!isConversationId(id))
        throw new TypeError(`Not a conversation id (a lower-case UUID): ${JSON.stringify(id)}`);
}
