/**
 * One answer on the page: the model's reasoning (a ThoughtSection, folded once
 * the answer starts), the answer itself, and a footer with its figures and
 * actions. Text goes through the streaming renderer, which renders each
 * finished block once and only re-renders the open one.
 */
import type {ReasoningDisplay, ShownMessage} from "../src/chat/webviewProtocol.ts";
import type {TurnStats} from "../src/core/chatTypes.ts";
import {element, iconButton} from "./dom.ts";
import {StreamingRenderer, ThoughtSection, type ThoughtStats} from "./render/index.ts";

export class AnswerView {
    public readonly root = element("article", "message assistant");
    private readonly thought: ThoughtSection;
    private readonly answer: StreamingRenderer;
    private readonly stats = element("span", "stats");
    private thoughtStartedAt: number | undefined;
    private thoughtChunks = 0;
    private thoughtEnded = false;

    /** `onRender` runs after each change on screen (the renderers draw at animation frames). */
    /** `macros`: a manuscript's `\newcommand`s, for an answer about one. */
    public constructor(private readonly display: ReasoningDisplay, onRender?: () => void, macros?: Readonly<Record<string, string>>) {
        this.thought = new ThoughtSection(document, {onRender, display});
        this.root.setAttribute("aria-label", "AstroSage's answer");
        this.thought.element.hidden = true;
        const body = element("div", "answer markdown");
        const footer = element("div", "footer");
        const actions = element("span", "actions");
        actions.append(iconButton("copy", "Copy answer", "copy-answer"), iconButton("refresh", "Regenerate answer", "regenerate"));
        footer.append(this.stats, actions);
        this.root.append(this.thought.element, body, footer);
        this.answer = new StreamingRenderer(body, {onRender, ...(macros == null ? {} : {macros})});
        this.root.classList.add("streaming");
    }

    /** Shows a saved answer at once. */
    public static restore(message: ShownMessage, display: ReasoningDisplay, onRender?: () => void): AnswerView {
        const view = new AnswerView(display, onRender, message.macros);
        view.appendThought(message.thought);
        view.appendText(message.text);
        if (message.stats != null)
            view.finish(message.stats);
        else
            view.fail(message.error ?? "This answer was interrupted.");
        return view;
    }

    /** The answer's Markdown, for Copy. */
    public get markdown(): string {
        return this.answer.markdown;
    }

    public appendThought(text: string) {
        if (text === "")
            return;
        this.thoughtStartedAt ??= performance.now();
        this.thoughtChunks++;
        this.thought.element.hidden = this.display === "hidden";
        this.thought.append(text);
    }

    public appendText(text: string) {
        if (text === "")
            return;
        // The answer has begun, so the reasoning is over: fold it with the time measured here.
        if (!this.thoughtEnded && this.thoughtStartedAt != null)
            this.endThought({durationMs: performance.now() - this.thoughtStartedAt, tokens: this.thoughtChunks});
        this.answer.append(text);
    }

    public finish(stats: TurnStats) {
        if (this.thoughtStartedAt != null)
            this.endThought({durationMs: stats.thoughtMs, tokens: stats.thoughtTokens});
        this.answer.finish();
        this.root.classList.remove("streaming");
        const stopped = stats.stopReason === "abort" ? " · stopped" : stats.stopReason === "maxTokens" ? " · length limit reached" : "";
        this.stats.textContent = `${stats.generatedTokens} tokens · ${stats.tokensPerSecond.toFixed(1)} tok/s${stopped}`;
        this.stats.title = `First token after ${(stats.timeToFirstTokenMs / 1000).toFixed(2)} s · prompt ${stats.promptTokens} tokens`;
    }

    public fail(message: string) {
        if (this.thoughtStartedAt != null && !this.thoughtEnded)
            this.endThought({durationMs: performance.now() - this.thoughtStartedAt, tokens: this.thoughtChunks});
        this.answer.finish();
        this.root.classList.remove("streaming");
        this.root.classList.add("failed");
        this.stats.textContent = message;
    }

    /**
     * Labels the reasoning with how long it took and folds it (as the setting
     * says, unless the user opened or closed it); called again with the engine's
     * own figures, it only relabels it.
     */
    private endThought(stats: ThoughtStats) {
        this.thought.finish(stats);
        this.thoughtEnded = true;
    }
}
