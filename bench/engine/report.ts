/**
 * The benchmark's readable report (stdout); the same figures go to
 * bench-results/engine.json.
 */
import type {Spread} from "./measurement.ts";
import type {ScenarioResult} from "./scenario.ts";

export type BenchEnvironment = {
    startedAt: string;
    node: string;
    nodeLlamaCpp: string;
    cpu: string;
    cpuCount: number;
    threads: number;
    contextSize: number;
    sampling: string;
    /** How each turn starts, with respect to node-llama-cpp's prefix reuse. */
    promptState: string;
    /** Minimum extension ÷ direct decode ratio the issue asks for on the 1B-shaped model. */
    decodeRatioGoal: number;
};

export type BenchReport = {environment: BenchEnvironment; scenarios: ScenarioResult[]; totalSeconds: number};

export function formatReport(report: BenchReport): string {
    const {environment} = report;
    const lines = [
        "AstroSage engine benchmark: the extension's engine process vs node-llama-cpp in-process",
        `  ${environment.cpuCount} × ${environment.cpu}; Node ${environment.node}; node-llama-cpp ${environment.nodeLlamaCpp}`,
        `  threads ${environment.threads}, context ${environment.contextSize}, ${environment.sampling}`,
        `  ${environment.promptState}`,
        "  TTFT = request issued → first text chunk received by the caller; decode = (tokens − 1) / (first → last chunk).",
        ""
    ];
    for (const scenario of report.scenarios)
        lines.push(...formatScenario(scenario, environment), "");
    lines.push(`Total time ${report.totalSeconds.toFixed(0)} s.`);
    return lines.join("\n");
}

function formatScenario(result: ScenarioResult, environment: BenchEnvironment): string[] {
    const {comparison, extension, direct} = result;
    const modelFacts = Object.entries(result.model).map(([key, value]) => `${key} ${value}`).join(", ");
    const lines = [
        `== ${result.title} ==`,
        `  ${modelFacts}`,
        `  ${result.maxTokens} max tokens per turn; 1 warm-up pair (discarded), then ${result.repetitions.length} pairs, order alternating`,
        "",
        table([
            ["", "TTFT ms", "decode tok/s", "prompt tok", "generated"],
            ["extension (engine process)", formatSpread(extension.ttftMs, 1), formatSpread(extension.decodeTokensPerSecond, 2),
                formatSpread(extension.promptTokens, 0), formatSpread(extension.generatedTokens, 0)],
            ["direct (in-process)", formatSpread(direct.ttftMs, 1), formatSpread(direct.decodeTokensPerSecond, 2),
                formatSpread(direct.promptTokens, 0), formatSpread(direct.generatedTokens, 0)],
            ["  engine's own stats", formatSpread(extension.engineReported.ttftMs, 1), formatSpread(extension.engineReported.decodeTokensPerSecond, 2), "", ""]
        ]),
        "  (median [min–max] over the measured pairs; \"engine's own stats\" are timed inside the engine process)",
        "",
        table([
            ["pair", "first", "ext TTFT", "direct TTFT", "ext tok/s", "direct tok/s", "ext ÷ direct"],
            ...result.repetitions.map((repetition) => [
                String(repetition.index),
                repetition.order[0]!,
                repetition.extension.ttftMs.toFixed(1),
                repetition.direct.ttftMs.toFixed(1),
                repetition.extension.decodeTokensPerSecond.toFixed(2),
                repetition.direct.decodeTokensPerSecond.toFixed(2),
                (repetition.extension.decodeTokensPerSecond / repetition.direct.decodeTokensPerSecond).toFixed(3)
            ])
        ]),
        "",
        `  decode, extension ÷ direct: ${comparison.decodeRatio.toFixed(3)}× ` +
            `(per pair ${comparison.pairDecodeRatios.min.toFixed(3)}–${comparison.pairDecodeRatios.max.toFixed(3)})`,
        `  TTFT, extension − direct: ${signed(comparison.ttftDifferenceMs, 1)} ms`,
        `  per-token overhead of the process hop: ${signed(comparison.perTokenOverheadUs, 0)} µs per token`
    ];
    if (result.id === "random-1b") {
        const met = comparison.decodeRatio >= environment.decodeRatioGoal;
        lines.push(`  goal (decode ≥ ${environment.decodeRatioGoal}× direct): ${met ? "met" : "NOT met"}`);
    }
    lines.push(result.problems.length === 0
        ? "  checks: every turn generated the expected tokens and stop reason, the same text on both sides"
        : `  PROBLEMS:\n    ${result.problems.join("\n    ")}`);
    for (const note of result.notes)
        lines.push(`  note: ${note}`);
    return lines;
}

function formatSpread(values: Spread, digits: number): string {
    if (values.min === values.max)
        return values.median.toFixed(digits);
    return `${values.median.toFixed(digits)} [${values.min.toFixed(digits)}–${values.max.toFixed(digits)}]`;
}

function signed(value: number, digits: number): string {
    return `${value >= 0 ? "+" : ""}${value.toFixed(digits)}`;
}

/** Left-aligns the first column and right-aligns the others. */
function table(rows: string[][]): string {
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
    return rows
        .map((row) => "  " + row.map((cell, column) => column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)).join("   "))
        .join("\n");
}
