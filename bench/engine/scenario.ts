/**
 * One benchmark scenario: a model, measured on both sides in interleaved pairs
 * after a discarded warm-up pair, then summarized and checked.
 */
import type {ChatTurn} from "../../src/core/chatTypes.ts";
import type {BenchSide, SideName} from "./benchSides.ts";
import {spread, type Spread, type TurnMeasurement} from "./measurement.ts";

export type Scenario = {
    id: string;
    title: string;
    modelPath: string;
    /** Facts about the model file, copied into the report. */
    model: Record<string, string | number>;
    systemPrompt: string;
    maxTokens: number;
    /** Measured pairs, after the warm-up pair. */
    repetitions: number;
    /** What every turn must produce; anything else is reported as a problem. */
    expected: {generatedTokens: number; stopReason: string};
};

export type Repetition = {
    /** 1-based; the warm-up is 0. */
    index: number;
    /** Which side ran first: alternates, so a slow drift cannot favour one side. */
    order: SideName[];
    extension: TurnMeasurement;
    direct: TurnMeasurement;
};

export type SideSummary = {
    ttftMs: Spread;
    decodeTokensPerSecond: Spread;
    promptTokens: Spread;
    generatedTokens: Spread;
};

export type Comparison = {
    /** Median extension decode rate ÷ median direct decode rate. */
    decodeRatio: number;
    /** The same ratio within each pair, to show the noise. */
    pairDecodeRatios: Spread;
    /** Median extension TTFT − median direct TTFT, in ms. */
    ttftDifferenceMs: number;
    /** 1 / extension rate − 1 / direct rate (medians), in µs per generated token. */
    perTokenOverheadUs: number;
};

export type ScenarioResult = {
    id: string;
    title: string;
    model: Record<string, string | number>;
    maxTokens: number;
    warmUp: {extension: TurnMeasurement; direct: TurnMeasurement};
    repetitions: Repetition[];
    extension: SideSummary & {engineReported: {ttftMs: Spread; decodeTokensPerSecond: Spread}};
    direct: SideSummary;
    comparison: Comparison;
    /** Checks that failed: a wrong token count, different output on the two sides, … */
    problems: string[];
    /** Discrepancies that do not invalidate the timings, such as the engine's prompt token count. */
    notes: string[];
};

/**
 * The turn for repetition `index` (0 is the warm-up). Each repetition asks a
 * question of its own, the same one on both sides: node-llama-cpp keeps the
 * previous turn's tokens in the context sequence and reuses the longest common
 * prefix, so the system preamble is reused and the question is evaluated
 * afresh, identically on both sides (as in the extension, where every new chat
 * starts with the same system prompt).
 */
export function benchTurn(scenario: Scenario, index: number): ChatTurn {
    return {
        messages: [{role: "user", text: `Question ${index + 1}: explain the virial theorem for a cluster of galaxies, and how it gives the cluster's mass.`}],
        systemPrompt: scenario.systemPrompt,
        reasoning: false,
        sampling: {temperature: 0, topP: 1, maxTokens: scenario.maxTokens}
    };
}

export async function runScenario(
    scenario: Scenario,
    sides: {extension: BenchSide; direct: BenchSide},
    progress: (line: string) => void
): Promise<ScenarioResult> {
    const {extension, direct} = sides;
    progress(`${scenario.title}: loading the model on both sides`);
    await extension.load(scenario.modelPath);
    await direct.load(scenario.modelPath);
    try {
        const warmUp = {
            extension: await extension.run(benchTurn(scenario, 0)),
            direct: await direct.run(benchTurn(scenario, 0))
        };
        progress(`  warm-up (discarded): ${describePair(warmUp)}`);

        const repetitions: Repetition[] = [];
        for (let index = 1; index <= scenario.repetitions; index++) {
            const order: SideName[] = index % 2 === 1 ? ["extension", "direct"] : ["direct", "extension"];
            const measured: Partial<Record<SideName, TurnMeasurement>> = {};
            for (const name of order)
                measured[name] = await sides[name].run(benchTurn(scenario, index));
            const repetition = {index, order, extension: measured.extension!, direct: measured.direct!};
            repetitions.push(repetition);
            progress(`  ${index}/${scenario.repetitions}: ${describePair(repetition)}`);
        }
        return summarize(scenario, warmUp, repetitions);
    } finally {
        await extension.unload();
        await direct.unload();
    }
}

function summarize(scenario: Scenario, warmUp: ScenarioResult["warmUp"], repetitions: Repetition[]): ScenarioResult {
    const of = (side: SideName, pick: (turn: TurnMeasurement) => number) => spread(repetitions.map((repetition) => pick(repetition[side])));
    const sideSummary = (side: SideName): SideSummary => ({
        ttftMs: of(side, (turn) => turn.ttftMs),
        decodeTokensPerSecond: of(side, (turn) => turn.decodeTokensPerSecond),
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

    const extensionRate = extension.decodeTokensPerSecond.median;
    const directRate = direct.decodeTokensPerSecond.median;
    const comparison: Comparison = {
        decodeRatio: extensionRate / directRate,
        pairDecodeRatios: spread(repetitions.map((repetition) =>
            repetition.extension.decodeTokensPerSecond / repetition.direct.decodeTokensPerSecond)),
        ttftDifferenceMs: extension.ttftMs.median - direct.ttftMs.median,
        perTokenOverheadUs: (1 / extensionRate - 1 / directRate) * 1e6
    };

    return {
        id: scenario.id,
        title: scenario.title,
        model: scenario.model,
        maxTokens: scenario.maxTokens,
        warmUp,
        repetitions,
        extension,
        direct,
        comparison,
        ...check(scenario, [{index: 0, order: ["extension", "direct"], ...warmUp}, ...repetitions])
    };
}

/** Checks that both sides did the work asked, and the same work. */
function check(scenario: Scenario, repetitions: Repetition[]): {problems: string[]; notes: string[]} {
    const problems: string[] = [];
    const {generatedTokens, stopReason} = scenario.expected;
    for (const repetition of repetitions) {
        const label = repetition.index === 0 ? "warm-up" : `repetition ${repetition.index}`;
        for (const side of ["extension", "direct"] as const) {
            const turn = repetition[side];
            if (turn.generatedTokens !== generatedTokens)
                problems.push(`${label}, ${side}: ${turn.generatedTokens} tokens generated, expected ${generatedTokens}`);
            if (turn.stopReason !== stopReason)
                problems.push(`${label}, ${side}: stopped by "${turn.stopReason}", expected "${stopReason}"`);
        }
        if (repetition.extension.text !== repetition.direct.text)
            problems.push(`${label}: the two sides generated different text`);
    }

    // Both sides evaluate the same prompts (the texts match), so a difference here
    // is in how the engine counts them, not in the work timed.
    const notes: string[] = [];
    const enginePrompt = repetitions.map((repetition) => repetition.extension.promptTokens);
    const directPrompt = repetitions.map((repetition) => repetition.direct.promptTokens);
    if (enginePrompt.some((count, index) => count !== directPrompt[index]))
        notes.push(`prompt tokens per turn (warm-up first): the engine's stats say ${enginePrompt.join(", ")}; ` +
            `node-llama-cpp's token meter on the direct side says ${directPrompt.join(", ")}. The engine computes ` +
            "usedInputTokens − generatedTokens, but the meter counts generated tokens as output, not input.");
    return {problems, notes};
}

function describePair(pair: {extension: TurnMeasurement; direct: TurnMeasurement}): string {
    const describe = (turn: TurnMeasurement) =>
        `${turn.decodeTokensPerSecond.toFixed(1)} tok/s, TTFT ${turn.ttftMs.toFixed(0)} ms, ${turn.generatedTokens} tokens`;
    return `extension ${describe(pair.extension)} | direct ${describe(pair.direct)}`;
}
