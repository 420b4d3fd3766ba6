/**
 * The chat session on the real engine: turns stream to the page in order, are
 * saved after every turn, and stop, regenerate and reopen as the user expects.
 */
import assert from "node:assert/strict";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {ChatSession} from "../../src/chat/ChatSession.ts";
import {ConversationStore} from "../../src/chat/ConversationStore.ts";
import type {HostMessage} from "../../src/chat/webviewProtocol.ts";
import {longScript, writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {makeTempDir} from "../support/tempDir.ts";
import {startHarness, type Harness} from "./engineHarness.ts";

describe("chat session on the engine", () => {
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    let harness: Harness;
    let store: ConversationStore;
    let posted: HostMessage[];
    let session: ChatSession;
    let models: {answer: string; long: string};

    before(async () => {
        temp = await makeTempDir("session");
        models = {
            answer: (await writeScriptedModel(path.join(temp.dir, "answer.gguf"), "<think>Recall the distance.</think>About 765 kpc.")).path,
            long: (await writeScriptedModel(path.join(temp.dir, "long.gguf"), longScript(1500))).path
        };
        harness = startHarness(models.answer);
        store = new ConversationStore(path.join(temp.dir, "conversations"));
        posted = [];
        session = new ChatSession({
            backend: harness.backend,
            saver: store,
            turnSettings: () => ({systemPrompt: "You are AstroSage.", sampling: {temperature: 0, topP: 1, maxTokens: 4096}}),
            post: (message) => posted.push(message),
            log: {error: (message) => assert.fail(message)}
        });
    });
    after(async () => {
        await harness.engine.dispose();
        await temp.remove();
    });

    test("a turn streams to the page and is saved", async () => {
        await session.ask("How far is M31?", {reasoning: false, attachment: {label: "notes.md:3", text: "From notes.md:3:\nM31 distance?"}});
        const started = posted.find((message) => message.type === "turnStarted");
        assert.deepEqual(started && {prompt: started.prompt, context: started.context}, {prompt: "How far is M31?", context: "notes.md:3"});
        const frames = posted.flatMap((message) => message.type === "frame" ? [message.frame] : []);
        assert.equal(frames.at(-1)?.kind, "done");

        const saved = await store.load(session.conversation.id);
        assert.equal(saved?.title, "How far is M31?");
        assert.deepEqual(saved?.messages.map((message) => [message.role, message.text, message.thought]), [
            ["user", "How far is M31?", ""],
            ["assistant", "About 765 kpc.", "Recall the distance."]
        ]);
        assert.equal(saved?.messages[0]?.context, "notes.md:3");
    });

    test("the model receives the selection before the prompt, and no earlier thoughts", () => {
        assert.deepEqual(session.conversation.toModelMessages(), [
            {role: "user", text: "From notes.md:3:\nM31 distance?\n\nHow far is M31?"},
            {role: "assistant", text: "About 765 kpc."}
        ]);
    });

    test("regenerate replaces the last answer, keeping the question", async () => {
        posted.length = 0;
        await session.regenerate({reasoning: false});
        const started = posted.find((message) => message.type === "turnStarted");
        assert.equal(started?.type === "turnStarted" ? started.prompt : "missing", null);
        assert.equal(session.conversation.shown.length, 2);
        assert.equal(session.conversation.shown[1]?.text, "About 765 kpc.");
    });

    test("stop ends a long answer, which is saved as far as it went", async () => {
        harness.settings.modelPath = models.long;
        const asking = session.ask("Tell me everything.", {reasoning: false});
        while (!(session.conversation.shown.at(-1)?.text.length ?? 0))
            await new Promise((resolve) => setTimeout(resolve, 5));
        await session.stop();
        await asking;
        const answer = session.conversation.shown.at(-1);
        assert.equal(answer?.stats?.stopReason, "abort");
        const saved = await store.load(session.conversation.id);
        assert.equal(saved?.messages.at(-1)?.text, answer?.text);
        assert.ok((saved?.messages.length ?? 0) === 4);
    });

    test("a new chat starts empty; the old one is listed and reopens", async () => {
        const oldId = session.conversation.id;
        await session.startNew();
        assert.ok(session.conversation.isEmpty);
        const {conversations} = await store.list();
        assert.equal(conversations[0]?.id, oldId);
        await session.open((await store.load(oldId))!);
        assert.equal(session.conversation.id, oldId);
        assert.equal(session.conversation.shown.length, 4);
        assert.equal(posted.at(-1)?.type, "conversation");
    });
});
