/**
 * The benchmark's readable report (stdout); the same figures go to
 * bench-results/engine.json (the engine scenarios) and
 * bench-results/engine-server.json (the server backend's).
 */
import type {Estimate, Spread} from "./measurement.ts";
import {BUSY_NEIGHBOUR_CORES, type ScenarioKind, type ScenarioResult} from "./scenario.ts";

/** How each kind of scenario names its sides and figures. */
const LABELS: Record<ScenarioKind, {
    heading: string;
    extension: string;
    direct: string;
    ownStats: string;
    ownStatsNote: string;
    overhead: string;
    ttftDifference: string;
    host: string;
    helper: string;
    /** The scenario ids whose per-token overhead implies the model's decode ratio. */
    implied: {model: string; scripted: string};
}> = {
    engine: {
        heading: "AstroSage engine benchmark: the extension's engine process vs node-llama-cpp in-process",
        extension: "extension (engine process)",
        direct: "direct (in-process)",
        ownStats: "  engine's own stats",
        ownStatsNote: "\"engine's own stats\" are timed inside the engine process",
        overhead: "per-token overhead of the process hop",
        ttftDifference: "TTFT, extension − direct",
        host: "host",
        helper: "engine",
        implied: {model: "random-1b", scripted: "scripted"}
    },
    server: {
        heading: "AstroSage server backend benchmark: ServerBackend vs a bare fetch of the same llama-server",
        extension: "extension (ServerBackend)",
        direct: "direct (fetch + SSE read)",
        ownStats: "  ServerBackend's TurnMeter",
        ownStatsNote: "\"ServerBackend's TurnMeter\" is the backend's own stats (its clock starts inside chat()); " +
            "\"llama-server\" rows are the server's own timings of each side's turns, from its log: prompt evaluation ms, decode rate",
        overhead: "per-token overhead of ServerBackend",
        ttftDifference: "TTFT, extension − direct",
        host: "client",
        helper: "llama-server",
        implied: {model: "server-random-1b", scripted: "server-scripted"}
    }
};

export type BenchEnvironment = {
    startedAt: string;
    node: string;
    nodeLlamaCpp: string;
    /** Server scenarios: the llama.cpp commit llama-server was built from. */
    llamaServer?: string;
    cpu: string;
    cpuCount: number;
    /** One-minute load average when the benchmark started and ended. */
    loadAverageAtStart: number;
    loadAverageAtEnd: number;
    /** How each turn starts, with respect to node-llama-cpp's prefix reuse. */
    promptState: string;
    /** Minimum extension ÷ direct decode ratio the issue asks for on the 1B-shaped model. */
    decodeRatioGoal: number;
};

export type BenchReport = {
    environment: BenchEnvironment;
    scenarios: ScenarioResult[];
    /** The 1B-shaped model's extension ÷ direct decode ratio implied by the scripted model's per-token overhead. */
    impliedDecodeRatio?: Estimate;
    totalSeconds: number;
};

/**
 * What the scripted model's per-token overhead would cost the 1B-shaped model:
 * 1 / (1 + overhead × direct rate). The overhead is measured where it stands
 * out, so this resolves the ratio far more finely than the 1B model's own
 * pairs, whose turns vary by several percent on a 2-core machine.
 */
export function impliedDecodeRatio(scenarios: ScenarioResult[], kind: ScenarioKind = "engine"): Estimate | undefined {
    const ids = LABELS[kind].implied;
    const model = scenarios.find((result) => result.id === ids.model);
    const scripted = scenarios.find((result) => result.id === ids.scripted);
    if (model == null || scripted == null)
        return undefined;
    const directRate = model.direct.decodeTokensPerSecond.median;
    const ratio = (overheadUs: number) => 1 / (1 + overheadUs * 1e-6 * directRate);
    const overhead = scripted.comparison.perTokenOverheadUs;
    // More overhead, lower ratio: the interval's ends swap.
    return {mean: ratio(overhead.mean), low: ratio(overhead.high), high: ratio(overhead.low), pairs: overhead.pairs};
}

export function formatReport(report: BenchReport, kind: ScenarioKind = "engine"): string {
    const {environment} = report;
    const labels = LABELS[kind];
    const lines = [
        labels.heading,
        `  ${environment.cpuCount} × ${environment.cpu}; Node ${environment.node}; ` +
            (kind === "server" ? `llama-server built from llama.cpp ${environment.llamaServer ?? "?"}` : `node-llama-cpp ${environment.nodeLlamaCpp}`),
        `  load average ${environment.loadAverageAtStart.toFixed(2)} at the start, ${environment.loadAverageAtEnd.toFixed(2)} at the end`,
        `  ${environment.promptState}`,
        "  TTFT = request issued → first text chunk received by the caller; decode = (tokens − 1) / (first → last chunk).",
        ""
    ];
    for (const scenario of report.scenarios)
        lines.push(...formatScenario(scenario, environment), "");
    lines.push(...formatSummary(report.scenarios));
    if (report.impliedDecodeRatio != null)
        lines.push(`  ${labels.implied.model} decode ratio implied by the ${labels.implied.scripted} per-token overhead: ${formatInterval(report.impliedDecodeRatio, 4)}` +
            (kind === "engine" ? ` (goal ≥ ${environment.decodeRatioGoal}: ${goalVerdict(report.impliedDecodeRatio, environment.decodeRatioGoal)})` : ""));
    lines.push("", `Total time ${report.totalSeconds.toFixed(0)} s.`);
    return lines.join("\n");
}

function formatScenario(result: ScenarioResult, environment: BenchEnvironment): string[] {
    const {comparison, extension, direct} = result;
    const labels = LABELS[result.kind];
    const serverRows = [["extension", extension], ["direct", direct]] as const;
    const modelFacts = Object.entries(result.model).map(([key, value]) => `${key} ${value}`).join(", ");
    const quietCount = result.repetitions.filter((pair) => pair.quiet).length;
    const lines = [
        `== ${result.title} ==`,
        `  ${modelFacts}`,
        `  threads ${result.threads}, context ${result.contextSize}, ${result.maxTokens} max tokens per turn, ${describeSampling(result.sampling)}; ` +
            `1 warm-up pair (discarded), then ${result.repetitions.length} pairs (${quietCount} quiet), order alternating`,
        "",
        table([
            ["", "TTFT ms", "decode tok/s", "µs/token", "prompt tok", "generated"],
            [labels.extension, formatSpread(extension.ttftMs, 1), formatSpread(extension.decodeTokensPerSecond, 2),
                formatSpread(extension.microsecondsPerToken, 0), formatSpread(extension.promptTokens, 0), formatSpread(extension.generatedTokens, 0)],
            [labels.direct, formatSpread(direct.ttftMs, 1), formatSpread(direct.decodeTokensPerSecond, 2),
                formatSpread(direct.microsecondsPerToken, 0), formatSpread(direct.promptTokens, 0), formatSpread(direct.generatedTokens, 0)],
            [labels.ownStats, formatSpread(extension.engineReported.ttftMs, 1), formatSpread(extension.engineReported.decodeTokensPerSecond, 2), "", "", ""],
            ...serverRows.flatMap(([name, side]) => side.serverReported == null ? [] : [[
                `  llama-server, ${name} turns`, formatSpread(side.serverReported.promptMs, 1), formatSpread(side.serverReported.decodeTokensPerSecond, 2), "", "", ""
            ]])
        ]),
        `  (median [min–max] over ${result.summarized === "quiet pairs" ? "the quiet pairs" : "all pairs, busy ones included"}; ` +
            `${labels.ownStatsNote})`,
        "",
        table([
            ["pair", "first", "ext TTFT", "direct TTFT", "ext tok/s", "direct tok/s", "ext ÷ direct", "others' CPU"],
            ...result.repetitions.map((repetition) => [
                String(repetition.index),
                repetition.order[0]!,
                repetition.extension.ttftMs.toFixed(1),
                repetition.direct.ttftMs.toFixed(1),
                repetition.extension.decodeTokensPerSecond.toFixed(2),
                repetition.direct.decodeTokensPerSecond.toFixed(2),
                (repetition.extension.decodeTokensPerSecond / repetition.direct.decodeTokensPerSecond).toFixed(3),
                formatLoad(repetition.extension.otherLoadCores, repetition.direct.otherLoadCores) + (repetition.quiet ? "" : " busy")
            ])
        ]),
        `  (others' CPU: cores other processes kept busy, the busier turn of the pair; "busy" pairs, above ${BUSY_NEIGHBOUR_CORES}, ` +
            "are left out of the summary when at least 2 pairs are quiet)",
        "",
        `  decode, extension ÷ direct: ${formatEstimate(comparison.decodeRatio, 3, "×")} ` +
            `(ratio of the medians ${comparison.decodeRatioOfMedians.toFixed(3)}×)`,
        `  TTFT, extension ÷ direct: ${formatEstimate(comparison.ttftRatio, 3, "×")} ` +
            `(ratio of the medians ${(extension.ttftMs.median / direct.ttftMs.median).toFixed(3)}×)`,
        `  ${labels.ttftDifference}: ${formatEstimate(comparison.ttftDifferenceMs, 1, " ms", true)}`,
        `  ${labels.overhead}: ${formatEstimate(comparison.perTokenOverheadUs, 0, " µs per token", true)}`,
        ...(comparison.ttftOutsideServerDifferenceMs == null
            ? []
            : [`  TTFT outside llama-server's prompt evaluation, extension − direct: ${formatEstimate(comparison.ttftOutsideServerDifferenceMs, 1, " ms", true)}`]),
        ...(comparison.serverDecodeRatio == null
            ? []
            : [`  llama-server's own decode rate, extension turns ÷ direct turns: ${formatEstimate(comparison.serverDecodeRatio, 3, "×")}`]),
        `  CPU per token (prompt included): extension ${extension.cpuMicrosecondsPerToken.median.toFixed(0)} µs ` +
            `(${labels.host} ${extension.cpuMicrosecondsPerTokenIn.host.median.toFixed(0)} + ${labels.helper} ${extension.cpuMicrosecondsPerTokenIn.engine.median.toFixed(0)}), ` +
            `direct ${direct.cpuMicrosecondsPerToken.median.toFixed(0)} µs` +
            (result.kind === "server"
                ? ` (${labels.host} ${direct.cpuMicrosecondsPerTokenIn.host.median.toFixed(0)} + ${labels.helper} ${direct.cpuMicrosecondsPerTokenIn.engine.median.toFixed(0)})`
                : "") +
            `; extension − direct ${formatEstimate(comparison.cpuOverheadUs, 0, " µs", true)}`,
        "  (means over the pairs, ratios as geometric means, with 95% confidence intervals)"
    ];
    if (result.cutShort != null)
        lines.push(`  WARNING: fewer quiet pairs than --reps asked for: ${result.cutShort}.`);
    if (result.summarized !== "quiet pairs")
        lines.push("  WARNING: fewer than 2 pairs ran without other processes using the CPUs: these figures include busy pairs.");
    if (result.id === "random-1b")
        lines.push(`  goal (decode ≥ ${environment.decodeRatioGoal}× direct): ${goalVerdict(comparison.decodeRatio, environment.decodeRatioGoal)}`);
    lines.push(result.problems.length === 0
        ? "  checks: every turn generated the expected tokens and stop reason" + (result.expected.sameText ? ", the same text on both sides" : "")
        : `  PROBLEMS:\n    ${result.problems.join("\n    ")}`);
    for (const note of result.notes)
        lines.push(`  note: ${note}`);
    return lines;
}

/** One line per scenario: the figures the benchmark exists for. */
function formatSummary(results: ScenarioResult[]): string[] {
    if (results.length === 0)
        return [];
    return [
        "== Summary (medians per side; ratio and differences over the pairs, with 95% intervals) ==",
        table([
            ["", "ext tok/s", "direct tok/s", "ext ÷ direct", "ext TTFT ms", "direct TTFT ms", "TTFT ext ÷ direct", "ext µs/tok", "direct µs/tok", "Δ µs/tok", "Δ CPU µs/tok"],
            ...results.map((result) => [
                result.id,
                result.extension.decodeTokensPerSecond.median.toFixed(2),
                result.direct.decodeTokensPerSecond.median.toFixed(2),
                formatInterval(result.comparison.decodeRatio, 3),
                result.extension.ttftMs.median.toFixed(1),
                result.direct.ttftMs.median.toFixed(1),
                formatInterval(result.comparison.ttftRatio, 3),
                result.extension.microsecondsPerToken.median.toFixed(0),
                result.direct.microsecondsPerToken.median.toFixed(0),
                formatInterval(result.comparison.perTokenOverheadUs, 0, true),
                formatInterval(result.comparison.cpuOverheadUs, 0, true)
            ])
        ])
    ];
}

/** "value [low, high]", or the value alone when one pair gives no interval. */
function formatInterval(estimate: Estimate, digits: number, withSign = false): string {
    const format = (value: number) => formatNumber(value, digits, withSign);
    return Number.isNaN(estimate.low) ? format(estimate.mean) : `${format(estimate.mean)} [${format(estimate.low)}, ${format(estimate.high)}]`;
}

function describeSampling(sampling: ScenarioResult["sampling"]): string {
    return sampling.temperature === 0 ? "greedy" : `temperature ${sampling.temperature}, top-p ${sampling.topP} (unseeded)`;
}

/** Met only when the whole interval clears the goal; not met when all of it falls short. */
function goalVerdict(ratio: Estimate, goal: number): string {
    if (ratio.low >= goal)
        return "met";
    if (ratio.high < goal)
        return "NOT met";
    return `not resolved by this run (the interval ${ratio.low.toFixed(3)}–${ratio.high.toFixed(3)} contains ${goal}); more pairs would narrow it`;
}

function formatEstimate(estimate: Estimate, digits: number, unit: string, withSign = false): string {
    const format = (value: number) => formatNumber(value, digits, withSign);
    const interval = Number.isNaN(estimate.low) ? "no interval from one pair" : `95% CI ${format(estimate.low)} to ${format(estimate.high)}`;
    return `${format(estimate.mean)}${unit} (${interval}, ${estimate.pairs} pairs)`;
}

function formatNumber(value: number, digits: number, withSign: boolean): string {
    return (withSign && value >= 0 ? "+" : "") + value.toFixed(digits);
}

/** The busier turn of a pair. */
function formatLoad(...loads: (number | undefined)[]): string {
    const known = loads.filter((load) => load != null);
    return known.length === 0 ? "n/a" : Math.max(...known).toFixed(2);
}

function formatSpread(values: Spread, digits: number): string {
    if (values.min === values.max)
        return values.median.toFixed(digits);
    return `${values.median.toFixed(digits)} [${values.min.toFixed(digits)}–${values.max.toFixed(digits)}]`;
}

/** Left-aligns the first column and right-aligns the others. */
function table(rows: string[][]): string {
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
    return rows
        .map((row) => "  " + row.map((cell, column) => column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)).join("   "))
        .join("\n");
}
