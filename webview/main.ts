/**
 * The chat page: wires the input bar and the conversation to the host.
 * Everything from the host is checked before use (host.ts); model text reaches
 * the DOM only through the sanitizing renderer.
 */
import "@vscode-elements/elements/dist/vscode-button/index.js";
import "@vscode-elements/elements/dist/vscode-checkbox/index.js";
import "@vscode-elements/elements/dist/vscode-textarea/index.js";
import "@vscode-elements/elements/dist/vscode-toolbar-button/index.js";
import "@vscode-elements/elements/dist/vscode-icon/index.js";
import "@vscode-elements/elements/dist/vscode-progress-bar/index.js";
import {Composer} from "./Composer.ts";
import type {NoticeAction} from "../src/chat/webviewProtocol.ts";
import {byId} from "./dom.ts";
import {onHostMessage, post} from "./host.ts";
import {MessageList} from "./MessageList.ts";
import {WelcomeView} from "./WelcomeView.ts";

const composer = new Composer();
const messages = new MessageList(() => composer.reasoningOn, () => {
    composer.setGenerating(false);
    composer.focus();
});
const welcome = new WelcomeView();
const status = byId<HTMLElement>("status");
const notice = byId<HTMLElement>("notice");
const noticeText = byId<HTMLElement>("notice-text");
const noticeButton = byId<HTMLElement>("notice-action");
let noticeAction: NoticeAction | undefined;

noticeButton.addEventListener("click", () => {
    if (noticeAction != null)
        post({type: "noticeAction", action: noticeAction});
});

onHostMessage((message) => {
    switch (message.type) {
        case "conversation":
            messages.showAll(message.messages);
            composer.setGenerating(message.generating);
            return;
        case "turnStarted":
            messages.startTurn(message.requestId, message.prompt, message.context, message.macros);
            composer.setGenerating(true);
            return;
        case "frame":
            messages.applyFrame(message.requestId, message.frame);
            return;
        case "status":
            status.textContent = message.text;
            status.title = message.detail;
            status.classList.toggle("busy", message.busy);
            return;
        case "notice":
            notice.hidden = message.notice == null;
            noticeText.textContent = message.notice?.text ?? "";
            noticeAction = message.notice?.action;
            noticeButton.hidden = noticeAction == null;
            noticeButton.textContent = message.notice?.actionLabel ?? "";
            return;
        case "welcome":
            welcome.show(message.welcome);
            return;
        case "selection":
            composer.setSelection(message.selection);
            return;
        case "settings":
            composer.setReasoningDefault(message.reasoning);
            messages.display = message.reasoningDisplay;
            return;
        case "focusPrompt":
            composer.focus();
            return;
    }
});

post({type: "ready"});
composer.focus();
