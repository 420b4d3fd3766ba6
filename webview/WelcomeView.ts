/**
 * The first-run welcome above the conversation: what AstroSage is, the build
 * that suits this machine and why, and the buttons to get it (or to use a file
 * on disk). While the model downloads it shows the progress with Cancel.
 * All text is set as text, never as HTML.
 */
import type {Welcome, WelcomeAction} from "../src/chat/webviewProtocol.ts";
import {byId, element} from "./dom.ts";
import {post} from "./host.ts";

const verdictIcons = {fits: "pass", tight: "warning", tooBig: "error"} as const;

export class WelcomeView {
    private readonly root = byId<HTMLElement>("welcome");
    private buildId: string | undefined;

    public constructor() {
        this.root.addEventListener("click", (event) => {
            const button = (event.target as HTMLElement).closest<HTMLElement>("[data-welcome-action]");
            if (button != null)
                post({type: "welcomeAction", action: button.dataset.welcomeAction as WelcomeAction, buildId: this.buildId});
        });
    }

    public show(welcome: Welcome | null) {
        this.root.hidden = welcome == null;
        document.body.classList.toggle("welcoming", welcome != null);
        if (welcome == null)
            return;
        this.buildId = welcome.build?.id;
        this.root.replaceChildren(
            element("h2", undefined, "Welcome to AstroSage"),
            element("p", "intro",
                "An astronomy research assistant from AstroMLab: Llama 3.1 trained further on astronomy papers and textbooks. " +
                "AstroSage-8B scores 80.9% on the AstroMLab-1 astronomy benchmark (GPT-4o: 80.4%). " +
                "It runs on this machine: your questions, manuscripts and data never leave it."),
            ...this.card(welcome),
            ...this.problem(welcome),
            ...this.progress(welcome),
            this.buttons(welcome)
        );
    }

    private card(welcome: Welcome): HTMLElement[] {
        if (welcome.build == null)
            return [];
        const card = element("div", "build-card");
        const title = element("div", "build-title");
        title.append(element("strong", undefined, welcome.build.label), element("span", "size", ` · ${welcome.build.size} download`));
        card.append(title, element("div", "quality", welcome.build.quality));
        if (welcome.checking)
            card.append(line("loading~spin", "checking", "Checking how it fits this machine…"));
        if (welcome.fit != null) {
            card.append(line(verdictIcons[welcome.fit.verdict], `fit ${welcome.fit.verdict}`, welcome.fit.text));
            if (welcome.fit.advice != null)
                card.append(element("div", "advice", welcome.fit.advice));
        }
        if (welcome.machine != null)
            card.append(element("div", "machine", welcome.machine));
        return [card];
    }

    private problem(welcome: Welcome): HTMLElement[] {
        return welcome.problem == null ? [] : [line("warning", "problem", welcome.problem)];
    }

    private progress(welcome: Welcome): HTMLElement[] {
        if (welcome.download == null)
            return [];
        const bar = document.createElement("vscode-progress-bar");
        bar.setAttribute("value", String(welcome.download.percent));
        bar.setAttribute("max", "100");
        bar.setAttribute("aria-label", "Download progress");
        const wrapper = element("div", "download-progress");
        wrapper.append(bar, element("div", "download-text", `Downloading: ${welcome.download.text}`));
        return [wrapper];
    }

    private buttons(welcome: Welcome): HTMLElement {
        const row = element("div", "buttons");
        if (welcome.download != null) {
            row.append(button("Cancel Download", "cancelDownload", "close", true));
            return row;
        }
        if (welcome.problem != null) {
            // Offline or refused: a file already on disk is the way forward now; the builds stay one click away.
            row.append(
                button("Use a File on Disk…", "selectModelFile", "file", false),
                button("Try Again", "retry", "refresh", true),
                button("Other Builds…", "selectModel", "list-selection", true),
                button("Connect to Server…", "connectToServer", "server", true)
            );
            return row;
        }
        row.append(
            button(welcome.resumable ? "Resume Download" : "Download", "download", "cloud-download", false),
            button("Other Builds…", "selectModel", "list-selection", true),
            button("Use a File on Disk…", "selectModelFile", "file", true),
            // AstroSage-70B needs about 40 GB: groups serve it (vLLM, llama-server) rather than run it on a laptop.
            button("Connect to Server…", "connectToServer", "server", true)
        );
        return row;
    }
}

function line(icon: string, className: string, text: string): HTMLElement {
    const row = element("div", `line ${className}`);
    const glyph = document.createElement("vscode-icon");
    glyph.setAttribute("name", icon.replace(/~spin$/, ""));
    if (icon.endsWith("~spin"))
        glyph.setAttribute("spin", "");
    row.append(glyph, element("span", undefined, text));
    return row;
}

function button(label: string, action: WelcomeAction, icon: string, secondary: boolean): HTMLElement {
    const created = document.createElement("vscode-button");
    created.textContent = label;
    created.setAttribute("icon", icon);
    if (secondary)
        created.setAttribute("secondary", "");
    created.dataset.welcomeAction = action;
    return created;
}
