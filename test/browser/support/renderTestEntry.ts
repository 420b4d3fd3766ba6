/**
 * The script of the renderer's test page, bundled by esbuild: the renderer's
 * public API on `window.astrosageRender`, the XSS test's page-side probe on
 * `window.XssProbe` and the streaming test's on `window.StreamingProbe`, for
 * tests to call through `page.evaluate`.
 */
import * as render from "../../../webview/render/index.ts";
import {XssProbe} from "./xssProbe.ts";

/**
 * When the streaming renderer's frames run: `"sync"` at every append, or after
 * the chunks whose entry is true (the rest wait for the next frame, or finish).
 */
export type FramePlan = "sync" | readonly boolean[];

/** One message rendered whole and streamed: the container's innerHTML each way. */
export type StreamingComparison = {whole: string; streamed: string};

/**
 * Page-side half of the streaming test (renderStreaming.test.ts): renders a
 * message whole with MarkdownRenderer and in chunks with StreamingRenderer,
 * with one renderer shared, as the chat view shares one.
 */
export class StreamingProbe {
    private readonly renderer: render.MarkdownRenderer;

    public constructor(options: render.RenderOptions = {}) {
        this.renderer = new render.MarkdownRenderer(options);
    }

    public compare(chunks: readonly string[], frames: FramePlan): StreamingComparison {
        const whole = document.createElement("div");
        whole.append(this.renderer.renderFragment(chunks.join("")));
        return {whole: whole.innerHTML, streamed: withoutSegments(this.stream(chunks, frames, () => undefined)).innerHTML};
    }

    /**
     * Streams `chunks` and, after each chunk and its frame, tells `observe`
     * the container (which the caller may read but not change).
     */
    public stream(chunks: readonly string[], frames: FramePlan, observe: (container: HTMLElement, index: number) => void): HTMLElement {
        const container = document.createElement("div");
        const pending: (() => void)[] = [];
        const scheduleFrame: render.FrameScheduler = frames === "sync" ? (update) => update() : (update) => pending.push(update);
        const streaming = new render.StreamingRenderer(container, {renderer: this.renderer, scheduleFrame});
        chunks.forEach((chunk, index) => {
            streaming.append(chunk);
            if (frames !== "sync" && frames[index % frames.length])
                pending.splice(0).forEach((update) => update());
            observe(container, index);
        });
        streaming.finish();
        return container;
    }
}

/** The streamed blocks as the whole render has them: without the `.finished-segment` groups around them. */
export function withoutSegments(container: HTMLElement): HTMLElement {
    for (const segment of container.querySelectorAll(":scope > .finished-segment"))
        segment.replaceWith(...segment.childNodes);
    return container;
}

declare global {
    interface Window {
        astrosageRender: typeof render;
        XssProbe: typeof XssProbe;
        xssProbe?: XssProbe;
        StreamingProbe: typeof StreamingProbe;
        streamingProbe?: StreamingProbe;
    }
}

window.astrosageRender = render;
window.XssProbe = XssProbe;
window.StreamingProbe = StreamingProbe;
