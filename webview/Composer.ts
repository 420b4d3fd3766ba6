/**
 * The input bar: a multi-line prompt (Enter sends, Shift+Enter adds a line,
 * Escape stops, Up in an empty box recalls the last prompt), the Reasoning
 * toggle, the chip of the editor selection that will be included, and Send/Stop.
 */
import {byId} from "./dom.ts";
import {post} from "./host.ts";

type TextArea = HTMLElement & {value: string; focus(): void};
type Checkbox = HTMLElement & {checked: boolean};

export class Composer {
    private readonly prompt = byId<TextArea>("prompt");
    private readonly send = byId<HTMLElement & {disabled: boolean}>("send");
    private readonly stop = byId<HTMLElement>("stop");
    private readonly reasoning = byId<Checkbox>("reasoning");
    private readonly chip = byId<HTMLElement>("selection-chip");
    private readonly chipLabel = byId<HTMLElement>("selection-label");
    private lastPrompt = "";
    private generating = false;

    public constructor() {
        this.send.addEventListener("click", () => this.submit());
        this.stop.addEventListener("click", () => {
            post({type: "stop"});
            this.focus();
        });
        byId("selection-remove").addEventListener("click", () => {
            post({type: "dismissSelection"});
            this.focus();
        });
        this.prompt.addEventListener("keydown", (event: KeyboardEvent) => this.onKey(event));
    }

    /** Whether the next question is asked with reasoning on. */
    public get reasoningOn(): boolean {
        return this.reasoning.checked;
    }

    public setReasoningDefault(on: boolean) {
        this.reasoning.checked = on;
    }

    public setGenerating(generating: boolean) {
        this.generating = generating;
        this.stop.hidden = !generating;
        this.send.hidden = generating;
        document.body.classList.toggle("generating", generating);
    }

    public setSelection(selection: {label: string; lineCount: number} | null) {
        this.chip.hidden = selection == null;
        this.chipLabel.textContent = selection == null ? "" : selection.label;
        this.chip.title = selection == null ? "" : `The selection (${selection.lineCount} line${selection.lineCount === 1 ? "" : "s"}) is sent with your question`;
    }

    public focus() {
        this.prompt.focus();
    }

    private onKey(event: KeyboardEvent) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            this.submit();
        } else if (event.key === "Escape" && this.generating) {
            event.preventDefault();
            post({type: "stop"});
        } else if (event.key === "ArrowUp" && this.prompt.value === "" && this.lastPrompt !== "") {
            event.preventDefault();
            this.prompt.value = this.lastPrompt;
        }
    }

    private submit() {
        const text = this.prompt.value.trim();
        if (text === "" || this.generating)
            return;
        post({type: "send", text, reasoning: this.reasoning.checked, includeSelection: !this.chip.hidden});
        this.lastPrompt = text;
        this.prompt.value = "";
        this.focus();
    }
}
