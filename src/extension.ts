/**
 * Entry point: builds the extension's context and reports activation failures.
 * Everything else lives in the context and the parts it builds.
 */
import * as vscode from "vscode";
import {AstroSageContext} from "./context.ts";

export function activate(extension: vscode.ExtensionContext) {
    try {
        extension.subscriptions.push(new AstroSageContext(extension));
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        void vscode.window.showErrorMessage(`AstroSage could not start: ${message}`);
        throw error;
    }
}

export function deactivate() {}
