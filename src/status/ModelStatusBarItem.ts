/**
 * The status bar item: the model and what it is doing, the last answer's
 * figures on hover; a click opens the model picker.
 */
import * as vscode from "vscode";
import {describeStatus, describeStatusDetail, type ModelStatus} from "../core/ModelStatus.ts";

export class ModelStatusBarItem implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem("astrosage.status", vscode.StatusBarAlignment.Right, 100);

    public constructor() {
        this.item.name = "AstroSage";
        this.item.command = "astrosage.selectModel";
        this.item.show();
    }

    public update(status: ModelStatus) {
        const icon = iconFor(status);
        this.item.text = `${icon} ${shortText(status)}`;
        this.item.tooltip = `AstroSage: ${describeStatusDetail(status)}\n\nClick to choose a model.`;
        this.item.backgroundColor = status.state === "error" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
        this.item.accessibilityInformation = {label: `AstroSage: ${describeStatus(status)}`};
    }

    public dispose() {
        this.item.dispose();
    }
}

function iconFor(status: ModelStatus): string {
    switch (status.state) {
        case "loading":
        case "starting":
        case "generating": return "$(loading~spin)";
        case "error": return "$(error)";
        case "noModel": return "$(cloud-download)";
        case "downloading": return "$(cloud-download)";
        case "server": return "$(server)";
        default: return "$(sparkle)";
    }
}

function shortText(status: ModelStatus): string {
    switch (status.state) {
        case "noModel": return "AstroSage: not downloaded";
        case "downloading": return `AstroSage: downloading ${Math.floor(status.progress * 100)}%`;
        case "notLoaded": return "AstroSage: not loaded";
        case "starting": return "AstroSage: starting";
        case "loading": return `AstroSage: loading ${Math.round(status.progress * 100)}%`;
        case "ready": return `AstroSage: ready on ${status.device}`;
        case "generating": return status.tokensPerSecond == null ? "AstroSage: generating" : `AstroSage: generating ${status.tokensPerSecond.toFixed(1)} tok/s`;
        case "error": return "AstroSage: error";
        case "server": return `AstroSage: ${status.host}`;
    }
}
