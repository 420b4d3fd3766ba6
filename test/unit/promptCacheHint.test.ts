/**
 * A paper chat's fixed beginning, from the attachment to the engine request:
 * the conversation derives its prompt cache hint, keeps it in its saved file
 * (older files still load), the session sends it with every turn, and the
 * engine protocol checks the state and date fields that carry it on.
 */
import assert from "node:assert/strict";
import {createHash} from "node:crypto";
import {describe, test} from "node:test";
import {ChatSession} from "../../src/chat/ChatSession.ts";
import {Conversation} from "../../src/chat/Conversation.ts";
import {formatConversationFile, parseConversationFile} from "../../src/chat/store/storedConversation.ts";
import type {ChatBackend, ChatTurn} from "../../src/core/chatTypes.ts";
import {parseEngineEvent, parseEngineRequest} from "../../src/engine/protocol.ts";

const manuscript = "\\section{Introduction} The stellar disk of the Milky Way …";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("prompt cache hint", () => {
    test("a document sent with the first prompt becomes the conversation's fixed beginning", () => {
        const conversation = new Conversation();
        conversation.startTurn("What is the main result?", {label: "disk.tex", text: manuscript, document: "/papers/disk.tex"});
        assert.deepEqual(conversation.promptCache, {key: sha256(manuscript), document: "/papers/disk.tex"});
        assert.equal(conversation.toModelMessages()[0]?.text, `${manuscript}\n\nWhat is the main result?`);

        conversation.apply({kind: "text", text: "A thin disk."});
        conversation.startTurn("And the thick disk?", {label: "other.tex", text: "other", document: "/papers/other.tex"});
        assert.deepEqual(conversation.promptCache, {key: sha256(manuscript), document: "/papers/disk.tex"}, "only the first message begins the conversation");
    });

    test("a selection, or a document after the first prompt, gives no hint", () => {
        const selection = new Conversation();
        selection.startTurn("Explain this.", {label: "fit.py:1-9", text: "def fit(): ..."});
        assert.equal(selection.promptCache, undefined);

        const later = new Conversation();
        later.startTurn("Hello?");
        later.startTurn("Now this paper.", {label: "disk.tex", text: manuscript, document: "/papers/disk.tex"});
        assert.equal(later.promptCache, undefined);
        assert.equal("promptCache" in later.toStored(), false);
    });

    test("the hint is saved with the conversation and read back; files without it still load", () => {
        const conversation = new Conversation();
        conversation.startTurn("What is the main result?", {label: "disk.tex", text: manuscript, document: "/papers/disk.tex"});
        const stored = conversation.toStored();
        const parsed = parseConversationFile(formatConversationFile(stored), stored.id);
        assert.deepEqual(parsed.conversation?.promptCache, {key: sha256(manuscript), document: "/papers/disk.tex"});
        assert.deepEqual(new Conversation(parsed.conversation).promptCache, conversation.promptCache);

        const {promptCache: _hint, ...older} = stored;
        const olderFile = formatConversationFile(older);
        assert.doesNotMatch(olderFile, /promptCache/);
        const olderParsed = parseConversationFile(olderFile, stored.id);
        assert.equal(olderParsed.problem, undefined);
        assert.equal(new Conversation(olderParsed.conversation).promptCache, undefined);

        const damaged = JSON.parse(formatConversationFile(stored));
        damaged.promptCache = {key: "", document: "/papers/disk.tex"};
        assert.match(parseConversationFile(JSON.stringify(damaged), stored.id).problem ?? "", /not a valid conversation/);
    });

    test("the session sends the hint with every turn, regenerations included", async () => {
        const turns: ChatTurn[] = [];
        const backend: ChatBackend = {
            chat: async (turn, onFrame) => {
                turns.push(turn);
                onFrame({kind: "text", text: "An answer."});
                onFrame({kind: "done", stats: {promptTokens: 1, generatedTokens: 1, timeToFirstTokenMs: 1, tokensPerSecond: 1, durationMs: 1, thoughtTokens: 0, thoughtMs: 0, stopReason: "eogToken"}});
            }
        };
        const session = new ChatSession({
            backend,
            turnSettings: () => ({systemPrompt: "You are AstroSage.", sampling: {temperature: 0, topP: 1, maxTokens: 16}}),
            post: () => {},
            log: {error: (message) => assert.fail(message)}
        });
        await session.ask("What is the main result?", {reasoning: false, attachment: {label: "disk.tex", text: manuscript, document: "/papers/disk.tex"}});
        await session.ask("And the thick disk?", {reasoning: false});
        await session.regenerate({reasoning: true});
        const hint = {key: sha256(manuscript), document: "/papers/disk.tex"};
        assert.deepEqual(turns.map((turn) => turn.promptCache), [hint, hint, hint]);

        await session.startNew();
        await session.ask("Hello?", {reasoning: false});
        assert.equal(turns.at(-1)?.promptCache, undefined);
    });
});

describe("engine protocol: prompt states", () => {
    const chat = {
        type: "chat",
        id: "r1",
        messages: [{role: "user", text: "What is the main result?"}],
        systemPrompt: "You are AstroSage.",
        reasoning: false,
        sampling: {temperature: 0.7, topP: 0.9, maxTokens: 256}
    };
    const saved = {bytes: 201_326_592, tokens: 6144, crc32: 0xdead_beef};

    test("a chat request may name a state file, what it holds, and the preamble date", () => {
        for (const request of [
            {...chat, todayDate: "2025-03-14", state: {path: "/storage/prompt-states/ab.state"}},
            {...chat, todayDate: "2025-03-14", state: {path: "/storage/prompt-states/ab.state", saved}}
        ])
            assert.deepEqual(parseEngineRequest(request), request);
    });

    const malformed: [string, unknown][] = [
        ["a date that is not YYYY-MM-DD", {...chat, todayDate: "14 Mar 2025"}],
        ["a state without a path", {...chat, state: {saved}}],
        ["a state with an empty path", {...chat, state: {path: ""}}],
        ["a saved state with a fractional size", {...chat, state: {path: "/s.state", saved: {...saved, bytes: 1.5}}}],
        ["a checksum above 32 bits", {...chat, state: {path: "/s.state", saved: {...saved, crc32: 2 ** 32}}}]
    ];
    for (const [name, request] of malformed)
        test(`rejects ${name}`, () => assert.throws(() => parseEngineRequest(request)));

    test("the engine reports what it did with the state", () => {
        for (const event of [
            {type: "stateLoaded", id: "r1", bytes: saved.bytes, tokens: saved.tokens, ms: 212.5},
            {type: "stateRejected", id: "r1", reason: "its checksum does not match; it is damaged"},
            {type: "stateSaved", id: "r1", saved, ms: 480}
        ])
            assert.deepEqual(parseEngineEvent(event), event);
        assert.throws(() => parseEngineEvent({type: "stateSaved", id: "r1", saved: {bytes: 1, tokens: 1}, ms: 1}), "a saved state needs its checksum");
    });

    test("a loaded model says which file it is", () => {
        const model = {path: "/m.gguf", name: "AstroSage", contextSize: 8192, threads: 4, gpu: false, chatWrapper: "AstroSage (Llama 3.1)"};
        assert.throws(() => parseEngineEvent({type: "loaded", id: "r1", model}));
        const loaded = {type: "loaded", id: "r1", model: {...model, fileBytes: 4_920_734_016, fileModifiedMs: 1_741_950_000_000.5}};
        assert.deepEqual(parseEngineEvent(loaded), loaded);
    });
});
