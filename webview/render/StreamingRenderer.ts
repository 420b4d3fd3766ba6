/**
 * Renders one message while it streams in, at a cost per chunk that does not
 * grow with the message: finished blocks are rendered once into their own
 * nodes and never touched again; only the open block at the end is rendered
 * again, at most once per animation frame.
 *
 * Any way of cutting a message into chunks gives the same final DOM as
 * appending it whole: each finished block is rendered from its own source
 * alone, and which blocks are finished depends only on the text
 * (finishedBlocks.ts).
 *
 * Finished blocks go into `.finished-segment` groups of a fixed number of
 * blocks, which render.css lets the browser skip while off screen
 * (`content-visibility: auto`). Without them every frame makes Chromium walk
 * the layout and paint of the whole answer (KaTeX alone positions thousands
 * of elements), and a frame at the end of a 20,000-token answer cost 2.5× one
 * at its start (bench/render).
 */
import {MarkdownRenderer, normalizeNewlines, type RenderOptions} from "./MarkdownRenderer.ts";
import {splitFinishedBlocks} from "./finishedBlocks.ts";
import {UnfinishedMath} from "./renderMath.ts";

/** Calls `update` once, later (by default at the next animation frame). */
export type FrameScheduler = (update: () => void) => void;

export type StreamingRendererOptions = RenderOptions & {
    /**
     * The renderer to use; share one between messages, as it holds compiled grammars.
     *
     * Defaults to a new one made with these options.
     */
    renderer?: MarkdownRenderer;
    /**
     * Schedules a DOM update after `append` (tests pass their own).
     *
     * Defaults to the container window's `requestAnimationFrame`.
     */
    scheduleFrame?: FrameScheduler;
    /** Called after each DOM update, e.g. to keep the conversation scrolled to the end. */
    onRender?: () => void;
};

/** Finished blocks per `.finished-segment`. */
const blocksPerSegment = 20;

export class StreamingRenderer {
    private readonly container: HTMLElement;
    private readonly renderer: MarkdownRenderer;
    private readonly scheduleFrame: FrameScheduler;
    private readonly onRender: (() => void) | undefined;
    /** The message rendered for good, in pieces, line endings normalized. */
    private readonly committed: string[] = [];
    /** The rest of the message (line endings normalized), rendered again at each update. */
    private open = "";
    /** A "\r" at the end of the last chunk: half of a "\r\n", perhaps. */
    private heldCarriageReturn = false;
    /** The nodes showing `open`, replaced at each update. */
    private openNodes: ChildNode[] = [];
    /** The open block's formulas as last rendered, so half-written TeX does not flicker. */
    private openMath = new UnfinishedMath();
    /** The group finished blocks go into, and how many it holds. */
    private segment: HTMLElement | undefined;
    private segmentBlocks = 0;
    private frameRequested = false;
    private finished = false;

    /** Renders into `container`, after what it already holds; adds the class `markdown` to it. */
    public constructor(container: HTMLElement, options: StreamingRendererOptions = {}) {
        this.container = container;
        const window = container.ownerDocument.defaultView;
        if (window == null)
            throw new Error("StreamingRenderer needs a container in a document with a window");
        this.renderer = options.renderer ?? new MarkdownRenderer({...options, window: options.window ?? window});
        this.scheduleFrame = options.scheduleFrame ?? ((update) => window.requestAnimationFrame(() => update()));
        this.onRender = options.onRender;
        container.classList.add("markdown");
    }

    /** The message received so far. */
    public get markdown(): string {
        return this.committed.join("") + this.open + (this.heldCarriageReturn ? "\n" : "");
    }

    /** Adds a chunk of the message; the page shows it at the next frame. */
    public append(text: string): void {
        if (this.finished)
            throw new Error("StreamingRenderer.append after finish");
        if (text === "")
            return;
        const joined = (this.heldCarriageReturn ? "\r" : "") + text;
        this.heldCarriageReturn = joined.endsWith("\r");
        this.open += normalizeNewlines(this.heldCarriageReturn ? joined.slice(0, -1) : joined);
        if (!this.frameRequested) {
            this.frameRequested = true;
            this.scheduleFrame(() => {
                this.frameRequested = false;
                if (!this.finished)
                    this.update();
            });
        }
    }

    /** Ends the message: renders the rest at once, as finished blocks. */
    public finish(): void {
        if (this.finished)
            return;
        this.finished = true;
        if (this.heldCarriageReturn)
            this.open += "\n";
        this.heldCarriageReturn = false;
        this.update();
    }

    private update(): void {
        const open = this.open;
        const split = splitFinishedBlocks(open, this.renderer.blocks(open), this.finished);
        for (const node of this.openNodes)
            node.remove();
        this.openNodes = [];

        for (const block of split.finished)
            this.appendFinished(this.renderer.renderFragment(block.raw));
        if (split.length > 0) {
            this.committed.push(open.slice(0, split.length));
            this.open = open.slice(split.length);
            this.openMath = new UnfinishedMath();
        }

        if (this.finished) {
            // Only when the lexer's blocks did not add up to the text: render what is left whole.
            if (this.open !== "")
                this.appendFinished(this.renderer.renderFragment(this.open));
            this.committed.push(this.open);
            this.open = "";
        } else if (this.open !== "") {
            // A last line of one or two backticks (or tildes) is most likely a fence
            // arriving a character at a time: shown, it would flash inside the code.
            const shown = this.open.replace(/(^|\n)(`{1,2}|~{1,2})$/, "$1");
            const fragment = this.renderer.renderFragment(shown, this.openMath);
            this.openNodes = [...fragment.childNodes];
            this.container.append(fragment);
        }
        this.onRender?.();
    }

    private appendFinished(block: DocumentFragment): void {
        if (this.segment == null || this.segmentBlocks === blocksPerSegment) {
            this.segment = this.container.ownerDocument.createElement("div");
            this.segment.className = "finished-segment";
            this.container.append(this.segment);
            this.segmentBlocks = 0;
        }
        this.segment.append(block);
        this.segmentBlocks++;
    }
}
