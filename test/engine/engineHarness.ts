/**
 * Drives the real engine process (dist/engine.mjs) through the extension's own
 * host-side classes, on scripted models: what the extension does, minus VS Code.
 */
import {existsSync} from "node:fs";
import path from "node:path";
import type {ChatBackend, ChatTurn, StreamFrame} from "../../src/core/chatTypes.ts";
import {EngineProcess, type Logger} from "../../src/engine/EngineProcess.ts";
import {LocalEngineBackend, type LocalModelSettings} from "../../src/engine/LocalEngineBackend.ts";

export const enginePath = path.resolve("dist/engine.mjs");

/** Collects log lines instead of printing them; tests assert on them when useful. */
export function collectingLogger(): Logger & {lines: string[]} {
    const lines: string[] = [];
    const add = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
    return {lines, info: add("info"), warn: add("warn"), error: add("error"), debug: add("debug")};
}

export type Harness = {
    engine: EngineProcess;
    backend: LocalEngineBackend;
    settings: LocalModelSettings;
    logger: ReturnType<typeof collectingLogger>;
    crashes: {reason: string; willRestart: boolean}[];
};

export function startHarness(modelPath: string): Harness {
    if (!existsSync(enginePath))
        throw new Error(`${enginePath} is missing: run "npm run build" first (npm test does).`);
    const logger = collectingLogger();
    const crashes: Harness["crashes"] = [];
    const engine = new EngineProcess({enginePath, logger, onCrash: (info) => crashes.push(info), restartDelaysMs: [100, 100, 100]});
    // One thread: node-llama-cpp's default of at least 4 crawls on a 2-core machine.
    const settings: LocalModelSettings = {modelPath, contextSize: 2048, threads: 1, gpu: "off"};
    const backend = new LocalEngineBackend(engine, () => settings);
    return {engine, backend, settings, logger, crashes};
}

/** A one-question turn with greedy sampling. */
export function turn(prompt: string, options: Partial<ChatTurn> = {}): ChatTurn {
    return {
        messages: [{role: "user", text: prompt}],
        systemPrompt: "You are AstroSage, an astronomy research assistant.",
        reasoning: false,
        sampling: {temperature: 0, topP: 1, maxTokens: 4096},
        ...options
    };
}

export type Answer = {text: string; thought: string; frames: StreamFrame[]; final: StreamFrame};

/** Runs a turn and gathers its frames; `onFrame` sees each as it arrives. */
export async function ask(backend: ChatBackend, chatTurn: ChatTurn, options: {signal?: AbortSignal; onFrame?: (frame: StreamFrame, answer: Answer) => void} = {}): Promise<Answer> {
    const answer: Answer = {text: "", thought: "", frames: [], final: {kind: "error", code: "internal", message: "no final frame"}};
    await backend.chat(chatTurn, (frame) => {
        answer.frames.push(frame);
        if (frame.kind === "text")
            answer.text += frame.text;
        else if (frame.kind === "thought")
            answer.thought += frame.text;
        else
            answer.final = frame;
        options.onFrame?.(frame, answer);
    }, options.signal ?? new AbortController().signal);
    return answer;
}
