/**
 * The prompt state cache on real folders: which file a beginning maps to, what
 * is found again later, and what is deleted when (edited papers, the size bound,
 * leftovers, "Clear Paper Cache"). The engine's part is played by writing files
 * of a chosen size where it would write states.
 */
import assert from "node:assert/strict";
import {copyFile, mkdir, readdir, rm, stat, utimes, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, beforeEach, describe, test} from "node:test";
import {PromptStateCache, type PromptStateKey, type PromptStateSlot} from "../../src/models/PromptStateCache.ts";
import {makeTempDir} from "../support/tempDir.ts";

const model = {path: "/models/astrosage-8b-q4_k_m.gguf", bytes: 4_920_734_016, modifiedMs: 1_741_950_000_000.5};

function keyOf(changes: Partial<PromptStateKey> = {}): PromptStateKey {
    return {
        model,
        contextSize: 8192,
        promptFormat: "AstroSage (Llama 3.1)",
        systemPrompt: "You are AstroSage.",
        key: "aaaa",
        document: "/papers/disk.tex",
        ...changes
    };
}

describe("prompt state cache", () => {
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    let dir: string;
    let clock: number;
    let maxBytes: number;
    let logged: string[];

    const newCache = () => new PromptStateCache(dir, {
        maxBytes: () => maxBytes,
        now: () => new Date(clock),
        log: {info: (message) => logged.push(`info: ${message}`), warn: (message) => logged.push(`warn: ${message}`)}
    });

    /** What the engine does for a slot without a saved state: writes the file; then the host records it. */
    async function save(cache: PromptStateCache, key: PromptStateKey, bytes: number): Promise<PromptStateSlot> {
        clock += 60_000;
        const slot = await cache.slotFor(key);
        assert.ok(slot != null);
        assert.equal(slot.saved, undefined);
        await writeFile(slot.path, Buffer.alloc(bytes, 1));
        await cache.recordSaved(slot, {bytes, tokens: Math.ceil(bytes / 10), crc32: 0x1234_5678});
        return slot;
    }

    async function files(): Promise<string[]> {
        return (await readdir(dir)).sort();
    }

    beforeEach(async () => {
        temp = await makeTempDir("prompt-state-cache");
        dir = path.join(temp.dir, "prompt-states");
        clock = new Date(2025, 2, 14, 10, 30).getTime();
        maxBytes = 10_000;
        logged = [];
    });
    afterEach(async () => {
        await temp.remove();
    });

    test("a new beginning gets a state file in the folder, nothing saved yet, and today's date", async () => {
        const slot = await newCache().slotFor(keyOf());
        assert.ok(slot != null);
        assert.equal(path.dirname(slot.path), dir);
        assert.match(path.basename(slot.path), /^[0-9a-f]{40}\.state$/);
        assert.equal(slot.saved, undefined);
        assert.equal(slot.todayDate, "2025-03-14");
        assert.deepEqual(await files(), [], "nothing is written until the engine saved a state");
    });

    test("a saved state is found again by another cache on the folder, days later, with the date it was evaluated with", async () => {
        const first = await save(newCache(), keyOf(), 1000);
        clock += 6 * 24 * 3600_000;
        const later = await newCache().slotFor(keyOf());
        assert.equal(later?.path, first.path);
        assert.deepEqual(later?.saved, {bytes: 1000, tokens: 100, crc32: 0x1234_5678});
        assert.equal(later?.todayDate, "2025-03-14");
        assert.deepEqual(await files(), [path.basename(first.path).replace(".state", ".json"), path.basename(first.path)]);
    });

    test("a state belongs to one model file, context size, prompt format, system prompt and document version", async () => {
        const cache = newCache();
        const saved = await save(cache, keyOf(), 1000);
        const variants: [string, Partial<PromptStateKey>][] = [
            ["the model file replaced (new time)", {model: {...model, modifiedMs: model.modifiedMs + 1}}],
            ["the model file replaced (new size)", {model: {...model, bytes: model.bytes + 1}}],
            ["another model file", {model: {...model, path: "/models/astrosage-8b-q8_0.gguf"}}],
            ["another context size", {contextSize: 4096}],
            ["another prompt format", {promptFormat: "Llama 3.1"}],
            ["reasoning's system prompt", {systemPrompt: "detailed thinking on"}],
            ["another document with the same text", {document: "/papers/copy.tex"}]
        ];
        for (const [name, changes] of variants) {
            const slot = await cache.slotFor(keyOf(changes));
            assert.notEqual(slot?.path, saved.path, name);
            assert.equal(slot?.saved, undefined, name);
        }
        assert.deepEqual((await cache.slotFor(keyOf()))?.saved, saved.saved, "the original is still there");
    });

    test("an edited document's states are deleted, for every model; other documents' stay", async () => {
        const cache = newCache();
        const old8b = await save(cache, keyOf(), 1000);
        const old4k = await save(cache, keyOf({contextSize: 4096}), 800);
        const other = await save(cache, keyOf({document: "/papers/bulge.tex", key: "bbbb"}), 900);
        assert.equal((await files()).length, 6);

        const edited = await cache.slotFor(keyOf({key: "cccc"}));
        assert.equal(edited?.saved, undefined);
        const names = await files();
        for (const gone of [old8b, old4k])
            assert.ok(!names.some((name) => gone.path.endsWith(name.replace(".json", ".state"))), `${gone.path} is deleted`);
        assert.deepEqual(names, [path.basename(other.path).replace(".state", ".json"), path.basename(other.path)].sort());
        assert.equal(logged.filter((line) => line.includes("earlier version of /papers/disk.tex")).length, 2);
    });

    test("past the bound, the least recently used states are deleted", async () => {
        maxBytes = 2500;
        const cache = newCache();
        const a = await save(cache, keyOf({document: "/a.tex"}), 1000);
        const b = await save(cache, keyOf({document: "/b.tex"}), 1000);
        clock += 60_000;
        assert.ok((await cache.slotFor(keyOf({document: "/a.tex"})))?.saved, "a is used again: b is now the least recent");
        const c = await save(cache, keyOf({document: "/c.tex"}), 1000);

        const names = await files();
        assert.ok(!names.includes(path.basename(b.path)), "b's state is deleted");
        assert.ok(!names.includes(path.basename(b.path).replace(".state", ".json")), "and its record");
        for (const kept of [a, c])
            assert.ok(names.includes(path.basename(kept.path)));
        assert.deepEqual(await cache.usage(), {states: 2, bytes: 2000});
        assert.equal((await cache.slotFor(keyOf({document: "/b.tex"})))?.saved, undefined);
    });

    test("a state larger than the whole bound is not kept", async () => {
        maxBytes = 500;
        const cache = newCache();
        await save(cache, keyOf(), 1000);
        assert.deepEqual(await files(), []);
        assert.equal((await cache.slotFor(keyOf()))?.saved, undefined);
    });

    test("a bound of 0 turns saving and loading off", async () => {
        maxBytes = 0;
        const cache = newCache();
        assert.equal(cache.enabled, false);
        assert.equal(await cache.slotFor(keyOf()), undefined);
        await assert.rejects(stat(dir), {code: "ENOENT"});
    });

    test("a state the engine could not use is forgotten", async () => {
        const cache = newCache();
        const slot = await save(cache, keyOf(), 1000);
        await cache.forget(slot);
        assert.equal(slot.saved, undefined);
        assert.deepEqual(await files(), []);
        assert.equal((await cache.slotFor(keyOf()))?.saved, undefined);
    });

    test("clear deletes every file and says what it freed", async () => {
        const cache = newCache();
        await save(cache, keyOf(), 1000);
        await save(cache, keyOf({document: "/b.tex"}), 3000);
        await writeFile(path.join(dir, `${"f".repeat(40)}.state.0123456789ab.partial`), Buffer.alloc(500));
        let total = 0;
        for (const name of await files())
            total += (await stat(path.join(dir, name))).size;

        assert.deepEqual(await cache.clear(), {states: 2, bytes: total});
        assert.deepEqual(await files(), []);
        assert.deepEqual(await cache.clear(), {states: 0, bytes: 0});
        assert.deepEqual(await new PromptStateCache(path.join(temp.dir, "never-made"), {maxBytes: () => 1}).clear(), {states: 0, bytes: 0});
    });

    test("leftovers are deleted: old temporary files, states without a record, records without a state or that do not parse", async () => {
        const cache = newCache();
        const kept = await save(cache, keyOf(), 1000);
        const leftover = await save(cache, keyOf({document: "/gone.tex"}), 1000);
        const damaged = await save(cache, keyOf({document: "/damaged.tex"}), 1000);
        await writeFile(damaged.path.replace(".state", ".json"), "{\"version\": 1, \"belongsTo\":");
        const lost = await save(cache, keyOf({document: "/lost.tex"}), 1000);
        await rm(lost.path);

        const old = new Date(clock - 3600_000);
        const young = new Date(clock - 60_000);
        const oldPartial = `${kept.path}.0123456789ab.partial`;
        const youngPartial = `${kept.path}.ba9876543210.partial`;
        const oldTemp = `${kept.path.replace(".state", ".json")}.0123456789ab.tmp`;
        const loneState = path.join(dir, `${"e".repeat(40)}.state`);
        const youngLoneState = path.join(dir, `${"d".repeat(40)}.state`);
        for (const [file, time] of [[oldPartial, old], [youngPartial, young], [oldTemp, old], [loneState, old], [youngLoneState, young]] as const) {
            await writeFile(file, "x");
            await utimes(file, time, time);
        }
        await utimes(damaged.path, old, old);
        await rm(leftover.path.replace(".state", ".json"));
        await utimes(leftover.path, old, old);

        clock += 1000;
        assert.ok((await cache.slotFor(keyOf()))?.saved);
        assert.deepEqual(await files(), [
            path.basename(youngLoneState), // maybe another window's, still being recorded
            path.basename(kept.path).replace(".state", ".json"),
            path.basename(kept.path),
            path.basename(youngPartial) // maybe another window's engine, still writing
        ].sort());
    });

    test("a record whose contents do not belong to its file name is not trusted", async () => {
        const cache = newCache();
        const a = await save(cache, keyOf({document: "/a.tex"}), 1000);
        const b = await save(cache, keyOf({document: "/b.tex"}), 1000);
        // b's record under a's name: a's state must not be described by it.
        await copyFile(b.path.replace(".state", ".json"), a.path.replace(".state", ".json"));
        assert.equal((await cache.slotFor(keyOf({document: "/a.tex"})))?.saved, undefined);
    });

    test("a folder that cannot be used costs the cache, never the turn", async () => {
        await mkdir(temp.dir, {recursive: true});
        await writeFile(dir, "a file where the folder should be");
        assert.equal(await newCache().slotFor(keyOf()), undefined);
        assert.equal(logged.length, 1);
        assert.match(logged[0]!, /^warn: The saved prompt states in .* cannot be used/);
    });
});
