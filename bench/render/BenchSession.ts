/**
 * One benchmark message in the page: tokens appended as the chat view appends
 * them, each chunk's frame timed, long tasks recorded. Streamed in steps
 * (`streamTo`) so a profiler can be switched on for part of the answer only.
 */
import {StreamingRenderer, type MarkdownRenderer} from "../../webview/render/index.ts";
import type {SideRequest, SideTimings} from "./benchProtocol.ts";
import {FrameClock} from "./FrameClock.ts";
import {NaiveRenderer} from "./NaiveRenderer.ts";

type MessageUnderTest = {append(text: string): void; finish(): void};

export class BenchSession {
    public readonly chunkCount: number;
    /** Chunks streamed so far. */
    public progress = 0;
    private readonly element: HTMLElement;
    private readonly message: MessageUnderTest;
    private readonly clock = new FrameClock();
    private readonly timings: Pick<SideTimings, "updateMs" | "frameMs" | "chunkIndex"> = {updateMs: [], frameMs: [], chunkIndex: []};
    private readonly longTasks: SideTimings["longTasks"] = [];
    private readonly observer: PerformanceObserver;
    private readonly started = performance.now();

    public constructor(private readonly scroller: HTMLElement, renderer: MarkdownRenderer, private readonly request: SideRequest) {
        this.chunkCount = Math.ceil(request.tokens.length / request.tokensPerFrame);
        this.element = document.createElement("div");
        this.element.className = "answer";
        scroller.replaceChildren(this.element);
        this.message = request.side === "streaming"
            ? new StreamingRenderer(this.element, {renderer, scheduleFrame: this.clock.schedule})
            : new NaiveRenderer(this.element, renderer, this.clock.schedule);
        this.observer = new PerformanceObserver((list) => this.recordLongTasks(list.getEntries()));
        this.observer.observe({type: "longtask"});
    }

    /** Streams chunks up to `end` (exclusive), each chunk's tokens then its frame. */
    public async streamTo(end: number): Promise<void> {
        const {tokens, tokensPerFrame, renderEvery} = this.request;
        for (; this.progress < Math.min(end, this.chunkCount); this.progress++) {
            const chunk = this.progress;
            // Each token arrives as its own message from the extension: one append, then follow the end.
            for (const token of tokens.slice(chunk * tokensPerFrame, (chunk + 1) * tokensPerFrame)) {
                this.message.append(token);
                this.scroller.scrollTop = this.scroller.scrollHeight;
            }
            if ((chunk + 1) % renderEvery === 0 || chunk === this.chunkCount - 1) {
                const {updateMs, frameMs} = await this.clock.renderFrame();
                this.timings.updateMs.push(updateMs);
                this.timings.frameMs.push(frameMs);
                this.timings.chunkIndex.push(chunk);
            }
        }
    }

    /** Ends the message (`finish()`, timed with its layout) and returns what was measured. */
    public async close(): Promise<SideTimings> {
        await this.streamTo(this.chunkCount);
        const finishStart = performance.now();
        this.message.finish();
        // Forces the layout the next frame would do, so finishing is timed with it.
        void this.element.offsetHeight;
        const finishMs = performance.now() - finishStart;
        const wallMs = performance.now() - this.started;
        // Long tasks are reported after they end; one more frame lets the last ones arrive.
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        this.recordLongTasks(this.observer.takeRecords());
        this.observer.disconnect();
        const html = this.element.innerHTML;
        return {
            ...this.timings,
            finishMs,
            longTasks: this.longTasks,
            wallMs,
            finalHtmlLength: html.length,
            finalHtmlHash: hash(html),
            finalElementCount: this.element.getElementsByTagName("*").length
        };
    }

    private recordLongTasks(entries: PerformanceEntryList): void {
        for (const entry of entries) {
            if (entry.startTime >= this.started)
                this.longTasks.push({startMs: entry.startTime, durationMs: entry.duration});
        }
    }
}

/** FNV-1a over the HTML: enough to tell whether two sides built the same DOM. */
function hash(text: string): string {
    let value = 0x811c9dc5;
    for (let i = 0; i < text.length; i++)
        value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return value.toString(16).padStart(8, "0");
}
