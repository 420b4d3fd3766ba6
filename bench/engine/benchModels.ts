/**
 * The benchmark's model files, written by the test toolkit (test/support/gguf)
 * and cached under .cache/bench/ (ignored by git) so repeated runs reuse them.
 *
 * A cached file's name carries a fingerprint of the toolkit's sources: when the
 * writer changes, the next run writes a fresh file and deletes the stale one.
 */
import {createHash} from "node:crypto";
import {mkdir, readdir, readFile, rename, rm, stat, writeFile} from "node:fs/promises";
import path from "node:path";
import {BYTE_LEVEL_CHARACTERS} from "../../test/support/gguf/byteLevel.ts";
import {createLlama3Vocabulary, TokenType} from "../../test/support/gguf/llama3Tokenizer.ts";
import {LLAMA_3_2_1B_SHAPE, writeRandomModel, type RandomModelInfo} from "../../test/support/gguf/randomModel.ts";
import {longScript, writeScriptedModel, type ScriptedModelInfo} from "../../test/support/gguf/scriptedModel.ts";

const TOOLKIT_DIR = path.resolve("test/support/gguf");
export const MODELS_DIR = path.resolve(".cache/bench");

export type CachedModel<Info> = {
    path: string;
    info: Info;
    /** Whether the file came from the cache. */
    reused: boolean;
    /** Time spent writing it (0 when reused), in seconds. */
    writeSeconds: number;
};

/**
 * Llama-3.2-1B's transformer blocks with random Q4_0 weights (~0.98 B weights,
 * ~550 MB) and the toolkit's small vocabulary (~2,100 tokens). The real
 * model's 128256-token output layer would add about a quarter to each token's
 * work; without it each token is cheaper, so a fixed per-token cost of the
 * process hop weighs more in the ratio, not less.
 */
export function randomLlama1bModel(): Promise<CachedModel<RandomModelInfo>> {
    return cachedModel("random-llama-3.2-1b-q4_0", (filePath) => writeRandomModel(filePath, LLAMA_3_2_1B_SHAPE));
}

/**
 * The ids of the random model's tokens that are not text on their own: the lone
 * bytes 0x80–0xFF of the byte-level alphabet, pieces of a multi-byte character.
 * Random weights draw them and rarely complete a character; llama-server then
 * ends the answer with a 500 error event ("The model produced output that does
 * not match the expected … format") once the text ends in a broken character,
 * on any chat template. The server scenario bans them (`--logit-bias ID-inf`).
 */
export function randomModelNonTextTokens(info: RandomModelInfo): number[] {
    const vocabulary = createLlama3Vocabulary();
    // The writer pads the test vocabulary with <unusedN> fillers (valid text) up to vocabularySize.
    if (info.vocabularySize < vocabulary.size)
        throw new Error(`The random model has ${info.vocabularySize} tokens, fewer than the test vocabulary's ${vocabulary.size}: the toolkit changed.`);
    const decoder = new TextDecoder("utf-8", {fatal: true});
    const bytesOf = (stored: string) => Uint8Array.from([...stored].map((character) => BYTE_LEVEL_CHARACTERS.indexOf(character)));
    return vocabulary.tokens.flatMap((stored, id) => {
        if (vocabulary.tokenTypes[id] !== TokenType.NORMAL)
            return [];
        try {
            decoder.decode(bytesOf(stored));
            return [];
        } catch {
            return [id];
        }
    });
}

/** A scripted model whose answer to any prompt is `longScript(words)`: `words` tokens, then end of turn. */
export function scriptedModel(words: number): Promise<CachedModel<ScriptedModelInfo>> {
    return cachedModel(`scripted-long-${words}`, (filePath) => writeScriptedModel(filePath, longScript(words)));
}

async function cachedModel<Info extends {path: string; fileBytes: number}>(
    baseName: string,
    write: (filePath: string) => Promise<Info>
): Promise<CachedModel<Info>> {
    const filePath = path.join(MODELS_DIR, `${baseName}-${await toolkitFingerprint()}.gguf`);
    const infoPath = `${filePath}.json`;

    const cached = await readCachedInfo<Info>(filePath, infoPath);
    if (cached != null)
        return {path: filePath, info: cached, reused: true, writeSeconds: 0};

    await mkdir(MODELS_DIR, {recursive: true});
    await removeStaleFiles(baseName);
    const started = performance.now();
    // Written under a temporary name, so an interrupted run never leaves a truncated file to reuse.
    const partialPath = `${filePath}.partial`;
    const info = {...await write(partialPath), path: filePath};
    await rename(partialPath, filePath);
    await writeFile(infoPath, JSON.stringify(info, null, 2));
    return {path: filePath, info, reused: false, writeSeconds: (performance.now() - started) / 1000};
}

/** The cached file's info, if the file and its info are both there and agree on the size. */
async function readCachedInfo<Info extends {fileBytes: number}>(filePath: string, infoPath: string): Promise<Info | undefined> {
    try {
        const info = JSON.parse(await readFile(infoPath, "utf8")) as Info;
        const {size} = await stat(filePath);
        return size === info.fileBytes ? info : undefined;
    } catch (error) {
        // No cached file yet: write one. Anything else (permissions, a full disk) is a real problem.
        if (isMissingFile(error))
            return undefined;
        throw error;
    }
}

/** Deletes files of earlier toolkit versions (and interrupted writes): the 1B model is ~0.55 GB each. */
async function removeStaleFiles(baseName: string) {
    for (const name of await readdir(MODELS_DIR))
        if (name.startsWith(`${baseName}-`))
            await rm(path.join(MODELS_DIR, name), {force: true});
}

/** A short hash of the model writer's sources. */
async function toolkitFingerprint(): Promise<string> {
    const hash = createHash("sha256");
    for (const name of (await readdir(TOOLKIT_DIR)).filter((name) => name.endsWith(".ts")).sort()) {
        hash.update(name);
        hash.update(await readFile(path.join(TOOLKIT_DIR, name)));
    }
    return hash.digest("hex").slice(0, 10);
}

function isMissingFile(error: unknown): boolean {
    return error instanceof Error && "code" in error && error.code === "ENOENT";
}
