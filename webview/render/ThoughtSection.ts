/**
 * A model's reasoning, shown as a `<details class="thought">`: open while it
 * streams, with "Thinking…" as its summary so the reasoning can be read live;
 * when it ends, labelled "Thought for 4.2 s · 312 tokens" and collapsed (or
 * left open, or hidden, as the user's setting says). Its text is markdown,
 * rendered like an answer.
 */
import {describeThought, type ThoughtStats} from "./describeThought.ts";
import {StreamingRenderer, type StreamingRendererOptions} from "./StreamingRenderer.ts";

/** How a thought shows: the values of the `astrosage.chat.reasoningDisplay` setting. */
export type ThoughtDisplay = "collapsed" | "expanded" | "hidden";

export type ThoughtSectionOptions = StreamingRendererOptions & {
    /**
     * `"collapsed"`: folded once finished; `"expanded"`: left open; `"hidden"`:
     * never shown, not even while it streams.
     *
     * Defaults to `"collapsed"`.
     */
    display?: ThoughtDisplay;
};

export class ThoughtSection {
    /** The section; the caller puts it in the page. */
    public readonly element: HTMLDetailsElement;
    private readonly summary: HTMLElement;
    private readonly content: StreamingRenderer;
    private readonly display: ThoughtDisplay;
    private empty = true;
    /** Set when the user opened or closed the section: then finishing leaves it as they chose. */
    private toggledByUser = false;

    public constructor(document: Document, options: ThoughtSectionOptions = {}) {
        const {display = "collapsed", ...renderOptions} = options;
        this.display = display;
        this.element = document.createElement("details");
        this.element.className = "thought streaming";
        this.element.open = true;
        this.element.hidden = display === "hidden";
        this.summary = document.createElement("summary");
        this.summary.textContent = "Thinking…";
        const body = document.createElement("div");
        body.className = "thought-content";
        this.element.append(this.summary, body);
        // A click on the summary (or Enter/Space on it, which clicks) is the user's own toggle.
        this.summary.addEventListener("click", () => {
            this.toggledByUser = true;
        });
        this.content = new StreamingRenderer(body, renderOptions);
    }

    /** Adds a chunk of the thought. */
    public append(text: string): void {
        if (text !== "")
            this.empty = false;
        this.content.append(text);
    }

    /**
     * Ends the thought: renders the rest, states how long it took, and folds
     * it (or leaves it open, with the "expanded" display) unless the user
     * opened or closed it meanwhile. A thought with no text is hidden. Called
     * again, with better figures, it only changes the label.
     */
    public finish(stats?: ThoughtStats): void {
        this.content.finish();
        this.element.classList.remove("streaming");
        this.summary.textContent = describeThought(stats);
        if (!this.toggledByUser)
            this.element.open = this.display === "expanded";
        this.element.hidden = this.empty || this.display === "hidden";
    }
}
