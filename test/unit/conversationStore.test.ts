// The conversation store with real files in a temporary folder: round trips,
// the list, crashes at any point of a save, concurrent saves, and ids that try
// to name other paths. Also the title helper.
import assert from "node:assert/strict";
import {spawn} from "node:child_process";
import {readdir, readFile, stat, utimes, writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, test} from "node:test";
import {
    ConversationStore,
    newConversationId,
    titleFromPrompt,
    UnreadableConversationError,
    type StoredConversation
} from "../../src/chat/ConversationStore.ts";
import {LatestWinsWriteQueue} from "../../src/chat/store/LatestWinsWriteQueue.ts";
import {makeTempDir} from "../support/tempDir.ts";

const stats = {promptTokens: 12, generatedTokens: 40, timeToFirstTokenMs: 80, tokensPerSecond: 25, durationMs: 1680, thoughtTokens: 0, thoughtMs: 0, stopReason: "eogToken"} as const;

function chat(overrides: Partial<StoredConversation> = {}): StoredConversation {
    return {
        id: newConversationId(),
        title: "Distance to M31",
        createdAt: "2025-05-01T14:03:00.000Z",
        updatedAt: "2025-05-01T14:04:00.000Z",
        messages: [
            {role: "user", text: "How far is M31?", thought: ""},
            {role: "assistant", text: "About $765 \\pm 11$ kpc.", thought: "Recall the Cepheid distance.", stats}
        ],
        ...overrides
    };
}

/** Where `saveUntilKilled` stops a save for good. */
type CrashPoint = "midWrite" | "beforeRename" | "afterRename";

/** A store in a fresh folder, removed after the test. */
async function withStore(run: (store: ConversationStore, dir: string) => Promise<void>) {
    const {dir, remove} = await makeTempDir("store");
    try {
        await run(new ConversationStore(dir), dir);
    } finally {
        await remove();
    }
}

describe("conversation store", () => {
    test("a saved conversation loads back unchanged, from its own versioned file", () => withStore(async (store, dir) => {
        const saved = chat({messages: [
            {role: "user", text: "Explain this fit", thought: "", context: "fit.py:12-30", attachment: "```python\nfit(x)\n```"},
            {role: "assistant", text: "Partial", thought: "", error: "The engine stopped."}
        ]});
        await store.save(saved);
        assert.deepEqual(await store.load(saved.id), saved);
        assert.deepEqual(await readdir(dir), [`${saved.id}.json`]);
        const file = await readFile(path.join(dir, `${saved.id}.json`), "utf8");
        assert.match(file, /^\{\n {2}"version": 1,\n {2}"id": /);
    }));

    test("saving one chat leaves the others' files alone", () => withStore(async (store, dir) => {
        const first = chat();
        const second = chat();
        await store.save(first);
        await store.save(second);
        const before = await stat(path.join(dir, `${first.id}.json`));
        await store.save({...second, title: "Renamed"});
        const after = await stat(path.join(dir, `${first.id}.json`));
        assert.equal(after.ino, before.ino);
        assert.equal(after.mtimeMs, before.mtimeMs);
    }));

    test("list gives summaries, most recently updated first, and follows later saves", () => withStore(async (store) => {
        assert.deepEqual(await store.list(), {conversations: [], problems: []}, "an empty store (no folder yet)");
        const old = chat({title: "Old", updatedAt: "2025-01-01T00:00:00.000Z"});
        const newest = chat({title: "Newest", updatedAt: "2025-03-01T00:00:00.000Z", messages: []});
        const middle = chat({title: "Middle", updatedAt: "2025-02-01T00:00:00+01:00"});
        for (const conversation of [old, newest, middle])
            await store.save(conversation);

        const {conversations, problems} = await store.list();
        assert.deepEqual(problems, []);
        assert.deepEqual(conversations, [
            {id: newest.id, title: "Newest", updatedAt: newest.updatedAt, messageCount: 0},
            {id: middle.id, title: "Middle", updatedAt: middle.updatedAt, messageCount: 2},
            {id: old.id, title: "Old", updatedAt: old.updatedAt, messageCount: 2}
        ]);

        await store.save({...old, title: "Old, continued", updatedAt: "2025-04-01T00:00:00.000Z"});
        await store.delete(newest.id);
        const titles = (await store.list()).conversations.map((summary) => summary.title);
        assert.deepEqual(titles, ["Old, continued", "Middle"]);
        assert.equal(await store.load(newest.id), undefined);
        await store.delete(newest.id); // deleting again does nothing
    }));

    test("a crash mid-write loses nothing older; a truncated file is reported, kept, and not thrown", () => withStore(async (store, dir) => {
        const kept = chat({title: "Kept"});
        const alsoKept = chat({title: "Also kept"});
        await store.save(kept);
        await store.save(alsoKept);

        // What a crash leaves: half a temporary file from an atomic save (the
        // target untouched), and a target truncated by a plain, non-atomic write.
        const keptText = await readFile(path.join(dir, `${kept.id}.json`), "utf8");
        const crashedTemp = path.join(dir, `${kept.id}.json.0123456789ab.tmp`);
        await writeFile(crashedTemp, keptText.slice(0, 40));
        const staleTemp = path.join(dir, `${alsoKept.id}.json.ba9876543210.tmp`);
        await writeFile(staleTemp, "{");
        const twoMinutesAgo = new Date(Date.now() - 120_000);
        await utimes(staleTemp, twoMinutesAgo, twoMinutesAgo);
        const truncated = chat({title: "Truncated"});
        const truncatedFile = path.join(dir, `${truncated.id}.json`);
        await writeFile(truncatedFile, JSON.stringify({version: 1, ...truncated}).slice(0, 120));

        const {conversations, problems} = await store.list();
        assert.deepEqual(conversations.map((summary) => summary.title).sort(), ["Also kept", "Kept"]);
        assert.equal(problems.length, 1);
        assert.equal(problems[0]!.file, truncatedFile);
        assert.match(problems[0]!.reason, /not valid JSON.*truncated/);

        assert.deepEqual(await store.load(kept.id), kept);
        await assert.rejects(store.load(truncated.id), (error) => error instanceof UnreadableConversationError && error.file === truncatedFile);
        const left = await readdir(dir);
        assert.ok(left.includes(`${truncated.id}.json`), "the unreadable file is kept for the user");
        assert.ok(left.includes(path.basename(crashedTemp)), "a recent temporary file may be another window's save: kept");
        assert.ok(!left.includes(path.basename(staleTemp)), "a stale temporary file is removed");
    }));

    // A real process, killed with SIGKILL (no cleanup of any kind) while paused
    // at each step of a save: halfway through writing the temporary file, with it
    // written but not yet renamed, and renamed but the folder not yet synced.
    const crashPoints: {at: CrashPoint; survivor: "old" | "new"}[] = [
        {at: "midWrite", survivor: "old"},
        {at: "beforeRename", survivor: "old"},
        {at: "afterRename", survivor: "new"}
    ];
    for (const {at, survivor} of crashPoints)
        test(`a process killed ${at} leaves the ${survivor} version whole, and every other chat`, {timeout: 30_000}, () => withStore(async (store, dir) => {
            const bystander = chat({title: "Bystander"});
            const old = chat({title: "Old version"});
            await store.save(bystander);
            await store.save(old);
            const next = {...old, title: "New version", messages: [...old.messages, {role: "user" as const, text: "ρ".repeat(1_000_000), thought: ""}]};

            await saveUntilKilled(dir, next, at);
            assert.deepEqual(await store.load(old.id), survivor === "old" ? old : next);
            assert.deepEqual(await store.load(bystander.id), bystander);
            const {conversations, problems} = await store.list();
            assert.deepEqual(problems, [], "a crash's temporary file is not a problem");
            assert.equal(conversations.length, 2);
            const temps = (await readdir(dir)).filter((name) => name.endsWith(".tmp"));
            assert.equal(temps.length, survivor === "old" ? 1 : 0, "the crashed save's temporary file is still there, and younger than a minute");
        }));

    test("a conversation that could not be read back is refused, and its older save kept", () => withStore(async (store) => {
        const saved = chat();
        await store.save(saved);
        await assert.rejects(store.save({...saved, updatedAt: "yesterday"}), /cannot be saved: .*updatedAt/);
        assert.deepEqual(await store.load(saved.id), saved);
    }));

    test("files from a newer version, or holding another chat's id, are reported", () => withStore(async (store, dir) => {
        const newer = newConversationId();
        await writeFile(path.join(dir, `${newer}.json`), JSON.stringify({version: 2, id: newer, everything: "different"}));
        const misnamed = newConversationId();
        await writeFile(path.join(dir, `${misnamed}.json`), JSON.stringify({version: 1, ...chat()}));
        await writeFile(path.join(dir, "notes.json"), "not ours, not reported");
        const {conversations, problems} = await store.list();
        assert.deepEqual(conversations, []);
        assert.deepEqual(problems.map((problem) => [path.basename(problem.file, ".json"), problem.reason]).sort(), [
            [misnamed, `holds conversation ${JSON.stringify(JSON.parse(await readFile(path.join(dir, `${misnamed}.json`), "utf8")).id)}, not the one its name says`],
            [newer, "saved by a newer version of AstroSage (format 2); update the extension to open it"]
        ].sort());
    }));

    test("quick saves of one chat never interleave, and the last one wins", () => withStore(async (store, dir) => {
        const conversation = chat();
        const saves = Array.from({length: 25}, (_, i) => store.save({...conversation, title: `version ${i}`}));
        await Promise.all(saves);
        assert.equal((await store.load(conversation.id))?.title, "version 24");

        // Saves asked for while one is running.
        const running = store.save({...conversation, title: "a"});
        await new Promise((resolve) => setImmediate(resolve));
        const later = [store.save({...conversation, title: "b"}), store.save({...conversation, title: "c"})];
        await Promise.all([running, ...later]);
        assert.equal((await store.load(conversation.id))?.title, "c");
        assert.deepEqual(await readdir(dir), [`${conversation.id}.json`], "no temporary file left behind");
    }));

    test("ids that are not UUIDs are refused, so none can name a path outside the folder", () => withStore(async (store) => {
        const badIds = ["../escape", "..", "", "/etc/passwd", "a/b", "C:\\Windows\\x", `${newConversationId()}.json`,
            `${newConversationId()}\n`, newConversationId().toUpperCase(), `../${newConversationId()}`];
        for (const id of badIds) {
            await assert.rejects(store.save(chat({id})), TypeError, `save ${JSON.stringify(id)}`);
            await assert.rejects(store.load(id), TypeError, `load ${JSON.stringify(id)}`);
            await assert.rejects(store.delete(id), TypeError, `delete ${JSON.stringify(id)}`);
        }
        assert.deepEqual(await store.list(), {conversations: [], problems: []});
    }));
});

describe("write queue", () => {
    test("runs one job at a time per key, and replaces a waiting job with a newer one", async () => {
        const queue = new LatestWinsWriteQueue();
        const events: string[] = [];
        let release!: () => void;
        const job = (name: string, gate?: Promise<void>) => async () => {
            events.push(`start ${name}`);
            await gate;
            events.push(`end ${name}`);
        };
        const first = queue.run("chat", job("1", new Promise((resolve) => release = resolve)));
        await new Promise((resolve) => setImmediate(resolve));
        const second = queue.run("chat", job("2"));
        const third = queue.run("chat", job("3"));
        const other = queue.run("other chat", job("other"));
        assert.equal(second, third, "the replaced save's caller waits for the newer save");
        await other;
        release();
        await Promise.all([first, second, third]);
        assert.deepEqual(events, ["start 1", "start other", "end other", "end 1", "start 3", "end 3"]);
    });

    test("a failed job rejects its callers, and later jobs still run", async () => {
        const queue = new LatestWinsWriteQueue();
        const failing = queue.run("chat", async () => {
            throw new Error("disk full");
        });
        await new Promise((resolve) => setImmediate(resolve)); // started, so the next job is not a replacement
        let ran = false;
        const next = queue.run("chat", async () => {
            ran = true;
        });
        await assert.rejects(failing, /disk full/);
        await next;
        assert.ok(ran);
    });
});

describe("titleFromPrompt", () => {
    const cases: [string, string, string][] = [
        ["a short prompt as it is", "What is a parsec?", "What is a parsec?"],
        ["the first line with words, whitespace collapsed", "\n\n  Compare   the\tCepheid and TRGB distances\nto NGC 4258", "Compare the Cepheid and TRGB distances"],
        ["Markdown markup taken out", "## **Why** is `H0` in [tension](https://example.org)?", "Why is H0 in tension?"],
        ["a code fence's first line skipped", "```python\nimport numpy as np", "import numpy as np"],
        ["LaTeX kept as typed", "Derive $\\rho_c = 3H_0^2/8\\pi G$ for a_1", "Derive $\\rho_c = 3H_0^2/8\\pi G$ for a_1"],
        ["a long prompt cut on a word boundary",
            "Why does the Hubble constant measured from the cosmic microwave background differ from the local value?",
            "Why does the Hubble constant measured from the cosmic…"],
        ["no unpaired dollar at the cut",
            "Estimate the Jeans mass for a molecular cloud with $T = 10\\,\\mathrm{K}$ and $n = 100$",
            "Estimate the Jeans mass for a molecular cloud with…"],
        ["a single long word cut inside", `See ${"x".repeat(80)}`, `See ${"x".repeat(55)}…`],
        ["no words: the fallback", " \n\t\n", "New chat"]
    ];
    for (const [name, prompt, title] of cases)
        test(name, () => assert.equal(titleFromPrompt(prompt), title));

    test("titles are at most 60 characters, counting the ellipsis and whole emoji", () => {
        const title = titleFromPrompt("🔭".repeat(100));
        assert.equal([...title].length, 60);
        assert.ok(title.endsWith("🔭…"));
        assert.equal(titleFromPrompt("one two three four", {maxLength: 10}), "one two…");
    });
});

/**
 * Starts a process that saves `conversation` into `dir` through the real store,
 * with `node:fs/promises` wrapped so the save stops for good at `at`; once it
 * says it has stopped there, kills it with SIGKILL.
 */
async function saveUntilKilled(dir: string, conversation: StoredConversation, at: CrashPoint): Promise<void> {
    // The store calls fs/promises through the module object (tsx compiles
    // imports to property reads), so the wrappers installed here are the ones it
    // uses. If that ever changes, the process never says "stopped" and the test
    // fails rather than passing without a crash.
    const script = `
        const fs = require("node:fs/promises");
        const {open, rename} = fs;
        const at = process.env.CRASH_AT, dir = process.env.DIR;
        const stop = () => {
            process.stdout.write("stopped\\n");
            return new Promise(() => {});
        };
        fs.open = async (file, ...rest) => {
            if (at === "afterRename" && file === dir)
                return stop(); // the folder is opened to sync it, after the rename
            const handle = await open(file, ...rest);
            if (at === "midWrite" && String(file).endsWith(".tmp"))
                handle.writeFile = async (text) => {
                    const bytes = Buffer.from(text);
                    await handle.write(bytes, 0, bytes.length >> 1);
                    return stop();
                };
            return handle;
        };
        fs.rename = async (...args) => (at === "beforeRename" ? stop() : rename(...args));
        const {ConversationStore} = require(${JSON.stringify(path.resolve("src/chat/ConversationStore.ts"))});
        let chat = "";
        process.stdin.setEncoding("utf8").on("data", (data) => chat += data).on("end", () => {
            new ConversationStore(dir).save(JSON.parse(chat)).then(() => process.stdout.write("saved without stopping\\n"));
        });
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "-e", script], {
        env: {...process.env, DIR: dir, CRASH_AT: at},
        stdio: ["pipe", "pipe", "inherit"]
    });
    child.stdin.end(JSON.stringify(conversation));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (data: string) => {
        output += data;
        if (output.includes("stopped\n"))
            child.kill("SIGKILL");
    });
    const signal = await exited.then(() => child.signalCode);
    assert.equal(output, "stopped\n", "the saving process stopped where it was told to");
    assert.equal(signal, "SIGKILL");
}
