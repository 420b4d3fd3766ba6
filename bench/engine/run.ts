/**
 * Engine benchmark: what the process hop costs. Generation through the
 * extension's engine process is measured side by side with node-llama-cpp
 * called directly in this process.
 *
 *     npm run bench:engine -- [--threads 2] [--tokens 128] [--reps 3] [--scripted-reps 6]
 *                             [--context 2048] [--only random|scripted]
 *
 * The two sides:
 * - extension: the real host-side classes (`EngineProcess`, `LocalEngineBackend`)
 *   driving the bundled engine, dist/engine.mjs (built by `npm run build`, run
 *   here if it is missing), as the extension host does, minus VS Code;
 * - direct: `getLlama` / `loadModel` / `createContext` / `LlamaChat` in this process,
 *   with the engine's chat wrapper (`createAstroSageChatWrapper`) and history (`buildHistory`).
 * Same model file, threads, context size, prompt and sampling (greedy, temperature 0).
 *
 * What is measured, the same way on both sides, from the caller's point of view:
 * - TTFT: from issuing the request to the first text or thought chunk the caller
 *   receives (through the engine: a frame arriving in the host);
 * - decode tokens/s: (generated tokens − 1) / (time from the first chunk received
 *   to the last). Tokens are counted by the engine's stats (`generatedTokens`) on the
 *   extension side and from node-llama-cpp's chunks on the direct side.
 * Each model gets one warm-up pair (discarded), then several pairs, interleaved:
 * extension then direct, direct then extension, … so a slow drift favours neither.
 * Each repetition asks a new question, the same on both sides; node-llama-cpp
 * reuses the previous turn's common prefix (the system preamble) identically on both.
 *
 * The two models (cached in bench-results/models/):
 * 1. random weights with Llama-3.2-1B's shapes (Q4_0, full 128256-token vocabulary):
 *    real per-token compute; it never stops by itself, so every turn generates
 *    exactly --tokens tokens. The goal: extension ≥ 0.98× direct decode.
 * 2. a scripted model (hundreds of tokens/s) answering `longScript(600)`: with so
 *    little compute per token, a per-token cost of the hop shows up as
 *    "per-token overhead" = 1/extension rate − 1/direct rate, in µs.
 *
 * How to read it: "extension ÷ direct" near 1.00 means the hop costs nothing
 * measurable; the per-pair range shows the noise. The "TTFT difference" is the
 * request's and the first frame's trip between the processes. "Engine's own stats"
 * are timed inside the engine process; next to the host-side figures they
 * separate the cost of generating from the cost of delivering. The report goes
 * to stdout, the same figures as JSON to bench-results/engine.json; progress to stderr.
 */
import {spawnSync} from "node:child_process";
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {mkdir, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {parseArgs} from "node:util";
import {randomLlama1bModel, scriptedModel} from "./benchModels.ts";
import {DirectSide, ExtensionSide} from "./benchSides.ts";
import {formatReport, type BenchEnvironment, type BenchReport} from "./report.ts";
import {runScenario, type Scenario, type ScenarioResult} from "./scenario.ts";

const RESULTS_PATH = path.resolve("bench-results/engine.json");
const ENGINE_PATH = path.resolve("dist/engine.mjs");
const SCRIPT_WORDS = 600;
const DECODE_RATIO_GOAL = 0.98;

type BenchOptions = {
    threads: number;
    tokens: number;
    repetitions: number;
    scriptedRepetitions: number;
    contextSize: number;
    only: "random" | "scripted" | undefined;
};

function parseOptions(): BenchOptions {
    const {values} = parseArgs({
        options: {
            threads: {type: "string", default: "2"},
            tokens: {type: "string", default: "128"},
            reps: {type: "string", default: "3"},
            "scripted-reps": {type: "string", default: "6"},
            context: {type: "string", default: "2048"},
            only: {type: "string"}
        }
    });
    const positive = (name: string, text: string) => {
        const value = Number(text);
        if (!Number.isInteger(value) || value < 1)
            throw new Error(`--${name} needs a positive whole number, got "${text}"`);
        return value;
    };
    if (values.only != null && values.only !== "random" && values.only !== "scripted")
        throw new Error(`--only is "random" or "scripted", got "${values.only}"`);
    return {
        threads: positive("threads", values.threads),
        tokens: positive("tokens", values.tokens),
        repetitions: positive("reps", values.reps),
        scriptedRepetitions: positive("scripted-reps", values["scripted-reps"]),
        contextSize: positive("context", values.context),
        only: values.only
    };
}

async function main() {
    const started = performance.now();
    const options = parseOptions();
    const progress = (line: string) => console.error(line);
    ensureEngineBuilt(progress);

    const systemPrompt = extensionDefaultSystemPrompt();
    const scenarios: Scenario[] = [];
    if (options.only !== "scripted") {
        progress("Preparing the random-weight Llama-3.2-1B-shaped model…");
        const model = await randomLlama1bModel();
        progress(model.reused ? `  reusing ${model.path}` : `  wrote ${model.path} in ${model.writeSeconds.toFixed(1)} s`);
        scenarios.push({
            id: "random-1b",
            title: "Random weights, Llama-3.2-1B shapes",
            modelPath: model.path,
            model: {
                file: path.relative(process.cwd(), model.path),
                weights: `${(model.info.parameterCount / 1e9).toFixed(2)} B (Q4_0)`,
                vocabulary: model.info.vocabularySize,
                size: `${(model.info.fileBytes / 1e6).toFixed(0)} MB`
            },
            systemPrompt,
            maxTokens: options.tokens,
            repetitions: options.repetitions,
            expected: {generatedTokens: options.tokens, stopReason: "maxTokens"}
        });
    }
    if (options.only !== "random") {
        const model = await scriptedModel(SCRIPT_WORDS);
        scenarios.push({
            id: "scripted",
            title: `Scripted model, longScript(${SCRIPT_WORDS})`,
            modelPath: model.path,
            model: {
                file: path.relative(process.cwd(), model.path),
                "script tokens": model.info.scriptTokenCount,
                vocabulary: model.info.vocabularySize,
                size: `${(model.info.fileBytes / 1e6).toFixed(1)} MB`
            },
            systemPrompt,
            // Room to spare: the script ends the answer, not the limit.
            maxTokens: model.info.scriptTokenCount + 100,
            repetitions: options.scriptedRepetitions,
            expected: {generatedTokens: model.info.scriptTokenCount, stopReason: "eogToken"}
        });
    }

    const settings = {threads: options.threads, contextSize: options.contextSize};
    const sides = {extension: new ExtensionSide(settings), direct: new DirectSide(settings)};
    const results: ScenarioResult[] = [];
    try {
        for (const scenario of scenarios)
            results.push(await runScenario(scenario, sides, progress));
    } finally {
        await sides.extension.dispose();
        await sides.direct.dispose();
    }

    const report: BenchReport = {
        environment: environment(options),
        scenarios: results,
        totalSeconds: (performance.now() - started) / 1000
    };
    console.log(formatReport(report));
    const warnings = [...sides.extension.warnings().map((line) => `extension: ${line}`), ...sides.direct.warnings().map((line) => `direct: ${line}`)];
    if (warnings.length > 0)
        console.log(`\nllama.cpp / engine warnings:\n  ${warnings.join("\n  ")}`);

    await mkdir(path.dirname(RESULTS_PATH), {recursive: true});
    await writeFile(RESULTS_PATH, JSON.stringify({...report, warnings}, null, 2) + "\n");
    console.log(`\nFigures written to ${path.relative(process.cwd(), RESULTS_PATH)}.`);
    if (results.some((result) => result.problems.length > 0))
        process.exitCode = 1;
}

/** Builds dist/ when the engine bundle is missing; warns when it is older than its sources. */
function ensureEngineBuilt(progress: (line: string) => void) {
    if (!existsSync(ENGINE_PATH)) {
        progress("dist/engine.mjs is missing: running npm run build…");
        const build = spawnSync("npm", ["run", "build"], {stdio: ["ignore", "inherit", "inherit"]});
        if (build.status !== 0)
            throw new Error(`npm run build failed (${build.status ?? build.signal}).`);
        return;
    }
    const stale = staleSources(ENGINE_PATH, [path.resolve("src/engine"), path.resolve("src/core")]);
    if (stale.length > 0)
        progress(`Warning: dist/engine.mjs is older than ${stale.join(", ")}; run "npm run build" to measure the current engine.`);
}

function staleSources(bundle: string, folders: string[]): string[] {
    const builtAt = statSync(bundle).mtimeMs;
    return folders.flatMap((folder) => readdirSync(folder)
        .filter((name) => name.endsWith(".ts"))
        .map((name) => path.join(folder, name))
        .filter((file) => statSync(file).mtimeMs > builtAt)
        .map((file) => path.relative(process.cwd(), file)));
}

/** The extension's default chat system prompt, as package.json declares it. */
function extensionDefaultSystemPrompt(): string {
    const manifest = JSON.parse(readFileSync(path.resolve("package.json"), "utf8")) as {
        contributes: {configuration: {properties: Record<string, {default?: unknown}>}};
    };
    const prompt = manifest.contributes.configuration.properties["astrosage.chat.systemPrompt"]?.default;
    if (typeof prompt !== "string")
        throw new Error("package.json declares no default for astrosage.chat.systemPrompt.");
    return prompt;
}

function environment(options: BenchOptions): BenchEnvironment {
    const nodeLlamaCppManifest = JSON.parse(readFileSync(path.resolve("node_modules/node-llama-cpp/package.json"), "utf8")) as {version: string};
    return {
        startedAt: new Date().toISOString(),
        node: process.versions.node,
        nodeLlamaCpp: nodeLlamaCppManifest.version,
        cpu: os.cpus()[0]?.model ?? "unknown CPU",
        cpuCount: os.cpus().length,
        threads: options.threads,
        contextSize: options.contextSize,
        sampling: "greedy (temperature 0, topP 1)",
        promptState: "Prompt state: a new question per repetition, the same on both sides; the system preamble is reused from the previous turn on both.",
        decodeRatioGoal: DECODE_RATIO_GOAL
    };
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : String(error));
    process.exitCode = 1;
});
