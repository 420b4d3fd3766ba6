/** What is known about a finished thought, for its summary line. */
export type ThoughtStats = {
    /** How long the model thought, in milliseconds. */
    durationMs?: number;
    /** How many tokens the thought took. */
    tokens?: number;
};

/** The summary of a finished thought: "Thought for 4.2 s · 312 tokens", or as much of it as is known. */
export function describeThought(stats: ThoughtStats = {}): string {
    const parts: string[] = [];
    if (stats.durationMs != null && Number.isFinite(stats.durationMs) && stats.durationMs >= 0)
        parts.push(`for ${formatDuration(stats.durationMs)}`);
    if (stats.tokens != null && Number.isFinite(stats.tokens) && stats.tokens >= 0)
        parts.push(`· ${stats.tokens.toLocaleString("en-US")} ${stats.tokens === 1 ? "token" : "tokens"}`);
    return ["Thought", ...parts].join(" ");
}

function formatDuration(milliseconds: number): string {
    const tenths = Math.round(milliseconds / 100);
    if (tenths < 600)
        return `${(tenths / 10).toFixed(1)} s`;
    const seconds = Math.round(milliseconds / 1000);
    return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
