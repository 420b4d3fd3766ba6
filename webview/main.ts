/**
 * The chat page. Model text is only ever set as text (`textContent`), never as
 * HTML; every message from the host is checked before it is used.
 */
import {parseHostMessage, type HostMessage, type ShownMessage, type ViewMessage} from "../src/chat/webviewProtocol.ts";

declare function acquireVsCodeApi(): {postMessage(message: unknown): void};
const vscode = acquireVsCodeApi();

function post(message: ViewMessage) {
    vscode.postMessage(message);
}

function byId<T extends HTMLElement>(id: string): T {
    const element = document.getElementById(id);
    if (element == null)
        throw new Error(`The chat page has no #${id}`);
    return element as T;
}

const messagesEl = byId<HTMLElement>("messages");
const promptEl = byId<HTMLTextAreaElement>("prompt");
const sendEl = byId<HTMLButtonElement>("send");
const stopEl = byId<HTMLButtonElement>("stop");
const statusEl = byId<HTMLElement>("status");
const noticeEl = byId<HTMLElement>("notice");
const noticeTextEl = byId<HTMLElement>("notice-text");
const noticeActionEl = byId<HTMLButtonElement>("notice-action");

type AnswerView = {root: HTMLElement; thought: HTMLElement; thoughtBody: HTMLElement; answer: HTMLElement; footer: HTMLElement};
let current: {requestId: string; view: AnswerView} | undefined;
let noticeAction: ViewMessage & {type: "noticeAction"} | undefined;

function addUserMessage(text: string) {
    const el = document.createElement("div");
    el.className = "message user";
    el.textContent = text;
    messagesEl.append(el);
}

function addAnswer(): AnswerView {
    const root = document.createElement("div");
    root.className = "message assistant";
    const thought = document.createElement("details");
    thought.className = "thought";
    thought.hidden = true;
    const summary = document.createElement("summary");
    summary.textContent = "Reasoning";
    const thoughtBody = document.createElement("div");
    thoughtBody.className = "thought-body";
    thought.append(summary, thoughtBody);
    const answer = document.createElement("div");
    answer.className = "answer";
    const footer = document.createElement("div");
    footer.className = "footer";
    root.append(thought, answer, footer);
    messagesEl.append(root);
    return {root, thought, thoughtBody, answer, footer};
}

function showMessage(message: ShownMessage) {
    if (message.role === "user") {
        addUserMessage(message.text);
        return;
    }
    const view = addAnswer();
    appendThought(view, message.thought);
    view.answer.textContent = message.text;
    if (message.stats != null)
        view.footer.textContent = describeStats(message.stats);
    if (message.error != null)
        showError(view, message.error);
}

function appendThought(view: AnswerView, text: string) {
    if (text === "")
        return;
    view.thought.hidden = false;
    view.thoughtBody.textContent += text;
}

function showError(view: AnswerView, message: string) {
    view.root.classList.add("failed");
    view.footer.textContent = message;
}

function describeStats(stats: {generatedTokens: number; tokensPerSecond: number; stopReason: string}): string {
    const stopped = stats.stopReason === "abort" ? " · stopped" : stats.stopReason === "maxTokens" ? " · length limit reached" : "";
    return `${stats.generatedTokens} tokens · ${stats.tokensPerSecond.toFixed(1)} tok/s${stopped}`;
}

function setGenerating(generating: boolean) {
    stopEl.hidden = !generating;
    sendEl.disabled = generating;
    document.body.classList.toggle("generating", generating);
}

function scrollToEnd() {
    messagesEl.scrollTop = messagesEl.scrollHeight;
}

function receive(message: HostMessage) {
    switch (message.type) {
        case "conversation":
            messagesEl.replaceChildren();
            current = undefined;
            message.messages.forEach(showMessage);
            setGenerating(message.generating);
            scrollToEnd();
            return;
        case "turnStarted":
            addUserMessage(message.prompt);
            current = {requestId: message.requestId, view: addAnswer()};
            current.view.root.classList.add("streaming");
            setGenerating(true);
            scrollToEnd();
            return;
        case "frame": {
            if (current?.requestId !== message.requestId)
                return;
            const {view} = current;
            const {frame} = message;
            if (frame.kind === "text")
                view.answer.textContent += frame.text;
            else if (frame.kind === "thought")
                appendThought(view, frame.text);
            else {
                if (frame.kind === "done")
                    view.footer.textContent = describeStats(frame.stats);
                else
                    showError(view, frame.message);
                view.root.classList.remove("streaming");
                current = undefined;
                setGenerating(false);
                promptEl.focus();
            }
            scrollToEnd();
            return;
        }
        case "status":
            statusEl.textContent = message.text;
            statusEl.classList.toggle("busy", message.busy);
            return;
        case "notice":
            noticeEl.hidden = message.notice == null;
            noticeTextEl.textContent = message.notice?.text ?? "";
            noticeAction = message.notice?.action == null ? undefined : {type: "noticeAction", action: message.notice.action};
            noticeActionEl.hidden = noticeAction == null;
            noticeActionEl.textContent = message.notice?.actionLabel ?? "";
            return;
    }
}

window.addEventListener("message", (event: MessageEvent<unknown>) => {
    const {message, problem} = parseHostMessage(event.data);
    if (message != null)
        receive(message);
    else
        console.warn("AstroSage: ignored a malformed message", problem);
});

function send() {
    const text = promptEl.value.trim();
    if (text === "" || sendEl.disabled)
        return;
    post({type: "send", text});
    promptEl.value = "";
}

byId<HTMLFormElement>("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    send();
});
promptEl.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        send();
    } else if (event.key === "Escape")
        post({type: "stop"});
});
stopEl.addEventListener("click", () => {
    post({type: "stop"});
    promptEl.focus();
});
noticeActionEl.addEventListener("click", () => {
    if (noticeAction != null)
        post(noticeAction);
});

post({type: "ready"});
promptEl.focus();
