/**
 * Saved prompt states on the engine's side: before a turn, the context sequence
 * is loaded from the conversation's state file (a long document evaluated once);
 * after a turn that did not start from it, the sequence is saved to it. LlamaChat
 * then reuses whatever prefix of the loaded tokens the new prompt shares, and
 * erases the rest, exactly as it does within one engine process.
 *
 * llama.cpp trusts a state file completely: a truncated one aborts the process
 * (`GGML_ASSERT(nread <= state_size)`), a damaged one loads silently and the
 * model then writes garbage, and another model's may crash it. So a file is
 * loaded only when its size, header and CRC-32 match what was recorded when it
 * was saved (the host keeps that record, in a file keyed by the model file's
 * identity); anything else is deleted and the prompt is evaluated in full.
 */
import {randomBytes} from "node:crypto";
import {mkdir, open, rename, rm, stat} from "node:fs/promises";
import path from "node:path";
import {crc32} from "node:zlib";
import type {LlamaContextSequence} from "node-llama-cpp";
import type {EngineEvent, EngineRequest, SavedPromptState} from "./protocol.ts";

type StateRequest = NonNullable<Extract<EngineRequest, {type: "chat"}>["state"]>;

/** What a turn does with its state file after generating. */
export type StatePlan = {path: string; save: boolean} | undefined;

/**
 * llama.cpp's sequence state file starts with the magic "ggsq" and its format
 * version, 3 in the llama.cpp of node-llama-cpp 3.21.1. A newer llama.cpp with
 * another version rejects older files itself; they are then evaluated again.
 */
const SEQUENCE_STATE_MAGIC = 0x67677371;
const SEQUENCE_STATE_VERSION = 3;
/** magic, version, token count: three little-endian uint32. */
const HEADER_BYTES = 12;

export class PromptStateFiles {
    /**
     * The state file whose beginning the sequence holds (loaded from it or saved to
     * it, with no other conversation since): a turn with it loads nothing.
     */
    private held: string | undefined;

    public constructor(
        private readonly send: (event: EngineEvent) => void,
        private readonly contextSize: number
    ) {}

    /**
     * Loads the turn's state file into `sequence` when that helps. Never throws: a
     * file that cannot be used is deleted, and the turn evaluates its whole prompt.
     */
    public async beforeTurn(sequence: LlamaContextSequence, id: string, state: StateRequest | undefined): Promise<StatePlan> {
        if (state == null) {
            // This turn's conversation replaces what the sequence held.
            this.held = undefined;
            return undefined;
        }
        if (this.held === state.path)
            return {path: state.path, save: state.saved == null};
        this.held = undefined;
        if (state.saved == null)
            return {path: state.path, save: true};

        const started = performance.now();
        let problem: string | undefined;
        try {
            problem = await checkStateFile(state.path, state.saved, this.contextSize);
        } catch (error) {
            problem = `it cannot be read (${errorText(error)})`;
        }
        if (problem == null) {
            try {
                // Emptied first: node-llama-cpp forgets the sequence's tokens before loading, but
                // a load that llama.cpp refuses early leaves the old cells in place, and the next
                // evaluation then fails on positions that are taken.
                await sequence.clearHistory();
                await sequence.loadStateFromFile(state.path, {acceptRisk: true});
                this.held = state.path;
                this.send({type: "stateLoaded", id, bytes: state.saved.bytes, tokens: sequence.contextTokens.length, ms: performance.now() - started});
                return {path: state.path, save: false};
            } catch (error) {
                // llama.cpp removes the sequence's cells when a restore fails halfway.
                problem = `llama.cpp could not restore it (${errorText(error)})`;
            }
        }

        await rm(state.path, {force: true}).catch((error: unknown) => {
            this.send({type: "log", level: "warn", message: `Could not delete the unusable state file ${state.path}: ${errorText(error)}`});
        });
        this.send({
            type: "log",
            level: problem === MISSING ? "info" : "warn",
            message: `The saved prompt state ${path.basename(state.path)} was not used (${problem}); the whole prompt is evaluated again.`
        });
        this.send({type: "stateRejected", id, reason: problem});
        return {path: state.path, save: true};
    }

    /**
     * Saves the sequence to the plan's file if it needs saving, after `prepare` (which
     * may evaluate what every later turn starts with): written under a temporary name,
     * checked, then renamed into place. Never throws; a failure is logged and costs
     * only the saving.
     */
    public async afterTurn(sequence: LlamaContextSequence, id: string, plan: StatePlan, prepare?: () => Promise<void>): Promise<void> {
        if (plan == null || !plan.save || sequence.contextTokens.length === 0)
            return;
        const started = performance.now();
        try {
            await prepare?.();
        } catch (error) {
            // What the sequence holds is still a good beginning to save.
            this.send({type: "log", level: "warn", message: `Preparing the prompt state ${path.basename(plan.path)} failed: ${errorText(error)}`});
        }
        const temp = `${plan.path}.${randomBytes(6).toString("hex")}.partial`;
        try {
            await mkdir(path.dirname(plan.path), {recursive: true});
            const tokens = sequence.contextTokens.length;
            await sequence.saveStateToFile(temp);
            // Not synced to disk: that would cost seconds for a large state, and a file
            // damaged by a power cut fails its checksum and is evaluated again instead.
            const {bytes, crc32: checksum} = await checksumFile(temp);
            await rename(temp, plan.path);
            this.held = plan.path;
            this.send({type: "stateSaved", id, saved: {bytes, tokens, crc32: checksum}, ms: performance.now() - started});
        } catch (error) {
            await rm(temp, {force: true}).catch(() => undefined); // the first error is the one to report
            this.send({type: "log", level: "warn", message: `Saving the prompt state ${path.basename(plan.path)} failed: ${errorText(error)}`});
        }
    }
}

const MISSING = "the file is missing";

/** Why the file must not be loaded, or undefined when it holds what was saved. */
async function checkStateFile(filePath: string, saved: SavedPromptState, contextSize: number): Promise<string | undefined> {
    const stats = await stat(filePath).catch(() => undefined);
    if (stats == null || !stats.isFile())
        return MISSING;
    if (stats.size !== saved.bytes)
        return `it has ${stats.size} bytes, ${saved.bytes} were saved`;
    if (saved.tokens > contextSize)
        return `its ${saved.tokens} tokens exceed the context size of ${contextSize}`;

    const header = await readHeader(filePath);
    if (header == null || header.magic !== SEQUENCE_STATE_MAGIC || header.version !== SEQUENCE_STATE_VERSION)
        return "it is not a llama.cpp sequence state of the expected version";
    if (header.tokens !== saved.tokens)
        return `its header names ${header.tokens} tokens, ${saved.tokens} were saved`;

    const {crc32: checksum} = await checksumFile(filePath);
    if (checksum !== saved.crc32)
        return "its checksum does not match; it is damaged";
    return undefined;
}

async function readHeader(filePath: string): Promise<{magic: number; version: number; tokens: number} | undefined> {
    const handle = await open(filePath, "r");
    try {
        const buffer = Buffer.alloc(HEADER_BYTES);
        const {bytesRead} = await handle.read(buffer, 0, HEADER_BYTES, 0);
        if (bytesRead < HEADER_BYTES)
            return undefined;
        return {magic: buffer.readUInt32LE(0), version: buffer.readUInt32LE(4), tokens: buffer.readUInt32LE(8)};
    } finally {
        await handle.close();
    }
}

/**
 * The file's size and CRC-32, read through one reused 4 MB buffer: about 55 ms for
 * a 200 MB state from the page cache (a read stream takes half as long again),
 * which then serves llama.cpp's read too.
 */
async function checksumFile(filePath: string): Promise<{bytes: number; crc32: number}> {
    const handle = await open(filePath, "r");
    try {
        const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
        let checksum = 0;
        let bytes = 0;
        for (;;) {
            const {bytesRead} = await handle.read(buffer, 0, buffer.length, null);
            if (bytesRead === 0)
                return {bytes, crc32: checksum};
            checksum = crc32(buffer.subarray(0, bytesRead), checksum);
            bytes += bytesRead;
        }
    } finally {
        await handle.close();
    }
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
