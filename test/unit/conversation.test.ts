import assert from "node:assert/strict";
import {test} from "node:test";
import {Conversation} from "../../src/chat/Conversation.ts";

const stats = {promptTokens: 1, generatedTokens: 1, timeToFirstTokenMs: 1, tokensPerSecond: 1, durationMs: 1, thoughtTokens: 0, thoughtMs: 0, stopReason: "eogToken"} as const;

test("the model sees answers without their thoughts", () => {
    const conversation = new Conversation();
    conversation.startTurn("How far is M31?");
    conversation.apply({kind: "thought", text: "Recall the distance."});
    conversation.apply({kind: "text", text: "About 765 kpc."});
    conversation.apply({kind: "done", stats});
    assert.deepEqual(conversation.toModelMessages(), [
        {role: "user", text: "How far is M31?"},
        {role: "assistant", text: "About 765 kpc."}
    ]);
    assert.equal(conversation.shown[1]?.thought, "Recall the distance.");
});

test("a turn that failed before any answer is shown but not sent again", () => {
    const conversation = new Conversation();
    conversation.startTurn("First");
    conversation.apply({kind: "error", code: "engineCrashed", message: "The engine stopped."});
    conversation.startTurn("Second");
    assert.deepEqual(conversation.toModelMessages(), [{role: "user", text: "Second"}]);
    assert.equal(conversation.shown.length, 4);
    assert.equal(conversation.shown[1]?.error, "The engine stopped.");
});

test("a partial answer cut by a crash is kept, for the user and the model", () => {
    const conversation = new Conversation();
    conversation.startTurn("Explain redshift");
    conversation.apply({kind: "text", text: "Redshift is"});
    conversation.apply({kind: "error", code: "engineCrashed", message: "The engine stopped."});
    assert.deepEqual(conversation.toModelMessages(), [
        {role: "user", text: "Explain redshift"},
        {role: "assistant", text: "Redshift is"}
    ]);
});
