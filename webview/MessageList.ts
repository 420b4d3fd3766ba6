/**
 * The conversation on the page. Clicks inside answers are handled here, by
 * delegation (the page has no inline handlers): links go to the host, which
 * opens only web links; code blocks' Copy and Insert; an answer's Copy and
 * Regenerate.
 */
import type {ReasoningDisplay, ShownMessage} from "../src/chat/webviewProtocol.ts";
import type {StreamFrame} from "../src/core/chatTypes.ts";
import {AnswerView} from "./AnswerView.ts";
import {byId, element} from "./dom.ts";
import {post} from "./host.ts";

export class MessageList {
    private readonly root = byId<HTMLElement>("messages");
    private readonly answers = new WeakMap<Element, AnswerView>();
    private streaming: {requestId: string; view: AnswerView} | undefined;
    private lastAnswer: AnswerView | undefined;
    public display: ReasoningDisplay = "collapsed";
    /** Whether the view sticks to the end as the answer grows: until the user scrolls up to read. */
    private following = true;
    /** Where the last scroll event left the list: a smaller position next time is a scroll up. */
    private lastScrollTop = 0;

    public constructor(private readonly reasoningOn: () => boolean, private readonly onTurnEnded: () => void) {
        this.root.addEventListener("click", (event) => this.onClick(event));
        // Source links are buttons for the keyboard too.
        this.root.addEventListener("keydown", (event) => {
            if ((event.key === "Enter" || event.key === " ") && (event.target as Element | null)?.matches("a[data-source-file]"))
                this.onClick(event as unknown as MouseEvent);
        });
        // Growth alone fires no scroll event, so this only changes when the user (or scrollToEnd) scrolls.
        // Only a scroll up stops following: the event for scrollToEnd's own scroll can arrive after
        // the list has shrunk (a notice shown in the same frame), when it no longer looks like the end.
        this.root.addEventListener("scroll", () => {
            const top = this.root.scrollTop;
            if (top < this.lastScrollTop - 1)
                this.following = this.isAtEnd();
            else if (this.isAtEnd())
                this.following = true;
            this.lastScrollTop = top;
        });
        this.resizes.observe(this.root);
    }

    /**
     * Keeps the newest message in view when the list shrinks (a notice or the welcome
     * appears above it, the input grows) or the last answer grows after its last frame
     * (its footer, a late layout): neither moves the scroll position nor fires a scroll event.
     */
    private readonly resizes = new ResizeObserver(() => this.follow());

    public showAll(messages: readonly ShownMessage[]) {
        this.root.replaceChildren();
        this.streaming = undefined;
        this.lastAnswer = undefined;
        for (const message of messages) {
            if (message.role === "user")
                this.addUser(message.text, message.context);
            else
                this.addAnswer(AnswerView.restore(message, this.display, this.follow));
        }
        this.root.classList.toggle("empty", messages.length === 0);
        this.scrollToEnd();
    }

    /** A turn started: the user's message (unless regenerating) and an empty answer. */
    public startTurn(requestId: string, prompt: string | null, context: string | undefined, macros?: Record<string, string>) {
        this.root.classList.remove("empty");
        if (prompt == null)
            this.lastAnswer?.root.remove();
        else
            this.addUser(prompt, context);
        const view = new AnswerView(this.display, this.follow, macros);
        this.addAnswer(view);
        this.streaming = {requestId, view};
        this.scrollToEnd();
    }

    public applyFrame(requestId: string, frame: StreamFrame) {
        if (this.streaming?.requestId !== requestId)
            return;
        const {view} = this.streaming;
        switch (frame.kind) {
            case "text": view.appendText(frame.text); break;
            case "thought": view.appendThought(frame.text); break;
            case "done": view.finish(frame.stats); break;
            case "error": view.fail(frame.message); break;
        }
        if (frame.kind === "done" || frame.kind === "error") {
            this.streaming = undefined;
            this.onTurnEnded();
        }
        this.follow();
    }

    /** After the page changed: keeps the end in view unless the user scrolled away from it. */
    private readonly follow = () => {
        if (this.following)
            this.scrollToEnd();
    };

    private addUser(text: string, context: string | undefined) {
        const message = element("article", "message user");
        message.setAttribute("aria-label", "Your question");
        if (context != null)
            message.append(element("div", "context", context));
        message.append(element("div", "text", text));
        this.root.append(message);
    }

    private addAnswer(view: AnswerView) {
        this.answers.set(view.root, view);
        this.root.append(view.root);
        if (this.lastAnswer != null)
            this.resizes.unobserve(this.lastAnswer.root);
        this.resizes.observe(view.root);
        this.lastAnswer = view;
    }

    private onClick(event: MouseEvent) {
        const target = event.target as Element | null;
        const source = target?.closest<HTMLElement>("a[data-source-file]");
        if (source != null) {
            event.preventDefault();
            post({type: "openSource", file: source.dataset.sourceFile ?? "", line: Number(source.dataset.sourceLine)});
            return;
        }
        const link = target?.closest("a[href]");
        if (link != null) {
            event.preventDefault();
            post({type: "openLink", href: link.getAttribute("href") ?? ""});
            return;
        }
        const button = target?.closest<HTMLElement>("[data-action]");
        switch (button?.dataset.action) {
            case "copy":
            case "insert": {
                const code = button.closest(".code-block")?.querySelector("code")?.textContent ?? "";
                post(button.dataset.action === "copy" ? {type: "copy", text: code} : {type: "insertCode", code});
                return;
            }
            case "copy-answer": {
                const view = this.answers.get(button.closest(".message.assistant")!);
                if (view != null)
                    post({type: "copy", text: view.markdown});
                return;
            }
            case "regenerate":
                if (this.streaming == null)
                    post({type: "regenerate", reasoning: this.reasoningOn()});
                return;
        }
    }

    /** Keeps following the answer only if the user has not scrolled up to read. */
    private isAtEnd(): boolean {
        return this.root.scrollHeight - this.root.scrollTop - this.root.clientHeight < 40;
    }

    private scrollToEnd() {
        this.root.scrollTop = this.root.scrollHeight;
        this.following = true;
    }
}
