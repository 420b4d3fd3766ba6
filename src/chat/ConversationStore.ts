/**
 * Saved conversations: one JSON file per chat (`<id>.json`) in one folder, the
 * extension's global storage. Saving a chat rewrites only its own file, and
 * atomically, so a crash or a full disk can cost at most the change being
 * saved, never an older chat. A file that cannot be read is reported and left
 * where it is for the user to inspect; it is never deleted here.
 *
 * No `vscode` import: the extension passes the folder, so this is tested with
 * real files in plain Node.
 */
import type {FileHandle} from "node:fs/promises";
import {mkdir, open, readdir, stat, unlink} from "node:fs/promises";
import path from "node:path";
import {assertConversationId, isConversationId} from "./store/conversationId.ts";
import {LatestWinsWriteQueue} from "./store/LatestWinsWriteQueue.ts";
import {
    formatConversationFile,
    parseConversationFile,
    summarizeConversation,
    type ConversationSummary,
    type StoredConversation
} from "./store/storedConversation.ts";
import {isTempFileName, writeFileAtomically} from "./store/writeFileAtomically.ts";

export {newConversationId, isConversationId} from "./store/conversationId.ts";
export {titleFromPrompt, type TitleOptions} from "./store/titleFromPrompt.ts";
export type {ConversationSummary, StoredConversation} from "./store/storedConversation.ts";

/** A file in the store's folder that could not be used, and why. */
export type StoreProblem = {
    /** The file's full path, so the user can find it. */
    file: string;
    reason: string;
};

/** The saved chats, newest first, and the files that could not be read. */
export type ConversationList = {
    conversations: ConversationSummary[];
    problems: StoreProblem[];
};

export type ConversationStoreOptions = {
    /**
     * How old a temporary file must be, in milliseconds, before `list` removes it
     * as a crash's leftover (a younger one may be another window's save in progress).
     * Defaults to 60 000.
     */
    staleTempFileMs?: number;
    /** Files larger than this many bytes are reported rather than read. Defaults to 64 MiB. */
    maxFileBytes?: number;
};

/** Thrown by `load` for a chat whose file exists but cannot be used; the file is kept as it is. */
export class UnreadableConversationError extends Error {
    public constructor(public readonly file: string, public readonly reason: string) {
        super(`The saved chat ${file} cannot be opened: ${reason}. The file was left as it is.`);
        this.name = "UnreadableConversationError";
    }
}

type ReadResult =
    | {kind: "missing"}
    | {kind: "problem"; reason: string}
    | {kind: "summary"; summary: ConversationSummary}
    | {kind: "conversation"; conversation: StoredConversation};

export class ConversationStore {
    private readonly writes = new LatestWinsWriteQueue();
    /**
     * Summaries of files already read, keyed by what `stat` says of the file, so
     * listing again reads only the files that changed.
     */
    private readonly summaries = new Map<string, {fileKey: string; summary: ConversationSummary}>();
    private readonly staleTempFileMs: number;
    private readonly maxFileBytes: number;

    /** `folder` is created on the first save. */
    public constructor(private readonly folder: string, {staleTempFileMs = 60_000, maxFileBytes = 64 * 1024 * 1024}: ConversationStoreOptions = {}) {
        this.staleTempFileMs = staleTempFileMs;
        this.maxFileBytes = maxFileBytes;
    }

    /**
     * Saves a conversation, replacing its earlier save. Saves of one chat run in
     * the order they were asked for; one asked for while another is running
     * waits, and is replaced by any newer save asked for before it starts.
     * Resolves once this conversation, or a newer save of it, is on disk.
     * Throws for an id that is not a UUID.
     */
    public async save(conversation: StoredConversation): Promise<void> {
        assertConversationId(conversation.id);
        // Taken now, not when the write runs: the caller goes on changing the chat.
        const text = formatConversationFile(conversation);
        const id = conversation.id;
        return this.writes.run(id, async () => {
            await mkdir(this.folder, {recursive: true});
            await writeFileAtomically(this.fileFor(id), text);
            this.summaries.delete(id);
        });
    }

    /**
     * The saved chats, most recently updated first. Never throws: a file that
     * cannot be read, or a folder that cannot be listed, is returned in `problems`.
     * Temporary files left by a crash are skipped, and removed once they are stale.
     */
    public async list(): Promise<ConversationList> {
        const problems: StoreProblem[] = [];
        let names: string[];
        try {
            names = await readdir(this.folder);
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "ENOENT")
                problems.push({file: this.folder, reason: describeError(error)});
            return {conversations: [], problems};
        }

        const conversations: ConversationSummary[] = [];
        const listed = new Set<string>();
        await forEachAtMost(filesReadAtOnce, names, async (name) => {
            const file = path.join(this.folder, name);
            try {
                if (isTempFileName(name)) {
                    await this.removeIfStale(file);
                    return;
                }
                const id = idOfFileName(name);
                if (id == null)
                    return; // not a file of this store
                listed.add(id);
                const result = await this.read(id, "summary");
                if (result.kind === "summary")
                    conversations.push(result.summary);
                else if (result.kind === "problem")
                    problems.push({file, reason: result.reason});
            } catch (error) {
                problems.push({file, reason: describeError(error)});
            }
        });

        for (const id of this.summaries.keys())
            if (!listed.has(id))
                this.summaries.delete(id);
        conversations.sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || a.id.localeCompare(b.id));
        problems.sort((a, b) => a.file.localeCompare(b.file));
        return {conversations, problems};
    }

    /**
     * A saved chat, or undefined if there is none with this id. Throws
     * `UnreadableConversationError` if its file cannot be used, and a
     * `TypeError` for an id that is not a UUID.
     */
    public async load(id: string): Promise<StoredConversation | undefined> {
        assertConversationId(id);
        const result = await this.read(id, "conversation");
        switch (result.kind) {
            case "missing": return undefined;
            case "problem": throw new UnreadableConversationError(this.fileFor(id), result.reason);
            case "conversation": return result.conversation;
            case "summary": throw new Error("unreachable: a summary was read for load");
        }
    }

    /**
     * Deletes a saved chat, after any save of it already running (a save still
     * waiting is dropped). Deleting a chat that was never saved does nothing.
     * Throws for an id that is not a UUID.
     */
    public async delete(id: string): Promise<void> {
        assertConversationId(id);
        return this.writes.run(id, async () => {
            try {
                await unlink(this.fileFor(id));
            } catch (error) {
                if ((error as NodeJS.ErrnoException).code !== "ENOENT")
                    throw error;
            }
            this.summaries.delete(id);
        });
    }

    private fileFor(id: string): string {
        return path.join(this.folder, `${id}.json`);
    }

    /**
     * Reads one chat's file through one handle, so the `stat` that keys the cache
     * describes the very file read, even if a save renames a new one into place.
     */
    private async read(id: string, want: "summary" | "conversation"): Promise<ReadResult> {
        let handle: FileHandle;
        try {
            handle = await open(this.fileFor(id), "r");
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "ENOENT")
                return {kind: "missing"};
            return {kind: "problem", reason: describeError(error)};
        }
        try {
            const info = await handle.stat();
            if (!info.isFile())
                return {kind: "problem", reason: "not a file"};
            const fileKey = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
            const cached = this.summaries.get(id);
            if (want === "summary" && cached?.fileKey === fileKey)
                return {kind: "summary", summary: cached.summary};
            if (info.size > this.maxFileBytes)
                return {kind: "problem", reason: `too large to be a saved chat (${info.size} bytes)`};

            const parsed = parseConversationFile(await handle.readFile("utf8"), id);
            if (parsed.conversation == null)
                return {kind: "problem", reason: parsed.problem ?? "unreadable"};
            const summary = summarizeConversation(parsed.conversation);
            this.summaries.set(id, {fileKey, summary});
            return want === "summary" ? {kind: "summary", summary} : {kind: "conversation", conversation: parsed.conversation};
        } catch (error) {
            return {kind: "problem", reason: describeError(error)};
        } finally {
            await handle.close();
        }
    }

    /** Removes a crash's temporary file once it is old enough that no save can still be writing it. */
    private async removeIfStale(file: string): Promise<void> {
        try {
            const info = await stat(file);
            if (Date.now() - info.mtimeMs >= this.staleTempFileMs)
                await unlink(file);
        } catch (error) {
            // Gone already: its save finished, or another window cleaned up first.
            if ((error as NodeJS.ErrnoException).code !== "ENOENT")
                throw new Error(`a leftover temporary file could not be removed: ${describeError(error)}`);
        }
    }
}

/** Enough to keep the disk busy; few enough that a thousand chats do not run out of file handles. */
const filesReadAtOnce = 16;

/** Runs `work` on every item, at most `limit` at a time. */
async function forEachAtMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length)
            await work(items[next++]!);
    };
    await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
}

/** The conversation id a file name stands for, if it is one of this store's files. */
function idOfFileName(name: string): string | undefined {
    const id = name.endsWith(".json") ? name.slice(0, -".json".length) : undefined;
    return isConversationId(id) ? id : undefined;
}

function describeError(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
