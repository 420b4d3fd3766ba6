import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {parseEngineEvent, parseEngineRequest} from "../../src/engine/protocol.ts";
import {macrosForPage, parseHostMessage, parseViewMessage} from "../../src/chat/webviewProtocol.ts";

const chat = {
    type: "chat",
    id: "r1",
    messages: [{role: "user", text: "What is a parsec?"}],
    systemPrompt: "You are AstroSage.",
    reasoning: false,
    sampling: {temperature: 0.7, topP: 0.9, maxTokens: 256}
};

describe("engine protocol", () => {
    test("accepts well-formed requests and events", () => {
        assert.deepEqual(parseEngineRequest(chat), chat);
        const load = {type: "load", id: "r2", modelPath: "/m.gguf", contextSize: 8192, threads: 0, gpu: "auto"};
        assert.deepEqual(parseEngineRequest(load), load);
        const done = {type: "done", id: "r1", stats: {promptTokens: 5, generatedTokens: 3, timeToFirstTokenMs: 1, tokensPerSecond: 9, durationMs: 4, thoughtTokens: 0, thoughtMs: 0, stopReason: "eogToken"}};
        assert.deepEqual(parseEngineEvent(done), done);
    });

    const malformedRequests: [string, unknown][] = [
        ["not an object", "chat"],
        ["null", null],
        ["unknown type", {type: "explode", id: "r1"}],
        ["missing id", {...chat, id: undefined}],
        ["empty id", {...chat, id: ""}],
        ["no messages", {...chat, messages: []}],
        ["a message with an unknown role", {...chat, messages: [{role: "system", text: "x"}]}],
        ["a message without text", {...chat, messages: [{role: "user"}]}],
        ["temperature out of range", {...chat, sampling: {...chat.sampling, temperature: 7}}],
        ["fractional maxTokens", {...chat, sampling: {...chat.sampling, maxTokens: 1.5}}],
        ["reasoning as a string", {...chat, reasoning: "yes"}],
        ["load without a path", {type: "load", id: "r2", modelPath: "", contextSize: 8192, threads: 0, gpu: "auto"}],
        ["load with an unknown gpu", {type: "load", id: "r2", modelPath: "/m", contextSize: 8192, threads: 0, gpu: "cuda"}],
        ["abort without target", {type: "abort", id: "r3"}]
    ];
    for (const [name, message] of malformedRequests)
        test(`rejects a request: ${name}`, () => assert.throws(() => parseEngineRequest(message)));

    const malformedEvents: [string, unknown][] = [
        ["text without id", {type: "text", text: "x"}],
        ["error with an unknown code", {type: "error", id: "r1", code: "oops", message: "x"}],
        ["done without stats", {type: "done", id: "r1"}],
        ["done with an unknown stop reason", {type: "done", id: "r1", stats: {promptTokens: 1, generatedTokens: 1, timeToFirstTokenMs: 1, tokensPerSecond: 1, durationMs: 1, stopReason: "tired"}}],
        ["load progress above 1", {type: "loadProgress", id: "r1", progress: 1.5}],
        ["log with an unknown level", {type: "log", level: "shout", message: "x"}]
    ];
    for (const [name, message] of malformedEvents)
        test(`rejects an event: ${name}`, () => assert.throws(() => parseEngineEvent(message)));
});

describe("webview protocol", () => {
    test("accepts the page's messages", () => {
        const send = {type: "send", text: "Hi", reasoning: true, includeSelection: false};
        assert.deepEqual(parseViewMessage(send).message, send);
        assert.deepEqual(parseViewMessage({type: "noticeAction", action: "selectModelFile"}).message, {type: "noticeAction", action: "selectModelFile"});
    });

    test("the page cannot name a command to run", () => {
        const result = parseViewMessage({type: "noticeAction", action: "workbench.action.terminal.new"});
        assert.equal(result.message, undefined);
        assert.match(result.problem ?? "", /action/);
    });

    test("links and clipboard requests carry only text", () => {
        assert.equal(parseViewMessage({type: "openLink", href: {toString: "javascript:alert(1)"}}).message, undefined);
        assert.equal(parseViewMessage({type: "copy"}).message, undefined);
    });

    test("rejects empty prompts and unknown messages", () => {
        assert.equal(parseViewMessage({type: "send", text: "", reasoning: false, includeSelection: false}).message, undefined);
        assert.equal(parseViewMessage({type: "send", text: "Hi"}).message, undefined, "reasoning and selection must be said");
        assert.equal(parseViewMessage({type: "runCommand", command: "x"}).message, undefined);
    });

    test("the page rejects frames that are not frames", () => {
        assert.equal(parseHostMessage({type: "frame", requestId: "r", frame: {kind: "html", html: "<img>"}}).message, undefined);
        assert.ok(parseHostMessage({type: "frame", requestId: "r", frame: {kind: "text", text: "<img>"}}).message);
    });
});

describe("a manuscript's macros on their way to the page", () => {
    test("odd definitions are left out, not the message", () => {
        const macros = macrosForPage({"\\msun": "M_\\odot", "\\bvec": "{\\boldsymbol{#1}}", "\\a1": "x", "msun": "y", "\\huge": "x".repeat(5000)});
        assert.deepEqual(macros, {"\\msun": "M_\\odot", "\\bvec": "{\\boldsymbol{#1}}"});
        const message = {type: "turnStarted", requestId: "r", prompt: "Summarize", macros};
        assert.deepEqual(parseHostMessage(message).message, message);
        assert.match(parseHostMessage({...message, macros: {"\\huge": "x".repeat(5000)}}).problem ?? "", /macros/);
    });
});
