/**
 * The server backend's plain parts: the URL a user types made into the API's
 * base URL, where its key is kept, and the messages for what a server answers.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {describe, test} from "node:test";
import {fromStatus, parseRetryAfter, redact, serverSaid, unreachable} from "../../src/server/ServerError.ts";
import {apiKeySecretName, normalizeBaseUrl} from "../../src/server/serverUrl.ts";

describe("the server URL", () => {
    test("a bare host gets the API's /v1; a pasted endpoint loses the endpoint; a trailing slash goes", () => {
        assert.equal(normalizeBaseUrl("http://127.0.0.1:8080"), "http://127.0.0.1:8080/v1");
        assert.equal(normalizeBaseUrl(" https://gpu.example.edu/ "), "https://gpu.example.edu/v1");
        assert.equal(normalizeBaseUrl("https://gpu.example.edu/v1/"), "https://gpu.example.edu/v1");
        assert.equal(normalizeBaseUrl("https://gpu.example.edu/v1/chat/completions"), "https://gpu.example.edu/v1");
        assert.equal(normalizeBaseUrl("http://localhost:11434/v1/models"), "http://localhost:11434/v1");
        // A gateway's own path is kept as it is.
        assert.equal(normalizeBaseUrl("https://gateway.example.org/llm/astro/v1?x=1#y"), "https://gateway.example.org/llm/astro/v1");
    });

    test("anything but an http(s) URL is refused", () => {
        for (const typed of ["", "gpu.example.edu", "ftp://gpu.example.edu", "file:///etc/passwd", "http://", "javascript:alert(1)"])
            assert.equal(normalizeBaseUrl(typed), undefined, typed);
    });

    test("in an untrusted workspace, its own settings cannot send the user's questions elsewhere", () => {
        const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
            capabilities: {untrustedWorkspaces: {supported: string; restrictedConfigurations: string[]}};
            contributes: {configuration: {properties: Record<string, {scope?: string}>}};
        };
        const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
        for (const key of ["astrosage.server.url", "astrosage.server.headers", "astrosage.backend"])
            assert.ok(restricted.includes(key), `${key} is restricted`);
        // The key is no setting at all: it lives in SecretStorage.
        assert.ok(Object.keys(manifest.contributes.configuration.properties).every((key) => !/apikey|secret|password|token$/i.test(key)));
    });

    test("an API key is kept per server origin, so a changed URL never receives another server's key", () => {
        assert.equal(apiKeySecretName("https://gpu.example.edu/v1"), "astrosage.server.apiKey:https://gpu.example.edu");
        assert.equal(apiKeySecretName("https://gpu.example.edu:8443/v1"), "astrosage.server.apiKey:https://gpu.example.edu:8443");
        assert.notEqual(apiKeySecretName("https://gpu.example.edu/v1"), apiKeySecretName("https://evil.example.com/v1"));
    });
});

describe("what the server said", () => {
    test("the message of an OpenAI-style error, of a plain-text one, of an HTML page", () => {
        assert.equal(serverSaid(JSON.stringify({error: {message: "model 'x' not found", type: "invalid_request_error"}})), "model 'x' not found");
        assert.equal(serverSaid(JSON.stringify({error: "Unauthorized"})), "Unauthorized");
        assert.equal(serverSaid(JSON.stringify({detail: "Not Found"})), "Not Found");
        assert.equal(serverSaid("<html><head><title>502</title></head><body><h1>Bad Gateway</h1></body></html>"), "502 Bad Gateway");
        assert.equal(serverSaid(""), "");
        assert.equal(serverSaid("x".repeat(400)).length, 301);
    });

    test("Retry-After in seconds or as a date", () => {
        assert.equal(parseRetryAfter("30"), 30);
        assert.equal(parseRetryAfter(null), undefined);
        assert.equal(parseRetryAfter("soon"), undefined);
        const now = Date.parse("2026-11-23T12:00:00Z");
        assert.equal(parseRetryAfter("Mon, 23 Nov 2026 12:01:30 GMT", now), 90);
    });

    test("each status gets the code the chat acts on", () => {
        const origin = "https://gpu.example.edu";
        assert.equal(fromStatus(401, "Unauthorized", "", origin, null).code, "serverAuth");
        assert.equal(fromStatus(403, "Forbidden", "", origin, null).code, "serverAuth");
        assert.equal(fromStatus(429, "Too Many Requests", "", origin, "5").retryAfterSeconds, 5);
        assert.equal(fromStatus(503, "Service Unavailable", "", origin, null).message,
            "https://gpu.example.edu is overloaded or starting (503 Service Unavailable). Try again in a little while.");
        assert.equal(fromStatus(404, "Not Found", "{\"detail\":\"Not Found\"}", origin, null).message,
            "https://gpu.example.edu has no such endpoint or model (404 Not Found). Check that astrosage.server.url ends with the API's base path (usually /v1) and the model name. The server said: \"Not Found\"");
        assert.equal(fromStatus(422, "Unprocessable Entity", "", origin, null).code, "serverRejected");
        assert.equal(fromStatus(502, "Bad Gateway", "", origin, null).code, "serverFailed");
    });

    test("a failed connection names its reason: unknown host, refused, TLS", () => {
        const failed = (code: string) => Object.assign(new TypeError("fetch failed"), {cause: Object.assign(new Error(code), {code})});
        assert.match(unreachable(failed("ENOTFOUND"), "https://gpu.example.edu").message, /is not a known host name\. Check astrosage\.server\.url, and your VPN/);
        assert.match(unreachable(failed("CERT_HAS_EXPIRED"), "https://gpu.example.edu").message, /presented an expired TLS certificate/);
        assert.match(unreachable(failed("EWHATEVER"), "https://gpu.example.edu").message, /could not be reached \(EWHATEVER\)/);
    });

    test("secrets are blanked out; values too short to be secrets are left alone", () => {
        assert.equal(redact("Bearer sk-123456 and token abcd", ["sk-123456", "abcd", "1"]), "Bearer ••• and token •••");
        assert.equal(redact("version 1.2", ["1"]), "version 1.2");
    });
});
