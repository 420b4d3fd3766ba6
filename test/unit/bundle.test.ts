/**
 * The extension host must never load node-llama-cpp: its native code belongs in
 * the engine process. These checks read the bundles `npm run build` wrote.
 */
import assert from "node:assert/strict";
import {existsSync, readFileSync} from "node:fs";
import {test} from "node:test";

function bundle(file: string): string {
    assert.ok(existsSync(file), `${file} is missing: run "npm run build" first (npm test does)`);
    return readFileSync(file, "utf8");
}

test("the extension host bundle contains no node-llama-cpp code and no reference to it", () => {
    const host = bundle("dist/extension.js");
    assert.doesNotMatch(host, /node-llama-cpp/);
    assert.doesNotMatch(host, /getLlama|LlamaChat/, "no node-llama-cpp API in the host");
});

test("the engine bundle loads node-llama-cpp with a dynamic import, not bundled", () => {
    const engine = bundle("dist/engine.mjs");
    assert.match(engine, /import\(\s*["']node-llama-cpp["']\s*\)/);
    assert.doesNotMatch(engine, /from\s*["']node-llama-cpp["']/, "no static import");
    assert.doesNotMatch(engine, /class LlamaChat\b/, "node-llama-cpp's own code is not in the bundle");
});

test("the webview bundle holds no engine or VS Code API code", () => {
    const page = bundle("dist/webview.js");
    assert.doesNotMatch(page, /node-llama-cpp|child_process/);
});
