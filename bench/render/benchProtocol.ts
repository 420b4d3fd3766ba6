/**
 * What passes between the benchmark (Node) and its page (bench/render/benchPage.ts,
 * bundled into Chromium): the request for one side's run and what the page measured.
 */

/** The two ways of showing a streaming message that the benchmark compares. */
export type SideName = "streaming" | "naive";

export type SideRequest = {
    side: SideName;
    /** The answer's tokens, in order. */
    tokens: string[];
    /** Tokens appended before each animation frame: one chunk, one render. */
    tokensPerFrame: number;
    /**
     * Render only every n-th chunk and let the tokens in between pile up unrendered
     * (1 renders every chunk). Only for a side too slow to run in full: its totals
     * are then extrapolated by the benchmark, not measured.
     */
    renderEvery: number;
};

/** One side's run, as the page timed it (milliseconds, `performance.now()`). */
export type SideTimings = {
    /** Per rendered chunk: the renderer's own update (lexing, markdown, KaTeX, sanitizing, DOM insertion). */
    updateMs: number[];
    /**
     * Per rendered chunk: from the update's start to the first task after that
     * frame, so the update plus the frame's style, layout and paint.
     */
    frameMs: number[];
    /** Which chunk (0-based) each entry of `updateMs` and `frameMs` belongs to. */
    chunkIndex: number[];
    /** `finish()` after the last token (its own frame, not counted as a chunk). */
    finishMs: number;
    /** The page's long tasks (over 50 ms) during the run, from PerformanceObserver. */
    longTasks: {startMs: number; durationMs: number}[];
    /** Wall-clock time of the whole run. */
    wallMs: number;
    /** The final HTML, so the two sides can be checked to show the same answer. */
    finalHtmlLength: number;
    finalHtmlHash: string;
    /** Elements in the message at the end. */
    finalElementCount: number;
};

/** The page's API, on `window.renderBench`. */
export type RenderBenchApi = {
    /** Streams a short message on the side's renderer and throws it away: JIT, fonts, caches. */
    warmUp(request: SideRequest): Promise<void>;
    /** Starts the measured message; returns its number of chunks. */
    open(request: SideRequest): number;
    /** Streams the open message's chunks up to `chunk` (exclusive). */
    streamTo(chunk: number): Promise<void>;
    /** Streams what is left, finishes the message and returns what was measured. */
    close(): Promise<SideTimings>;
    /** Chunks streamed so far in the open message, for the progress line. */
    readonly progress: number;
};

declare global {
    interface Window {
        renderBench: RenderBenchApi;
    }
}
