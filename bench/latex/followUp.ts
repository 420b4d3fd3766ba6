/**
 * Benchmark: the first token of a follow-up question about a paper the model
 * has read, in the three situations a user meets:
 * - cold: nothing evaluated yet, no saved state: the whole manuscript and the
 *   question are evaluated (and the state is saved, after the answer);
 * - warm: a follow-up in the same engine, on the same context sequence: only
 *   the new turn is evaluated (node-llama-cpp reuses the matching prefix);
 * - reloaded: the same follow-up after the model was unloaded (a fresh model,
 *   context and sequence, as after an idle unload, an engine restart or a new
 *   VS Code window): the saved state is checked and loaded, then only the new
 *   turn is evaluated.
 * A repetition is one cold turn, then pairs of a warm and a reloaded turn asking
 * the same follow-up (each pair another one, sharing nothing with the one
 * before), through the extension's own host classes (EngineProcess,
 * LocalEngineBackend, PromptStateCache) and the bundled engine
 * (dist/engine.mjs), on Llama-3.2-1B's shapes with random Q4_0 weights
 * (bench/engine/benchModels.ts), a ~6,000-token manuscript and an 8192-token
 * context. Each timed turn first waits (up to --quiet-wait s) for other
 * processes to leave the CPUs, and says how busy they kept them. Goal:
 * reloaded first token under 1 s.
 *
 *     node --import tsx bench/latex/followUp.ts [--threads 2] [--reps 1] [--pairs 5] [--quiet-wait 30]
 *
 * Time to first token: each turn may generate one token, so its duration is
 * the time to the first token, whatever that token is. (Random weights often
 * draw a stray UTF-8 byte that node-llama-cpp holds back until the character is
 * whole, so the first streamed chunk can come several tokens later: timing
 * the first chunk measured those tokens too.) "engine" is the turn's duration
 * in the engine, from the request's arrival (the state's check and load
 * included) to the first token; "host" is from the host's `chat` call to the
 * `done` frame, the cold turn's saving after the answer left out. Sampling is
 * the extension's default (temperature 0.7, top-p 0.9).
 */
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {mkdtemp, rm} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {parseArgs} from "node:util";
import type {ChatMessage, ChatTurn, StreamFrame, TurnStats} from "../../src/core/chatTypes.ts";
import {EngineProcess} from "../../src/engine/EngineProcess.ts";
import {LocalEngineBackend, type PromptStateEvent} from "../../src/engine/LocalEngineBackend.ts";
import {PromptStateCache} from "../../src/models/PromptStateCache.ts";
import {collectingLogger, enginePath} from "../../test/engine/engineHarness.ts";
import {randomLlama1bModel} from "../engine/benchModels.ts";
import {OtherLoadMeter, waitForQuiet} from "../support/otherLoad.ts";

export type FollowUpOptions = {
    /** llama.cpp threads. Defaults to 2. */
    threads?: number;
    /** Defaults to 8192: the manuscript, the questions and the answers must fit. */
    contextSize?: number;
    /** Cold turns (each followed by its pairs). Defaults to 1: one takes about two minutes on 2 cores. */
    repetitions?: number;
    /** Warm and reloaded follow-ups after each cold turn, one of each per pair. Defaults to 5. */
    pairs?: number;
    /** The longest wait, before each timed turn, for other processes to leave the CPUs, in ms. Defaults to 30 000. */
    quietWaitMs?: number;
    /** Progress lines (defaults to none). */
    progress?: (line: string) => void;
};

export type CaseMeasurement = {
    /** Engine: from the request's arrival to the first generated token (the one-token turn's duration). */
    firstTokenMs: number;
    /** Host: from the `chat` call to the `done` frame, saving the state (cold) left out. */
    hostMs: number;
    /** Prompt tokens the model evaluated for the turn. */
    promptTokens: number;
    /** CPU cores other processes kept busy during the turn, on average (0 without /proc). */
    othersCores: number;
};

export type FollowUpRepetition = {
    cold: CaseMeasurement & {saved: {bytes: number; tokens: number; ms: number}};
    pairs: {
        question: string;
        warm: CaseMeasurement;
        /** `modelLoadMs`: loading the model before the turn, not part of its figures. */
        reloaded: CaseMeasurement & {loaded: {bytes: number; tokens: number; ms: number}; modelLoadMs: number};
    }[];
};

type Summary = {median: number; min: number; max: number};
export type CaseSummary = {firstTokenMs: Summary; hostMs: Summary; promptTokens: number; othersCores: number};

export type FollowUpReport = {
    model: {path: string; fileBytes: number};
    threads: number;
    contextSize: number;
    /** Prompt tokens of the cold turn: the manuscript, the system prompt and the first question. */
    manuscriptTokens: number;
    repetitions: FollowUpRepetition[];
    cold: CaseSummary;
    warm: CaseSummary;
    reloaded: CaseSummary;
    state: {bytes: number; saveMs: number; loadMs: Summary; modelLoadMs: number};
    /** Of the medians of the engine's figures. */
    ratios: {coldOverReloaded: number; reloadedOverWarm: number};
    /** Reloaded first token (engine, median) under 1 s. */
    goalMet: boolean;
};

const RELOADED_GOAL_MS = 1000;
const FIRST_QUESTION = "What are the main results of this paper, and how robust are they?";
/** Each starts with another word, so a follow-up shares nothing with the one before it. */
const FOLLOW_UPS = [
    "Why is the thick disk older than the thin disk?",
    "How was the mass of each cluster measured?",
    "Which survey gives the data, and in which light?",
    "What is the uncertainty of the distance to each star?",
    "Does the dark matter halo have a core?",
    "Could the merger model explain the old bulge?",
    "Where does the rotation of the disk come from?",
    "Is the initial mass function an assumption here?"
];

/** Measures the three cases; see the file's comment. */
export async function measureFollowUp(options: FollowUpOptions = {}): Promise<FollowUpReport> {
    const {threads = 2, contextSize = 8192, repetitions = 1, pairs = 5, quietWaitMs = 30_000, progress = () => {}} = options;
    checkEngineBundle();
    const model = await randomLlama1bModel();
    progress(`Model: ${path.basename(model.path)} (${megabytes(model.info.fileBytes)}${model.reused ? ", cached" : ""})`);

    const statesDir = await mkdtemp(path.join(os.tmpdir(), "astrosage-bench-prompt-states-"));
    const logger = collectingLogger();
    // No restarts: a crash must fail the benchmark, not be measured.
    const engine = new EngineProcess({enginePath, logger, restartDelaysMs: []});
    const events: PromptStateEvent[] = [];
    const cache = new PromptStateCache(statesDir, {maxBytes: () => 8 * 2 ** 30, log: logger});
    const settings = {modelPath: model.path, contextSize, threads, gpu: "off" as const};
    const backend = new LocalEngineBackend(engine, () => settings, undefined, {promptStates: cache, onPromptState: (event) => events.push(event)});
    const systemPrompt = defaultSystemPrompt();
    const manuscript = manuscriptText();

    const turnOf = (messages: ChatMessage[]): ChatTurn => ({
        messages,
        systemPrompt,
        reasoning: false,
        // One token: the turn's duration is the time to the first token.
        sampling: {temperature: 0.7, topP: 0.9, maxTokens: 1},
        promptCache: {key: "bench-manuscript", document: "/bench/manuscript.tex"}
    });
    const loadModel = async () => {
        const started = performance.now();
        const error = await backend.ensureLoaded();
        if (error != null)
            throw new Error(`The engine could not load the model: ${error.message}${recentLog(logger.lines)}`);
        return performance.now() - started;
    };
    /** One timed turn, after a quiet moment; `expected` are the state events it must cause. */
    const run = async (messages: ChatMessage[], expected: PromptStateEvent["type"][]) => {
        await waitForQuiet(0.1, quietWaitMs);
        events.length = 0;
        const meter = OtherLoadMeter.start();
        const turn = await timeTurn(backend, turnOf(messages));
        const othersCores = meter?.finish() ?? 0;
        if (events.map((event) => event.type).join() !== expected.join())
            throw new Error(`Expected the state events [${expected.join(", ")}], got ${JSON.stringify(events)}.${recentLog(logger.lines)}`);
        const saved = events.find((event) => event.type === "stateSaved");
        const measured: CaseMeasurement = {
            firstTokenMs: turn.stats.durationMs,
            hostMs: turn.hostMs - (saved?.type === "stateSaved" ? saved.ms : 0),
            promptTokens: turn.stats.promptTokens,
            othersCores
        };
        return {measured, text: turn.text, event: events[0]};
    };

    const results: FollowUpRepetition[] = [];
    try {
        for (let index = 1; index <= repetitions; index++) {
            await cache.clear();
            await backend.unload();
            await loadModel();
            const first: ChatMessage = {role: "user", text: `${manuscript}\n\n${FIRST_QUESTION}`};
            const cold = await run([first], ["stateSaved"]);
            const saved = cold.event as Extract<PromptStateEvent, {type: "stateSaved"}>;
            progress(`#${index} cold: first token ${seconds(cold.measured.firstTokenMs)}, ${cold.measured.promptTokens} prompt tokens; state saved (${megabytes(saved.saved.bytes)}, ${seconds(saved.ms)})`);
            const repetition: FollowUpRepetition = {cold: {...cold.measured, saved: {...saved.saved, ms: saved.ms}}, pairs: []};

            for (let pair = 0; pair < pairs; pair++) {
                const question = FOLLOW_UPS[pair % FOLLOW_UPS.length]!;
                const followUp: ChatMessage[] = [first, {role: "assistant", text: cold.text}, {role: "user", text: question}];
                // Warm first: the sequence holds the paper and an earlier follow-up that shares
                // nothing with this one. Then the same question on a fresh model and sequence.
                const warm = await run(followUp, []);
                await backend.unload();
                const modelLoadMs = await loadModel();
                const reloaded = await run(followUp, ["stateLoaded"]);
                const loaded = reloaded.event as Extract<PromptStateEvent, {type: "stateLoaded"}>;
                progress(`#${index}.${pair + 1} warm ${seconds(warm.measured.firstTokenMs)}, reloaded ${seconds(reloaded.measured.firstTokenMs)} (state loaded in ${seconds(loaded.ms)}), ${warm.measured.promptTokens}/${reloaded.measured.promptTokens} prompt tokens`);
                repetition.pairs.push({
                    question,
                    warm: warm.measured,
                    reloaded: {...reloaded.measured, loaded: {bytes: loaded.bytes, tokens: loaded.tokens, ms: loaded.ms}, modelLoadMs}
                });
            }
            results.push(repetition);
        }
    } finally {
        await engine.dispose();
        await rm(statesDir, {recursive: true, force: true});
    }

    const colds = results.map((result) => result.cold);
    const warms = results.flatMap((result) => result.pairs.map((pair) => pair.warm));
    const reloadeds = results.flatMap((result) => result.pairs.map((pair) => pair.reloaded));
    const summary = {cold: summarize(colds), warm: summarize(warms), reloaded: summarize(reloadeds)};
    return {
        model: {path: model.path, fileBytes: model.info.fileBytes},
        threads,
        contextSize,
        manuscriptTokens: medianOf(colds.map((cold) => cold.promptTokens)),
        repetitions: results,
        ...summary,
        state: {
            bytes: medianOf(colds.map((cold) => cold.saved.bytes)),
            saveMs: medianOf(colds.map((cold) => cold.saved.ms)),
            loadMs: spreadOf(reloadeds.map((reloaded) => reloaded.loaded.ms)),
            modelLoadMs: medianOf(reloadeds.map((reloaded) => reloaded.modelLoadMs))
        },
        ratios: {
            coldOverReloaded: summary.cold.firstTokenMs.median / summary.reloaded.firstTokenMs.median,
            reloadedOverWarm: summary.reloaded.firstTokenMs.median / summary.warm.firstTokenMs.median
        },
        goalMet: summary.reloaded.firstTokenMs.median < RELOADED_GOAL_MS
    };
}

/** The report as a short table. */
export function formatFollowUpReport(report: FollowUpReport): string {
    const range = (summary: Summary) => summary.min === summary.max ? "" : ` (${seconds(summary.min)}–${seconds(summary.max)})`;
    const row = (name: string, measured: CaseSummary, count: number) =>
        `  ${name.padEnd(10)}${String(count).padStart(2)}  ${`${seconds(measured.firstTokenMs.median)}${range(measured.firstTokenMs)}`.padEnd(26)}` +
        `${seconds(measured.hostMs.median).padStart(8)}${String(measured.promptTokens).padStart(8)}${measured.othersCores.toFixed(2).padStart(9)}`;
    const pairs = report.repetitions.reduce((sum, repetition) => sum + repetition.pairs.length, 0);
    const {state} = report;
    return [
        "Follow-up question on a paper: time to first token, medians",
        `  model: Llama-3.2-1B shapes, random Q4_0 weights (${megabytes(report.model.fileBytes)}), context ${report.contextSize}, ${report.threads} thread(s), CPU`,
        `  manuscript: ${report.manuscriptTokens} prompt tokens with the system prompt and the first question`,
        "",
        "  case       n  first token (engine)         host  prompt  others",
        row("cold", report.cold, report.repetitions.length),
        row("warm", report.warm, pairs),
        row("reloaded", report.reloaded, pairs),
        "",
        `  state: ${megabytes(state.bytes)}; saved after the cold answer in ${seconds(state.saveMs)}; ` +
            `checked and loaded in ${seconds(state.loadMs.median)}${range(state.loadMs)} (part of "reloaded")`,
        `  model load before a reloaded turn (not counted): ${seconds(state.modelLoadMs)}`,
        `  cold ÷ reloaded: ${report.ratios.coldOverReloaded.toFixed(1)}×   reloaded ÷ warm: ${report.ratios.reloadedOverWarm.toFixed(2)}×`,
        `  goal, reloaded first token < ${seconds(RELOADED_GOAL_MS)}: ${report.goalMet ? "met" : "NOT met"}`,
        "  (\"others\": CPU cores other processes kept busy during the turns; above ~0.1 the figures are inflated)"
    ].join("\n");
}

type TimedTurn = {hostMs: number; stats: TurnStats; text: string};

async function timeTurn(backend: LocalEngineBackend, turn: ChatTurn): Promise<TimedTurn> {
    const started = performance.now();
    let text = "";
    let final: StreamFrame | undefined;
    await backend.chat(turn, (frame) => {
        if (frame.kind === "text" || frame.kind === "thought")
            text += frame.text;
        else
            final = frame;
    }, new AbortController().signal);
    const hostMs = performance.now() - started;
    if (final?.kind !== "done")
        throw new Error(`The turn failed: ${final?.kind === "error" ? final.message : "no final frame"}`);
    if (final.stats.generatedTokens > 1 || final.stats.stopReason === "abort")
        throw new Error(`A timed turn must end after one token, not ${final.stats.generatedTokens} (${final.stats.stopReason}).`);
    return {hostMs, stats: final.stats, text};
}

function summarize(cases: CaseMeasurement[]): CaseSummary {
    return {
        firstTokenMs: spreadOf(cases.map((measured) => measured.firstTokenMs)),
        hostMs: spreadOf(cases.map((measured) => measured.hostMs)),
        promptTokens: medianOf(cases.map((measured) => measured.promptTokens)),
        othersCores: cases.reduce((sum, measured) => sum + measured.othersCores, 0) / Math.max(1, cases.length)
    };
}

function spreadOf(values: number[]): Summary {
    return {median: medianOf(values), min: Math.min(...values), max: Math.max(...values)};
}

function medianOf(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * A LaTeX manuscript of about 6,000 tokens for the test vocabulary (common
 * English and astronomy words are whole tokens; commands and math fall apart
 * into byte tokens, as rarer words do in a real vocabulary).
 */
export function manuscriptText(): string {
    const sections = ["Introduction", "Data", "Method", "Results", "Discussion", "Conclusions"];
    const sentences = [
        "We use data from a large survey of stars in the milky way, observed with a telescope in the infrared and the optical.",
        "The mass of each cluster is measured from the velocity dispersion of its stars, with the virial theorem, and we give the uncertainty of each value.",
        "The distance to each star is found from its parallax, and its luminosity from the apparent magnitude, so the absolute magnitude follows ($M = m - 5\\log_{10}(d/10\\,\\mathrm{pc})$).",
        "Our results show that the dark matter halo has a low density in the core, while the stellar disk is thin and the bulge is old.",
        "The spectra of the stars give their metallicity, temperature and radial velocity; the rotation of the disk then gives the mass of the galaxy.",
        "We state our assumptions about the initial mass function, and we explain how the results would change if they were not true.",
        "These results fit a model in which the galaxy formed from the merger of small clouds of gas, and then grew through accretion over many billion years.",
        "Figure one shows the rotation of the disk as a function of radius, with the values from the survey and from our model.",
        "Table two gives the mass, radius, age and metallicity of each cluster, with the uncertainty of each measurement."
    ];
    const parts = ["\\documentclass{aastex631}", "\\begin{document}", "\\title{The Thick and Thin Disks of the Milky Way}", "\\begin{abstract}", sentences[3]!, sentences[6]!, "\\end{abstract}"];
    for (const [index, section] of sections.entries()) {
        parts.push(`\\section{${section}}`, `\\label{sec:${section.toLowerCase()}}`);
        for (let paragraph = 0; paragraph < 4; paragraph++)
            parts.push(sentences.map((_, j) => sentences[(j + paragraph + index) % sentences.length]).slice(0, 6 + (paragraph % 3)).join(" "));
    }
    parts.push("\\end{document}");
    return parts.join("\n\n");
}

function defaultSystemPrompt(): string {
    const manifest = JSON.parse(readFileSync(path.resolve("package.json"), "utf8")) as {
        contributes: {configuration: {properties: Record<string, {default?: unknown}>}};
    };
    const value = manifest.contributes.configuration.properties["astrosage.chat.systemPrompt"]?.default;
    if (typeof value !== "string")
        throw new Error("package.json declares no default for astrosage.chat.systemPrompt.");
    return value;
}

/** The engine bundle must be built from the current engine sources, or host and engine may not speak the same protocol. */
function checkEngineBundle() {
    if (!existsSync(enginePath))
        throw new Error(`${enginePath} is missing: run "npm run build" first.`);
    const built = statSync(enginePath).mtimeMs;
    for (const folder of ["src/engine", "src/core"])
        for (const name of readdirSync(folder))
            if (statSync(path.join(folder, name)).mtimeMs > built)
                throw new Error(`${enginePath} is older than ${path.join(folder, name)}: run "npm run build" first.`);
}

function recentLog(lines: string[]): string {
    const shown = lines.filter((line) => !line.startsWith("debug:")).slice(-10);
    return shown.length === 0 ? "" : `\nEngine log:\n  ${shown.join("\n  ")}`;
}

function seconds(ms: number): string {
    return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

function megabytes(bytes: number): string {
    return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

// Its own command line until bench/latex/run.ts calls it.
if (/[\\/]bench[\\/]latex[\\/]followUp\.ts$/.test(process.argv[1] ?? "")) {
    const {values} = parseArgs({options: {
        threads: {type: "string", default: "2"},
        reps: {type: "string", default: "1"},
        pairs: {type: "string", default: "5"},
        "quiet-wait": {type: "string", default: "30"}
    }});
    measureFollowUp({
        threads: Number(values.threads),
        repetitions: Number(values.reps),
        pairs: Number(values.pairs),
        quietWaitMs: Number(values["quiet-wait"]) * 1000,
        progress: (line) => console.error(line)
    })
        .then((report) => console.log(formatFollowUpReport(report)))
        .catch((error: unknown) => {
            console.error(error instanceof Error ? error.stack ?? error.message : String(error));
            process.exitCode = 1;
        });
}
