/**
 * The baseline the streaming renderer is measured against: what a chat view
 * does without it. Every frame renders the whole message so far again and
 * replaces the DOM, coalesced to one update per frame exactly as
 * StreamingRenderer is, so the two differ only in how much they re-render.
 *
 * It shares the page's MarkdownRenderer (compiled grammars, sanitizer) and
 * inserts its DocumentFragment rather than setting `innerHTML` from the HTML
 * string: that skips a serialize-and-reparse, so the baseline is the fastest
 * whole-message render this renderer allows, not a strawman.
 */
import type {FrameScheduler, MarkdownRenderer} from "../../webview/render/index.ts";

export class NaiveRenderer {
    private source = "";
    private frameRequested = false;

    public constructor(
        private readonly container: HTMLElement,
        private readonly renderer: MarkdownRenderer,
        private readonly scheduleFrame: FrameScheduler
    ) {
        container.classList.add("markdown");
    }

    public append(text: string): void {
        this.source += text;
        if (this.frameRequested)
            return;
        this.frameRequested = true;
        this.scheduleFrame(() => {
            this.frameRequested = false;
            this.update();
        });
    }

    public finish(): void {
        this.update();
    }

    private update(): void {
        this.container.replaceChildren(this.renderer.renderFragment(this.source));
    }
}
