/**
 * How the server backend fails: every way a server can refuse or break ends the
 * turn with a message that says what happened and what to do, and no secret
 * ever reaches a message or the log. The real llama-server answers 401 itself
 * (`--api-key`); what it cannot be made to do (429 with `Retry-After`, silence,
 * an error page quoting the request) comes from the proxy in front of it.
 */
import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {readFileSync} from "node:fs";
import https from "node:https";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {ask, turn, type Answer} from "../engine/engineHarness.ts";
import {startFaultProxy, type FaultProxy} from "../support/faultProxy.ts";
import {writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {startLlamaServer, type LlamaServer} from "../support/llamaServer.ts";
import {makeTempDir} from "../support/tempDir.ts";
import {backendFor, type Log} from "./serverHarness.ts";

const answerScript = "The Andromeda galaxy is about 765 kpc away.";
const apiKey = "sk-astro-7f3a9c1e5b2d";
const gatewayToken = "gw-project-token-42a1";


function errorOf(answer: Answer): {code: string; message: string} {
    assert.equal(answer.final.kind, "error", `expected an error, got ${JSON.stringify(answer.final)}`);
    const {code, message} = answer.final as {code: string; message: string};
    return {code, message};
}

describe("Server backend failures", () => {
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    let server: LlamaServer;
    let locked: LlamaServer;
    let proxy: FaultProxy;

    before(async () => {
        temp = await makeTempDir("astrosage-server-failures-");
        const model = await writeScriptedModel(path.join(temp.dir, "answer.gguf"), answerScript);
        server = await startLlamaServer({model: model.path});
        locked = await startLlamaServer({model: model.path, apiKey});
        proxy = await startFaultProxy(server.port);
    });

    after(async () => {
        await proxy.close();
        await Promise.all([server.stop(), locked.stop()]);
        await temp.remove();
    });

    test("no server listening: the connection is refused, and the message says where to look", async () => {
        const {port} = await startAndClose();
        const answer = await ask(backendFor({baseUrl: `http://127.0.0.1:${port}/v1`}), turn("Hello?"));
        assert.deepEqual(errorOf(answer), {
            code: "serverUnreachable",
            message: `http://127.0.0.1:${port} refused the connection: no server is listening there. Check the host and port in astrosage.server.url, and that the server is running.`
        });
    });

    test("an API key: refused without it (401, what the server said quoted), answered with it; the key never shows", async () => {
        const log: Log = {info: [], warn: []};
        const refused = errorOf(await ask(backendFor({baseUrl: locked.baseUrl}, log), turn("Hello?")));
        assert.equal(refused.code, "serverAuth");
        assert.match(refused.message, /^http:\/\/127\.0\.0\.1:\d+ refused the request \(401 Unauthorized\): it needs an API key, or the one stored is wrong\. Run "AstroSage: Set Server API Key…"\. The server said: "Invalid API Key"$/);

        const wrong = errorOf(await ask(backendFor({baseUrl: locked.baseUrl, apiKey: "sk-wrong-key-0000"}, log), turn("Hello?")));
        assert.equal(wrong.code, "serverAuth");
        assert.ok(!wrong.message.includes("sk-wrong-key-0000"));

        const answer = await ask(backendFor({baseUrl: locked.baseUrl, apiKey}, log), turn("Hello?"));
        assert.equal(answer.text, answerScript);
        assert.ok([...log.info, ...log.warn].every((line) => !line.includes(apiKey) && !line.includes("sk-wrong-key-0000")));
    });

    test("a gateway's error page that quotes the request's headers: the key and header values are blanked out", async () => {
        proxy.fault = {kind: "echoHeaders"};
        const log: Log = {info: [], warn: []};
        try {
            const failed = errorOf(await ask(backendFor({baseUrl: proxy.baseUrl, apiKey, headers: {"X-Gateway-Token": gatewayToken}}, log), turn("Hello?")));
            assert.equal(failed.code, "serverFailed");
            assert.match(failed.message, /failed to answer \(500 Internal Server Error\): the problem is on the server\./);
            assert.match(failed.message, /"authorization":"Bearer •••"/);
            assert.match(failed.message, /"x-gateway-token":"•••"/);
            for (const text of [failed.message, ...log.info, ...log.warn]) {
                assert.ok(!text.includes(apiKey), text);
                assert.ok(!text.includes(gatewayToken), text);
            }
        } finally {
            proxy.fault = undefined;
        }
    });

    test("extra headers reach the server with every request", async () => {
        proxy.requests.length = 0;
        await ask(backendFor({baseUrl: proxy.baseUrl, headers: {"X-Project": "survey-42"}}), turn("Hello?"));
        assert.ok(proxy.requests.length >= 2);
        assert.ok(proxy.requests.every((request) => request.headers["x-project"] === "survey-42"));
    });

    test("429 with a short Retry-After is waited out, then answered", async () => {
        const log: Log = {info: [], warn: []};
        const backend = backendFor({baseUrl: proxy.baseUrl}, log);
        await backend.testConnection({baseUrl: proxy.baseUrl, model: "", timeoutMs: 5000, headers: {}}, new AbortController().signal);
        proxy.requests.length = 0;
        proxy.fault = {kind: "status", status: 429, retryAfter: "1", times: 1};
        const answer = await ask(backend, turn("Hello?"));
        assert.equal(answer.text, answerScript);
        assert.equal(proxy.requests.filter((request) => request.path === "/v1/chat/completions").length, 2);
        assert.deepEqual(log.info.map((line) => line.replace(/:\d+/, ":PORT")), ["127.0.0.1:PORT asked to wait 1 s (429); trying again then."]);
    });

    test("429 asking for a long wait: the message says how long, and the request is not repeated", async () => {
        const backend = backendFor({baseUrl: proxy.baseUrl});
        await backend.testConnection({baseUrl: proxy.baseUrl, model: "", timeoutMs: 5000, headers: {}}, new AbortController().signal);
        proxy.requests.length = 0;
        proxy.fault = {kind: "status", status: 429, retryAfter: "120", body: JSON.stringify({error: {message: "Rate limit: 20 requests per minute"}})};
        try {
            const busy = errorOf(await ask(backend, turn("Hello?")));
            assert.equal(busy.code, "serverBusy");
            assert.match(busy.message, /is limiting requests \(429 Too Many Requests\)\. It asks to wait 2 min\. The server said: "Rate limit: 20 requests per minute"$/);
            assert.equal(proxy.requests.filter((request) => request.path === "/v1/chat/completions").length, 1);
        } finally {
            proxy.fault = undefined;
        }
    });

    test("a 5xx quotes what the server said", async () => {
        proxy.fault = {kind: "status", status: 500, body: JSON.stringify({error: {message: "CUDA error: out of memory"}}), times: 2};
        const failed = errorOf(await ask(backendFor({baseUrl: proxy.baseUrl, model: "astrosage-test"}), turn("Hello?")));
        proxy.fault = undefined;
        assert.equal(failed.code, "serverFailed");
        assert.match(failed.message, /failed to answer \(500 Internal Server Error\): the problem is on the server\. Try again; if it persists, tell its administrators\. The server said: "CUDA error: out of memory"$/);
    });

    test("a server that goes silent is given up on after the timeout", async () => {
        proxy.fault = {kind: "silent"};
        try {
            const silent = errorOf(await ask(backendFor({baseUrl: proxy.baseUrl, model: "astrosage-test", timeoutMs: 1000}), turn("Hello?")));
            assert.equal(silent.code, "serverUnreachable");
            assert.match(silent.message, /did not answer within 1 s\. The server may be busy or stuck; try again, or raise astrosage\.server\.timeoutSeconds for a slow server\.$/);
        } finally {
            proxy.fault = undefined;
        }
    });

    test("something that is not an OpenAI-compatible API (a web page at the URL) is named as such", async () => {
        proxy.fault = {kind: "status", status: 200, body: "<html><body>Welcome to the observatory portal</body></html>", times: 1};
        const report = await backendFor({baseUrl: proxy.baseUrl}).testConnection({baseUrl: proxy.baseUrl, model: "", timeoutMs: 5000, headers: {}}, new AbortController().signal);
        assert.equal(report.ok, false);
        assert.match(!report.ok ? report.error.message : "", /answered with something that is not JSON \(application\/json\)\. Check that astrosage\.server\.url is the API's base URL \(usually ending in \/v1\)\.$/);
    });

    test("a server that does not continue an assistant turn gets the reasoning prompt alone, from then on", async () => {
        const log: Log = {info: [], warn: []};
        const backend = backendFor({baseUrl: proxy.baseUrl, model: "astrosage-test"}, log);
        await backend.testConnection({baseUrl: proxy.baseUrl, model: "", timeoutMs: 5000, headers: {}}, new AbortController().signal);
        proxy.requests.length = 0;
        proxy.fault = {kind: "status", status: 400, body: JSON.stringify({error: {message: "continue_final_message is not supported"}}), times: 1};
        const answer = await ask(backend, turn("Hello?", {reasoning: true}));
        assert.equal(answer.text, answerScript);
        await ask(backend, turn("Again?", {reasoning: true}));
        const sent = proxy.requests.map((request) => request.body as {messages: {role: string; content: string}[]; continue_final_message?: boolean});
        assert.equal(sent.length, 3);
        assert.equal(sent[0]!.messages.at(-1)!.role, "assistant");
        for (const body of sent.slice(1)) {
            assert.deepEqual(body.messages[0], {role: "system", content: "detailed thinking on"});
            assert.equal(body.messages.at(-1)!.role, "user");
            assert.equal(body.continue_final_message, undefined);
        }
        assert.equal(log.warn.length, 1);
        assert.match(log.warn[0]!, /does not continue an assistant turn .*continue_final_message is not supported.*; reasoning is asked for with the system prompt alone\.$/);
    });

    test("a self-signed TLS certificate is refused, with what to do about it", async () => {
        const dir = path.join(temp.dir, "tls");
        execFileSync("mkdir", ["-p", dir]);
        execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")], {stdio: "ignore"});
        const tls = https.createServer({key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem"))}, (_request, response) => response.end("{}"));
        await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
        try {
            const port = (tls.address() as AddressInfo).port;
            const refused = errorOf(await ask(backendFor({baseUrl: `https://127.0.0.1:${port}/v1`, model: "astrosage-test"}), turn("Hello?")));
            assert.deepEqual(refused, {
                code: "serverUnreachable",
                message: `https://127.0.0.1:${port} presented a self-signed TLS certificate, which is not trusted. Ask the server's administrators for a certificate from a trusted authority, or add their authority to your system's trusted certificates.`
            });
        } finally {
            tls.closeAllConnections();
            await new Promise((resolve) => tls.close(resolve));
        }
    });

    test("a redirect is not followed with the key: the message names where it points", async () => {
        proxy.requests.length = 0;
        proxy.fault = {kind: "status", status: 307, location: "https://login.example.org/sso?next=/v1", times: 2};
        const refused = errorOf(await ask(backendFor({baseUrl: proxy.baseUrl, apiKey}), turn("Hello?")));
        proxy.fault = undefined;
        assert.deepEqual(refused, {
            code: "serverRejected",
            message: `${new URL(proxy.baseUrl).origin} redirects to https://login.example.org (307). Requests are not sent on to another address with your API key: if that is the server, set astrosage.server.url to it.`
        });
    });

    test("no server set: the turn says how to connect one", async () => {
        const answer = await ask(backendFor({baseUrl: ""}), turn("Hello?"));
        assert.deepEqual(errorOf(answer), {code: "noServer", message: "No inference server is set. Run \"AstroSage: Connect to Server…\", or choose a local model with \"AstroSage: Select Model…\"."});
    });
});

/** A port nothing listens on: bound, then closed. */
async function startAndClose(): Promise<{port: number}> {
    const {createServer} = await import("node:net");
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const {port} = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return {port};
}
