/**
 * The server backend against a real llama-server (llama.cpp, built from the
 * source node-llama-cpp carries) serving scripted AstroSage-format models on
 * 127.0.0.1: streamed answers, reasoning inline and in `reasoning_content`,
 * abort, the review's schema, a server killed mid-answer. A recording proxy
 * (test/support/faultProxy.ts) shows what the extension sent.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {buildManuscript} from "../../src/latex/buildManuscript.ts";
import {diskSourceReader} from "../../src/latex/SourceReader.ts";
import {REVIEW_JSON_SCHEMA} from "../../src/review/reviewSchema.ts";
import {runReview, type ReviewPartResult} from "../../src/review/runReview.ts";
import {ask, startHarness, turn} from "../engine/engineHarness.ts";
import {startFaultProxy, type FaultProxy} from "../support/faultProxy.ts";
import {longScript, writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {THOUGHT_AWARE_CHAT_TEMPLATE} from "../support/gguf/thoughtChatTemplate.ts";
import {startLlamaServer, type LlamaServer} from "../support/llamaServer.ts";
import {makeTempDir} from "../support/tempDir.ts";
import {backendFor, type Log} from "./serverHarness.ts";

const farrRoot = path.resolve("test/fixtures/latex/farr-normalnormal/src/tex/ms.tex");
const farrText = readFileSync(farrRoot, "utf8");
const exactQuote = "suggested that the method may not converge to a consistent posterior";
const reviewAnswer = JSON.stringify({findings: [
    {quote: exactQuote, category: "correctness", severity: "major", comment: "Say which convergence criterion fails.", suggestion: null}
]});


describe("Server backend on llama-server", () => {
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    const servers: LlamaServer[] = [];
    const proxies: FaultProxy[] = [];

    /** A llama-server answering `script`, behind a recording proxy. */
    const serve = async (name: string, script: string, options: {chatTemplate?: string; reasoningFormat?: "none" | "deepseek"; contextSize?: number} = {}) => {
        const model = await writeScriptedModel(path.join(temp.dir, `${name}.gguf`), script, options.chatTemplate == null ? {} : {chatTemplate: options.chatTemplate});
        const server = await startLlamaServer({model: model.path, contextSize: options.contextSize ?? 4096, ...(options.reasoningFormat == null ? {} : {reasoningFormat: options.reasoningFormat})});
        servers.push(server);
        const proxy = await startFaultProxy(server.port);
        proxies.push(proxy);
        return {server, proxy, model};
    };

    before(async () => {
        temp = await makeTempDir("astrosage-server-");
    });

    after(async () => {
        await Promise.all(proxies.map((proxy) => proxy.close()));
        await Promise.all(servers.map((server) => server.stop()));
        await temp.remove();
    });

    test("an answer streams piece by piece; a thought written inline is folded apart; the server's token counts are the stats", async () => {
        const {proxy, model} = await serve("inline", "<think> Recall the distance modulus. </think> The Andromeda galaxy is about 765 kpc away.");
        const pieces: string[] = [];
        const answer = await ask(backendFor({baseUrl: proxy.baseUrl}), turn("How far is M31?"), {onFrame: (frame) => frame.kind === "text" && pieces.push(frame.text)});
        assert.equal(answer.thought, " Recall the distance modulus. ");
        assert.equal(answer.text, " The Andromeda galaxy is about 765 kpc away.");
        assert.ok(pieces.length >= 5, `streamed in ${pieces.length} pieces`);
        assert.equal(answer.final.kind, "done");
        if (answer.final.kind !== "done")
            return;
        assert.equal(answer.final.stats.stopReason, "eogToken", JSON.stringify(answer.final.stats));
        // The server counts the script's tokens, tags included, and the end-of-turn token.
        assert.equal(answer.final.stats.generatedTokens, model.scriptTokenCount + 1);
        assert.ok(answer.final.stats.promptTokens > 10);
        assert.ok(answer.final.stats.thoughtTokens >= 3);

        const sent = proxy.requests.find((request) => request.path === "/v1/chat/completions")!.body as Record<string, unknown>;
        assert.deepEqual(sent.messages, [
            {role: "system", content: "You are AstroSage, an astronomy research assistant."},
            {role: "user", content: "How far is M31?"}
        ]);
        assert.deepEqual([sent.model, sent.stream, sent.temperature, sent.max_tokens], ["astrosage-test", true, 0, 4096]);
        assert.equal(sent.response_format, undefined);
    });

    test("reasoning is asked for the paper's way: `detailed thinking on` and the answer continued from `<think>`", async () => {
        // The prefill opened the thought: the model's answer starts inside it.
        const {proxy} = await serve("prefill", "Recall the Eddington limit. </think> About 3.2e4 solar luminosities.");
        const answer = await ask(backendFor({baseUrl: proxy.baseUrl}), turn("Eddington luminosity of the Sun?", {reasoning: true}));
        assert.equal(answer.thought, "Recall the Eddington limit. ");
        assert.equal(answer.text, " About 3.2e4 solar luminosities.");
        const sent = proxy.requests.at(-1)!.body as Record<string, unknown>;
        assert.deepEqual(sent.messages, [
            {role: "system", content: "detailed thinking on"},
            {role: "user", content: "Eddington luminosity of the Sun?"},
            {role: "assistant", content: "<think>\n"}
        ]);
        assert.deepEqual([sent.continue_final_message, sent.add_generation_prompt], [true, false]);
    });

    test("a thought the server sends in `reasoning_content` is folded the same way", async () => {
        const {proxy} = await serve("field", "<think> Check the units. </think> The Hubble time is about 14 Gyr.",
            {chatTemplate: THOUGHT_AWARE_CHAT_TEMPLATE, reasoningFormat: "deepseek"});
        let sawField = false;
        const backend = backendFor({baseUrl: proxy.baseUrl});
        const answer = await ask(backend, turn("Hubble time?"));
        assert.equal(answer.thought, " Check the units. ");
        assert.equal(answer.text, " The Hubble time is about 14 Gyr.");
        // The same request straight to the server: the thought really came in its own field.
        const direct = await fetch(`${proxy.baseUrl}/chat/completions`, {method: "POST", headers: {"Content-Type": "application/json"},
            body: JSON.stringify({messages: [{role: "user", content: "Hubble time?"}], max_tokens: 64})});
        const message = (await direct.json() as {choices: {message: {content: string; reasoning_content?: string}}[]}).choices[0]!.message;
        sawField = message.reasoning_content?.includes("Check the units.") === true && !message.content.includes("<think>");
        assert.ok(sawField, `the server put the thought in reasoning_content: ${JSON.stringify(message)}`);

        // With reasoning on, the prefilled turn's thought arrives in the field too, and the content is the answer alone.
        const reasoned = await ask(backend, turn("Hubble time?", {reasoning: true}));
        assert.match(reasoned.thought, /Check the units\./);
        assert.equal(reasoned.text.trim(), "The Hubble time is about 14 Gyr.");
    });

    test("Stop closes the stream: the turn ends as stopped, and the server cancels the generation", async () => {
        const {server, proxy} = await serve("long", longScript(1500));
        const controller = new AbortController();
        let pieces = 0;
        const answer = await ask(backendFor({baseUrl: proxy.baseUrl}), turn("Tell me everything."), {
            signal: controller.signal,
            onFrame: (frame) => {
                if (frame.kind === "text" && ++pieces === 20)
                    controller.abort();
            }
        });
        assert.equal(answer.final.kind, "done");
        assert.equal(answer.final.kind === "done" && answer.final.stats.stopReason, "abort");
        assert.ok(answer.text.length > 0);
        // llama-server notices the closed connection and stops the task well before the script's end.
        const deadline = Date.now() + 10_000;
        while (!/cancel task/.test(server.log()) && Date.now() < deadline)
            await new Promise((resolve) => setTimeout(resolve, 50));
        assert.match(server.log(), /cancel task/);
        const slots = await (await fetch(`http://127.0.0.1:${server.port}/slots`)).json() as {is_processing: boolean}[];
        assert.equal(slots[0]!.is_processing, false);
    });

    test("a server killed mid-answer: a clear error, and what arrived is kept", async () => {
        const {server} = await serve("killed", longScript(1500));
        let killing: Promise<void> | undefined;
        const answer = await ask(backendFor({baseUrl: server.baseUrl}), turn("Tell me everything."), {
            onFrame: (_frame, sofar) => {
                if (killing == null && sofar.text.length > 100)
                    killing = server.kill();
            }
        });
        await killing;
        assert.equal(answer.final.kind, "error");
        if (answer.final.kind !== "error")
            return;
        assert.equal(answer.final.code, "serverFailed");
        assert.match(answer.final.message, /^The connection to http:\/\/127\.0\.0\.1:\d+ broke off during the answer \(.+\)\. What arrived is kept; ask again to get the rest\.$/);
        assert.ok(answer.text.length > 100, "the streamed part was delivered before the error");
    });

    test("the model list is the connection test; the context size the server reports plans summaries", async () => {
        const {server} = await serve("list", "Hello.");
        const backend = backendFor({baseUrl: server.baseUrl});
        const report = await backend.testConnection({baseUrl: server.baseUrl, model: "", timeoutMs: 5000, headers: {}}, new AbortController().signal);
        assert.equal(report.ok, true);
        assert.deepEqual(report.ok && report.models, [{id: "astrosage-test", contextSize: 4096}]);
        assert.equal(backend.knownContextSize(server.baseUrl, ""), 4096);
        assert.equal(backend.knownContextSize(server.baseUrl, "astrosage-test"), 4096);
    });

    test("tokens are counted with the server's tokenizer (`/tokenize`): the count the local engine gives for the same model", async () => {
        const {server, model} = await serve("count", "Hello.");
        const text = readFileSync(farrRoot, "utf8").slice(0, 4000);
        const served = await backendFor({baseUrl: server.baseUrl}).countTokens(text, new AbortController().signal);
        const local = startHarness(model.path);
        try {
            const counted = await local.backend.countTokens(text, new AbortController().signal);
            assert.ok(counted != null && counted > 500, `the engine counted ${counted}`);
            assert.equal(served, counted);
        } finally {
            await local.engine.dispose();
        }
    });

    describe("the review's findings under the server's structured output", () => {
        const manuscript = buildManuscript(farrRoot, diskSourceReader());

        const review = async (baseUrl: string, reasoning: boolean, log: Log = {info: [], warn: []}) => {
            const parts: ReviewPartResult[] = [];
            let thought = "";
            await runReview({
                backend: backendFor({baseUrl}, log), manuscript: await manuscript, scope: {kind: "document"}, contextSize: 16384,
                sampling: {temperature: 0, topP: 1, maxTokens: 2048}, reasoning,
                fileText: (file) => readFileSync(file, "utf8"), onPart: (part) => parts.push(part),
                onThought: (text) => thought += text, signal: new AbortController().signal
            });
            return {parts, thought, log};
        };

        test("the schema goes as `response_format`; the findings land on the exact words of the file", async () => {
            const {proxy} = await serve("review", reviewAnswer, {contextSize: 16384});
            const {parts} = await review(proxy.baseUrl, false);
            const intro = parts.find((part) => part.heading === "§1 Introduction")!;
            assert.equal(intro.problem, undefined);
            const [finding] = intro.findings;
            assert.equal(farrText.slice(finding!.range!.start, finding!.range!.end), exactQuote);
            assert.equal(finding!.range!.startLine, 47);
            const sent = proxy.requests.filter((request) => request.path === "/v1/chat/completions").map((request) => request.body as Record<string, unknown>);
            assert.equal(sent.length, parts.length);
            for (const body of sent)
                assert.deepEqual(body.response_format, {type: "json_schema", json_schema: {name: "astrosage_answer", strict: true, schema: REVIEW_JSON_SCHEMA}});
        });

        test("the server holds an answer that is not a review to the schema: an empty review, no crash", async () => {
            const {proxy} = await serve("prose", "The manuscript is clear and I have no comments on it.", {contextSize: 16384});
            const {parts} = await review(proxy.baseUrl, false);
            assert.ok(parts.length >= 1);
            for (const part of parts)
                assert.deepEqual({findings: part.findings, problem: part.problem}, {findings: [], problem: undefined});
        });

        test("a server that ignores the schema: the answer is checked here, and the review says what was wrong", async () => {
            const {proxy} = await serve("ignored", "The manuscript is clear and I have no comments on it.", {contextSize: 16384});
            proxy.fault = {kind: "dropSchema"};
            const {parts} = await review(proxy.baseUrl, false);
            for (const part of parts) {
                assert.deepEqual(part.findings, []);
                assert.equal(part.problem, "The answer is not a review in the expected format: \"The manuscript is clear and I have no comments on it.\"");
            }
        });

        test("with reasoning: the thought first, then the findings after it; the thought goes to the chat, not the findings", async () => {
            const {proxy} = await serve("reasoned", `<think> Check the convergence claim. </think>${reviewAnswer}`, {contextSize: 16384});
            const {parts, thought, log} = await review(proxy.baseUrl, true);
            assert.match(thought, /Check the convergence claim\./);
            const intro = parts.find((part) => part.heading === "§1 Introduction")!;
            assert.equal(intro.problem, undefined);
            assert.equal(intro.findings.length, 1);
            assert.ok(intro.findings.every((finding) => !finding.comment.includes("convergence claim")));
            const sent = proxy.requests.filter((request) => request.path === "/v1/chat/completions").map((request) => request.body as {messages: {role: string; content: string}[]; stop?: string[]; response_format?: unknown});
            // The thought request stops at the closing tag; the answer continues after it.
            assert.deepEqual(sent[0]!.stop, ["</think>"]);
            assert.deepEqual(sent[0]!.messages.at(-1), {role: "assistant", content: "<think>\n"});
            assert.equal(sent[1]!.messages.at(-1)!.content, "<think>\nCheck the convergence claim.\n</think>");
            // llama-server refuses a schema on continued text that is not JSON; the answer is then checked here.
            assert.ok(sent[1]!.response_format != null);
            assert.equal(sent[2]!.response_format, undefined);
            assert.equal(log.warn.length, 1);
            assert.match(log.warn[0]!, /does not hold an answer that continues a thought to a schema/);
            // Remembered: the next parts go straight to the free answer.
            assert.equal(sent.length, 3 + (parts.length - 1) * 2);
        });
    });
});
