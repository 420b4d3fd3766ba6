/**
 * Saved prompt states: the model's evaluated state of a conversation's long
 * beginning (a paper sent with the first question), kept on disk so that
 * reopening the paper, after the model was unloaded, the engine restarted or
 * VS Code reopened, answers without reading it again.
 *
 * One folder (the extension's `<globalStorage>/prompt-states`), two files per state:
 * - `<id>.state`, written by the engine (llama.cpp's sequence state: a few hundred
 *   MB for a paper on an 8B model);
 * - `<id>.json`, this class's record of it: which model file, context size, system
 *   prompt, document and version it belongs to, the preamble date it was evaluated
 *   with, and the size, token count and CRC-32 the engine reported when it saved it.
 *
 * `<id>` hashes the model file's identity (path, size, modification time), the
 * context size, the prompt format, the system prompt, the document and its key: a state
 * is loaded only into the model it came from (llama.cpp may crash on another's).
 * The folder is the only truth, read again on every use, so two VS Code windows can
 * share it. Least recently used states go first when the folder outgrows its bound;
 * a document's states go when the document changes. No `vscode` import.
 */
import {createHash} from "node:crypto";
import {mkdir, readdir, readFile, rm, stat, utimes} from "node:fs/promises";
import path from "node:path";
import * as v from "valibot";
import type {PromptCacheHint} from "../core/chatTypes.ts";
import {savedPromptStateSchema, type SavedPromptState} from "../engine/protocol.ts";
import {isTempFileName, writeFileAtomically} from "../chat/store/writeFileAtomically.ts";

/** Which model file a state belongs to: a file replaced in place gets a new size or time. */
export type ModelFileIdentity = {path: string; bytes: number; modifiedMs: number};

/** Everything that decides what a conversation's beginning evaluates to. */
export type PromptStateKey = PromptCacheHint & {
    model: ModelFileIdentity;
    contextSize: number;
    /** The prompt format's name (the chat wrapper's). */
    promptFormat: string;
    /** The system prompt the model sees (the reasoning prompt when reasoning is on). */
    systemPrompt: string;
};

/** Where one conversation's beginning is saved, and what was saved there. */
export type PromptStateSlot = {
    /** The state file (the engine writes and reads it). */
    path: string;
    /** What the file held when it was saved; undefined while nothing is saved. */
    saved?: SavedPromptState;
    /** The preamble's "Today Date" the state was, or is to be, evaluated with: `YYYY-MM-DD`. */
    todayDate: string;
    /** @internal What the record says the state belongs to. */
    readonly belongsTo: StateOwner;
};

export type PromptStateCacheOptions = {
    /** The most bytes all states may take together; 0 saves and loads none. Read on every use. */
    maxBytes: () => number;
    /** Told what was deleted (info) and what failed (warn). Defaults to nobody. */
    log?: {info(message: string): void; warn(message: string): void};
    /** The time of day, for the preamble date of new states and for ordering uses. Defaults to the clock. */
    now?: () => Date;
    /**
     * How old a temporary file, or a state without a record, must be before it is
     * deleted as a crash's leftover: a younger one may be another window's save in
     * progress. Defaults to 10 minutes.
     */
    staleFileMs?: number;
};

const recordVersion = 1;

const ownerSchema = v.object({
    document: v.string(),
    key: v.string(),
    model: v.object({path: v.string(), bytes: v.number(), modifiedMs: v.number()}),
    contextSize: v.number(),
    promptFormat: v.string(),
    /** SHA-256 of the system prompt: the record need not repeat it. */
    systemPromptHash: v.string()
});
type StateOwner = v.InferOutput<typeof ownerSchema>;

const recordSchema = v.object({
    version: v.literal(recordVersion),
    belongsTo: ownerSchema,
    todayDate: v.pipe(v.string(), v.isoDate()),
    saved: savedPromptStateSchema,
    savedAt: v.pipe(v.string(), v.isoTimestamp())
});
type StateRecord = v.InferOutput<typeof recordSchema>;

/** One state in the folder, as found there. */
type Entry = {
    id: string;
    record?: StateRecord;
    /** The state file's size and last use (its modification time, set on every use). */
    state?: {bytes: number; usedMs: number};
};

const STATE = ".state";
const RECORD = ".json";
const ID = /^[0-9a-f]{40}$/;

export class PromptStateCache {
    private readonly now: () => Date;
    private readonly staleFileMs: number;

    /** `directory` is created by the first `slotFor`, before a turn that may save a state. */
    public constructor(public readonly directory: string, private readonly options: PromptStateCacheOptions) {
        this.now = options.now ?? (() => new Date());
        this.staleFileMs = options.staleFileMs ?? 10 * 60_000;
    }

    /** Whether states are saved and loaded at all (the bound is above 0). */
    public get enabled(): boolean {
        return this.options.maxBytes() > 0;
    }

    /**
     * Where the state of this beginning is (or is to be) saved; undefined when the
     * cache is off or its folder cannot be used. Marks the state as just used, and
     * deletes the states of the document's earlier versions. Never throws.
     */
    public async slotFor(key: PromptStateKey): Promise<PromptStateSlot | undefined> {
        if (!this.enabled)
            return undefined;
        try {
            await mkdir(this.directory, {recursive: true});
            const belongsTo = ownerOf(key);
            const id = idOf(belongsTo);
            const entries = await this.scan();
            for (const entry of entries)
                if (entry.record != null && entry.record.belongsTo.document === key.document && entry.record.belongsTo.key !== key.key) {
                    this.options.log?.info(`Deleted a saved prompt state of an earlier version of ${key.document}.`);
                    await this.remove(entry.id);
                }

            const slot: PromptStateSlot = {path: this.statePath(id), todayDate: localDate(this.now()), belongsTo};
            const entry = entries.find((candidate) => candidate.id === id);
            if (entry?.record != null && entry.state != null && idOf(entry.record.belongsTo) === id) {
                slot.saved = entry.record.saved;
                slot.todayDate = entry.record.todayDate;
                const now = this.now();
                await utimes(slot.path, now, now);
            }
            return slot;
        } catch (error) {
            this.options.log?.warn(`The saved prompt states in ${this.directory} cannot be used: ${errorText(error)}`);
            return undefined;
        }
    }

    /**
     * Records what the engine saved to `slot`, then deletes least recently used
     * states until all fit the bound (the new one too, if it alone does not). Never throws.
     */
    public async recordSaved(slot: PromptStateSlot, saved: SavedPromptState): Promise<void> {
        try {
            const record: StateRecord = {version: recordVersion, belongsTo: slot.belongsTo, todayDate: slot.todayDate, saved, savedAt: this.now().toISOString()};
            await writeFileAtomically(this.recordPath(idOf(slot.belongsTo)), `${JSON.stringify(record, null, 2)}\n`);
            const now = this.now();
            await utimes(slot.path, now, now);
            slot.saved = saved;
            await this.evictToFit();
        } catch (error) {
            this.options.log?.warn(`Recording the saved prompt state ${path.basename(slot.path)} failed: ${errorText(error)}`);
        }
    }

    /** Forgets a state the engine could not use (it deleted the file). Never throws. */
    public async forget(slot: PromptStateSlot): Promise<void> {
        slot.saved = undefined;
        try {
            await this.remove(idOf(slot.belongsTo));
        } catch (error) {
            this.options.log?.warn(`Deleting the saved prompt state ${path.basename(slot.path)} failed: ${errorText(error)}`);
        }
    }

    /** How many states there are and the bytes they take. */
    public async usage(): Promise<{states: number; bytes: number}> {
        const states = (await this.scan({cleanUp: false})).filter((entry) => entry.state != null);
        return {states: states.length, bytes: states.reduce((sum, entry) => sum + entry.state!.bytes, 0)};
    }

    /** Deletes every saved state; resolves with what was freed. A file another program holds open is left and not counted. */
    public async clear(): Promise<{states: number; bytes: number}> {
        const names = await readdir(this.directory).catch((error: unknown) => {
            if (isMissing(error))
                return [];
            throw error;
        });
        const freed = {states: 0, bytes: 0};
        for (const name of names) {
            const file = path.join(this.directory, name);
            const bytes = (await stat(file).catch(() => undefined))?.size ?? 0;
            try {
                await rm(file, {force: true});
            } catch (error) {
                this.options.log?.warn(`Could not delete ${file}: ${errorText(error)}`);
                continue;
            }
            if (name.endsWith(STATE))
                freed.states++;
            freed.bytes += bytes;
        }
        return freed;
    }

    private async evictToFit() {
        const maxBytes = this.options.maxBytes();
        const saved = (await this.scan()).filter((entry) => entry.record != null && entry.state != null)
            .sort((a, b) => a.state!.usedMs - b.state!.usedMs);
        let total = saved.reduce((sum, entry) => sum + entry.state!.bytes, 0);
        for (const entry of saved) {
            if (total <= maxBytes)
                break;
            this.options.log?.info(`Deleted the least recently used prompt state (${formatMegabytes(entry.state!.bytes)}) of ${entry.record!.belongsTo.document}: saved states may take ${formatMegabytes(maxBytes)}.`);
            await this.remove(entry.id);
            total -= entry.state!.bytes;
        }
    }

    /**
     * The states in the folder. Unless `cleanUp` is false, it also deletes what no
     * use can come of: records that do not parse or lost their state, and old
     * temporary files or states without a record (left by a crash).
     */
    private async scan({cleanUp = true} = {}): Promise<Entry[]> {
        const names = await readdir(this.directory).catch((error: unknown) => {
            if (isMissing(error))
                return [];
            throw error;
        });
        const entries = new Map<string, Entry>();
        const entryOf = (id: string) => entries.get(id) ?? entries.set(id, {id}).get(id)!;
        const nowMs = this.now().getTime();

        for (const name of names) {
            const file = path.join(this.directory, name);
            const id = name.slice(0, name.indexOf("."));
            const known = ID.test(id);
            if (known && name === `${id}${STATE}`) {
                const stats = await stat(file).catch(() => undefined);
                if (stats != null)
                    entryOf(id).state = {bytes: stats.size, usedMs: stats.mtimeMs};
            } else if (known && name === `${id}${RECORD}`) {
                const record = await readRecord(file);
                if (record != null)
                    entryOf(id).record = record;
                else if (cleanUp)
                    await rm(file, {force: true});
            } else if (cleanUp && (name.endsWith(".partial") || isTempFileName(name))) {
                // The engine's and writeFileAtomically's temporary files.
                const stats = await stat(file).catch(() => undefined);
                if (stats != null && nowMs - stats.mtimeMs > this.staleFileMs)
                    await rm(file, {force: true});
            }
        }

        if (cleanUp)
            for (const entry of entries.values()) {
                if (entry.record != null && entry.state == null) {
                    await rm(this.recordPath(entry.id), {force: true});
                    entry.record = undefined;
                } else if (entry.record == null && entry.state != null && nowMs - entry.state.usedMs > this.staleFileMs) {
                    await rm(this.statePath(entry.id), {force: true});
                    entry.state = undefined;
                }
            }
        return [...entries.values()].filter((entry) => entry.record != null || entry.state != null);
    }

    private async remove(id: string) {
        // The record first: a state without one is never loaded.
        await rm(this.recordPath(id), {force: true});
        await rm(this.statePath(id), {force: true});
    }

    private statePath(id: string): string {
        return path.join(this.directory, `${id}${STATE}`);
    }

    private recordPath(id: string): string {
        return path.join(this.directory, `${id}${RECORD}`);
    }
}

function ownerOf(key: PromptStateKey): StateOwner {
    return {
        document: key.document,
        key: key.key,
        model: {path: key.model.path, bytes: key.model.bytes, modifiedMs: key.model.modifiedMs},
        contextSize: key.contextSize,
        promptFormat: key.promptFormat,
        systemPromptHash: sha256(key.systemPrompt)
    };
}

/** The files' shared name: everything a state depends on, and the document it is of, hashed. */
function idOf(owner: StateOwner): string {
    const {model, contextSize, promptFormat, systemPromptHash, document, key} = owner;
    return sha256(JSON.stringify([recordVersion, model.path, model.bytes, model.modifiedMs, contextSize, promptFormat, systemPromptHash, document, key])).slice(0, 40);
}

async function readRecord(file: string): Promise<StateRecord | undefined> {
    try {
        const checked = v.safeParse(recordSchema, JSON.parse(await readFile(file, "utf8")));
        return checked.success ? checked.output : undefined;
    } catch {
        // Unreadable or not JSON (a damaged record): the caller deletes it with its state.
        return undefined;
    }
}

function sha256(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/** The local calendar date, `YYYY-MM-DD`, as the preamble's "Today Date" shows it. */
function localDate(date: Date): string {
    const pad = (value: number) => String(value).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function formatMegabytes(bytes: number): string {
    return `${Math.round(bytes / 2 ** 20)} MB`;
}

function isMissing(error: unknown): boolean {
    return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
