/**
 * One benchmark scenario: a model, measured on both sides in interleaved pairs
 * after a discarded warm-up pair, then summarized and checked.
 */
import type {ChatTurn} from "../../src/core/chatTypes.ts";
import type {BenchSide, SideName} from "./benchSides.ts";
import {TurnCpuMeter} from "./cpuTime.ts";
import {estimateMean, estimateRatio, spread, type Estimate, type Spread, type TurnMeasurement} from "./measurement.ts";
import {OtherLoadMeter, waitForQuiet} from "../support/otherLoad.ts";

/**
 * A pair during which other processes kept more than this many cores busy (on
 * average, in either turn) is "busy": its figures say more about the neighbour
 * than about the engine, so it is left out of the summary and replaced.
 */
export const BUSY_NEIGHBOUR_CORES = 0.1;

/**
 * What the two sides are: "engine", the extension's engine process against
 * node-llama-cpp in this process; "server", `ServerBackend` against a bare
 * fetch of the same llama-server.
 */
export type ScenarioKind = "engine" | "server";

export type Scenario = {
    id: string;
    kind: ScenarioKind;
    title: string;
    modelPath: string;
    threads: number;
    contextSize: number;
    /** Facts about the model file, copied into the report. */
    model: Record<string, string | number>;
    systemPrompt: string;
    /** The same on both sides; temperature 0 is greedy. */
    sampling: {temperature: number; topP: number};
    maxTokens: number;
    /** Quiet pairs wanted after the warm-up pair; up to as many again are run to replace busy ones. */
    repetitions: number;
    /** What every turn must produce; anything else is reported as a problem. */
    expected: {
        generatedTokens: {min: number; max: number};
        stopReason: string;
        /** Whether both sides must write the same text: only deterministic (greedy) decoding does. */
        sameText: boolean;
    };
};

/** When to stop adding pairs, and how long to wait for a quiet machine before each. */
export type RunLimits = {
    /** A `performance.now()` time: no pair starts that would end after it, as long as 2 have run. */
    deadline: number;
    /** The longest wait for other processes to leave the CPUs before a pair, in ms. */
    quietWaitMs: number;
};

export type Repetition = {
    /** 1-based; the warm-up is 0. */
    index: number;
    /** Which side ran first: alternates, so a slow drift cannot favour one side. */
    order: SideName[];
    extension: TurnMeasurement;
    direct: TurnMeasurement;
    /** Whether other processes left the CPUs alone during both turns (always true without /proc). */
    quiet: boolean;
};

export type SideSummary = {
    ttftMs: Spread;
    decodeTokensPerSecond: Spread;
    /** 1 / decode rate, per turn: the time each generated token costs the caller. */
    microsecondsPerToken: Spread;
    /** CPU time of the side's processes per generated token (the prompt's share included). */
    cpuMicrosecondsPerToken: Spread;
    /**
     * Where it goes: this process (the host classes, node-llama-cpp, or a server
     * client) and the helper processes (the engine, or llama-server).
     */
    cpuMicrosecondsPerTokenIn: {host: Spread; engine: Spread};
    /** Server scenarios: llama-server's own timings of this side's turns, from its log. */
    serverReported?: {promptMs: Spread; decodeTokensPerSecond: Spread};
    promptTokens: Spread;
    generatedTokens: Spread;
};

/** Extension against direct, from the pairs (paired, so drift between pairs cancels). */
export type Comparison = {
    /** Extension decode rate ÷ direct decode rate: geometric mean over pairs, 95% interval. */
    decodeRatio: Estimate;
    /** Median extension decode rate ÷ median direct decode rate. */
    decodeRatioOfMedians: number;
    /** Extension TTFT − direct TTFT, in ms: mean over pairs, 95% interval. */
    ttftDifferenceMs: Estimate;
    /** Extension TTFT ÷ direct TTFT: geometric mean over pairs, 95% interval. */
    ttftRatio: Estimate;
    /** 1 / extension rate − 1 / direct rate, in µs per generated token: mean over pairs, 95% interval. */
    perTokenOverheadUs: Estimate;
    /** Extension − direct CPU time per generated token, in µs: mean over pairs, 95% interval. */
    cpuOverheadUs: Estimate;
    /**
     * Server scenarios: llama-server's own decode rate during the extension's turn ÷
     * during the direct one. Near 1 when the server did the same work at the same
     * speed for both, so that the caller-side ratio is the client's doing.
     */
    serverDecodeRatio?: Estimate;
    /**
     * Server scenarios: the part of TTFT outside llama-server's own prompt evaluation
     * (the client, the connection, the first token's sampling and delivery), extension − direct,
     * in ms. What TTFT's difference is left with once the server's share is taken out.
     */
    ttftOutsideServerDifferenceMs?: Estimate;
};

export type ScenarioResult = {
    id: string;
    kind: ScenarioKind;
    title: string;
    model: Record<string, string | number>;
    threads: number;
    contextSize: number;
    sampling: Scenario["sampling"];
    maxTokens: number;
    expected: Scenario["expected"];
    /** Why pairs stopped being added before enough quiet ones were measured, if they did. */
    cutShort?: string;
    warmUp: {extension: TurnMeasurement; direct: TurnMeasurement};
    /** Every measured pair, busy ones included. */
    repetitions: Repetition[];
    /** Which pairs the summary and comparison use. */
    summarized: "quiet pairs" | "all pairs (too few quiet ones)";
    extension: SideSummary & {
        /** The backend's own stats: the engine's (timed in its process) or ServerBackend's TurnMeter's. */
        engineReported: {ttftMs: Spread; decodeTokensPerSecond: Spread};
    };
    direct: SideSummary;
    comparison: Comparison;
    /** Checks that failed: a wrong token count, different output on the two sides, … */
    problems: string[];
    /** Discrepancies that do not invalidate the timings, such as the engine's prompt token count. */
    notes: string[];
};

/**
 * The turn for repetition `index` (0 is the warm-up; -1, "Question 0", only
 * primes a server). Each repetition asks a question of its own, the same one on
 * both sides: node-llama-cpp keeps the previous turn's tokens in the context
 * sequence and reuses the longest common prefix, so the system preamble is
 * reused and the question is evaluated afresh, identically on both sides (as in
 * the extension, where every new chat starts with the same system prompt).
 * A server's sides share its one slot: each turn is primed (`BenchSide.prepare`,
 * untimed) with the previous repetition's question, to start from the same state.
 */
export function benchTurn(scenario: Scenario, index: number): ChatTurn {
    return {
        messages: [{role: "user", text: `Question ${index + 1}: explain the virial theorem for a cluster of galaxies, and how it gives the cluster's mass.`}],
        systemPrompt: scenario.systemPrompt,
        reasoning: false,
        sampling: {...scenario.sampling, maxTokens: scenario.maxTokens}
    };
}

export async function runScenario(
    scenario: Scenario,
    sides: {extension: BenchSide; direct: BenchSide},
    limits: RunLimits,
    progress: (line: string) => void
): Promise<ScenarioResult> {
    const {extension, direct} = sides;
    progress(`${scenario.title}: loading the model on both sides`);
    const settings = {modelPath: scenario.modelPath, contextSize: scenario.contextSize, threads: scenario.threads};
    await extension.load(settings);
    await direct.load(settings);
    const measure = async (side: BenchSide, index: number): Promise<TurnMeasurement> => {
        await side.prepare?.(benchTurn(scenario, index - 1));
        const meter = OtherLoadMeter.start();
        const cpu = new TurnCpuMeter(side.helperPids());
        const turn = await side.run(benchTurn(scenario, index));
        return {...turn, cpu: cpu.finish(), otherLoadCores: meter?.finish()};
    };
    try {
        let pairStarted = performance.now();
        const warmUp = {extension: await measure(extension, 0), direct: await measure(direct, 0)};
        // How long a pair takes, from the last one: no pair starts that would end past the deadline.
        let pairMs = performance.now() - pairStarted;
        progress(`  warm-up (discarded): ${describePair(warmUp)}`);

        const repetitions: Repetition[] = [];
        const maxPairs = 2 * scenario.repetitions;
        let cutShort: string | undefined;
        for (let index = 1; index <= maxPairs && repetitions.filter((pair) => pair.quiet).length < scenario.repetitions; index++) {
            if (index > 2 && performance.now() + pairMs > limits.deadline) {
                cutShort = "the time budget (--budget) ran out";
                break;
            }
            // A pair under a neighbour's load is thrown away and, with every llama.cpp
            // thread needing a core, runs many times slower: waiting for a quiet
            // moment costs less than measuring through the noise.
            const waitedMs = await waitForQuiet(BUSY_NEIGHBOUR_CORES, Math.min(limits.quietWaitMs, limits.deadline - performance.now()));
            if (waitedMs >= 1000)
                progress(`  waited ${(waitedMs / 1000).toFixed(0)} s for other processes to leave the CPUs`);
            const order: SideName[] = index % 2 === 1 ? ["extension", "direct"] : ["direct", "extension"];
            const measured: Partial<Record<SideName, TurnMeasurement>> = {};
            pairStarted = performance.now();
            for (const name of order)
                measured[name] = await measure(sides[name], index);
            pairMs = performance.now() - pairStarted;
            const pair = {extension: measured.extension!, direct: measured.direct!};
            const quiet = [pair.extension, pair.direct].every((turn) => (turn.otherLoadCores ?? 0) <= BUSY_NEIGHBOUR_CORES);
            repetitions.push({index, order, ...pair, quiet});
            progress(`  pair ${index}: ${describePair(pair)}${quiet ? "" : " (busy: other processes were using the CPUs)"}`);
        }
        if (cutShort == null && repetitions.filter((pair) => pair.quiet).length < scenario.repetitions)
            cutShort = `${repetitions.length} pairs run, the most allowed (2 × --reps)`;
        return summarize(scenario, warmUp, repetitions, cutShort);
    } finally {
        await extension.unload();
        await direct.unload();
    }
}

function summarize(scenario: Scenario, warmUp: ScenarioResult["warmUp"], repetitions: Repetition[], cutShort: string | undefined): ScenarioResult {
    const quietPairs = repetitions.filter((pair) => pair.quiet);
    const pairs = quietPairs.length >= 2 ? quietPairs : repetitions;

    const of = (side: SideName, pick: (turn: TurnMeasurement) => number) => spread(pairs.map((pair) => pick(pair[side])));
    const withServerTimings = pairs.every((pair) => pair.extension.serverTimings != null && pair.direct.serverTimings != null);
    const sideSummary = (side: SideName): SideSummary => ({
        ttftMs: of(side, (turn) => turn.ttftMs),
        decodeTokensPerSecond: of(side, (turn) => turn.decodeTokensPerSecond),
        microsecondsPerToken: of(side, (turn) => 1e6 / turn.decodeTokensPerSecond),
        cpuMicrosecondsPerToken: of(side, cpuMicrosecondsPerToken),
        cpuMicrosecondsPerTokenIn: {
            host: of(side, (turn) => (turn.cpu?.thisProcessMs ?? Number.NaN) * 1000 / turn.generatedTokens),
            engine: of(side, (turn) => (turn.cpu?.helpersMs ?? Number.NaN) * 1000 / turn.generatedTokens)
        },
        ...(withServerTimings
            ? {serverReported: {
                promptMs: of(side, (turn) => turn.serverTimings!.promptMs),
                decodeTokensPerSecond: of(side, (turn) => turn.serverTimings!.decodeTokensPerSecond)
            }}
            : {}),
        promptTokens: of(side, (turn) => turn.promptTokens),
        generatedTokens: of(side, (turn) => turn.generatedTokens)
    });
    const extension = {
        ...sideSummary("extension"),
        engineReported: {
            ttftMs: of("extension", (turn) => turn.engineStats?.timeToFirstTokenMs ?? Number.NaN),
            decodeTokensPerSecond: of("extension", (turn) => turn.engineStats?.tokensPerSecond ?? Number.NaN)
        }
    };
    const direct = sideSummary("direct");

    const comparison: Comparison = {
        decodeRatio: estimateRatio(pairs.map((pair) => pair.extension.decodeTokensPerSecond / pair.direct.decodeTokensPerSecond)),
        decodeRatioOfMedians: extension.decodeTokensPerSecond.median / direct.decodeTokensPerSecond.median,
        ttftDifferenceMs: estimateMean(pairs.map((pair) => pair.extension.ttftMs - pair.direct.ttftMs)),
        ttftRatio: estimateRatio(pairs.map((pair) => pair.extension.ttftMs / pair.direct.ttftMs)),
        perTokenOverheadUs: estimateMean(pairs.map((pair) =>
            (1 / pair.extension.decodeTokensPerSecond - 1 / pair.direct.decodeTokensPerSecond) * 1e6)),
        cpuOverheadUs: estimateMean(pairs.map((pair) => cpuMicrosecondsPerToken(pair.extension) - cpuMicrosecondsPerToken(pair.direct))),
        ...(withServerTimings
            ? {
                serverDecodeRatio: estimateRatio(pairs.map((pair) =>
                    pair.extension.serverTimings!.decodeTokensPerSecond / pair.direct.serverTimings!.decodeTokensPerSecond)),
                ttftOutsideServerDifferenceMs: estimateMean(pairs.map((pair) =>
                    (pair.extension.ttftMs - pair.extension.serverTimings!.promptMs) - (pair.direct.ttftMs - pair.direct.serverTimings!.promptMs)))
            }
            : {})
    };

    return {
        id: scenario.id,
        kind: scenario.kind,
        title: scenario.title,
        model: scenario.model,
        threads: scenario.threads,
        contextSize: scenario.contextSize,
        sampling: scenario.sampling,
        maxTokens: scenario.maxTokens,
        expected: scenario.expected,
        ...(cutShort == null ? {} : {cutShort}),
        warmUp,
        repetitions,
        summarized: pairs === quietPairs ? "quiet pairs" : "all pairs (too few quiet ones)",
        extension,
        direct,
        comparison,
        ...check(scenario, [{index: 0, order: ["extension", "direct"], quiet: true, ...warmUp}, ...repetitions])
    };
}

/** Checks that both sides did the work asked, and the same work. */
function check(scenario: Scenario, repetitions: Repetition[]): {problems: string[]; notes: string[]} {
    const problems: string[] = [];
    const {generatedTokens, stopReason, sameText} = scenario.expected;
    const expectedCount = generatedTokens.min === generatedTokens.max ? `${generatedTokens.min}` : `${generatedTokens.min}–${generatedTokens.max}`;
    for (const repetition of repetitions) {
        const label = repetition.index === 0 ? "warm-up" : `pair ${repetition.index}`;
        for (const side of ["extension", "direct"] as const) {
            const turn = repetition[side];
            if (turn.generatedTokens < generatedTokens.min || turn.generatedTokens > generatedTokens.max)
                problems.push(`${label}, ${side}: ${turn.generatedTokens} tokens generated, expected ${expectedCount}`);
            if (turn.stopReason !== stopReason)
                problems.push(`${label}, ${side}: stopped by "${turn.stopReason}", expected "${stopReason}"`);
        }
        if (sameText && repetition.extension.text !== repetition.direct.text)
            problems.push(`${label}: the two sides generated different text`);
    }

    // Both sides evaluate the same prompts (the texts match), so a difference here
    // is in how the engine counts them, not in the work timed.
    const notes: string[] = [];
    const enginePrompt = repetitions.map((repetition) => repetition.extension.promptTokens);
    const directPrompt = repetitions.map((repetition) => repetition.direct.promptTokens);
    if (scenario.kind === "server" && enginePrompt.some((count, index) => count !== directPrompt[index]))
        notes.push(`prompt tokens per turn (warm-up first): ServerBackend's stats say ${enginePrompt.join(", ")}; ` +
            `the direct side read ${directPrompt.join(", ")} from the same server.`);
    else if (enginePrompt.some((count, index) => count !== directPrompt[index])) {
        const subtracted = repetitions.every((repetition) =>
            repetition.extension.promptTokens === Math.max(0, repetition.direct.promptTokens - repetition.direct.generatedTokens));
        notes.push(`prompt tokens per turn (warm-up first): the engine's stats say ${enginePrompt.join(", ")}; ` +
            `node-llama-cpp's token meter on the direct side says ${directPrompt.join(", ")}.` +
            (subtracted
                ? " The engine subtracts the generated tokens from usedInputTokens, but the meter counts those as output, not input."
                : ""));
    }
    return {problems, notes};
}

function cpuMicrosecondsPerToken(turn: TurnMeasurement): number {
    return turn.cpu == null ? Number.NaN : (turn.cpu.thisProcessMs + turn.cpu.helpersMs) * 1000 / turn.generatedTokens;
}

function describePair(pair: {extension: TurnMeasurement; direct: TurnMeasurement}): string {
    const describe = (turn: TurnMeasurement) =>
        `${turn.decodeTokensPerSecond.toFixed(1)} tok/s, TTFT ${turn.ttftMs.toFixed(0)} ms` +
        (turn.otherLoadCores == null ? "" : `, others ${turn.otherLoadCores.toFixed(2)} cores`);
    return `extension ${describe(pair.extension)} | direct ${describe(pair.direct)}`;
}
