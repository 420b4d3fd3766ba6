/**
 * The chat page's HTML: locked down by a Content Security Policy that allows
 * only the extension's own script (by a fresh nonce) and stylesheet.
 */
import {randomBytes} from "node:crypto";
import * as vscode from "vscode";

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
    const nonce = randomBytes(18).toString("base64");
    const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "webview.js"));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "media", "chat.css"));
    const csp = [
        "default-src 'none'",
        `style-src ${webview.cspSource}`,
        `font-src ${webview.cspSource}`,
        `img-src ${webview.cspSource}`,
        `script-src 'nonce-${nonce}'`
    ].join("; ");

    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>AstroSage Chat</title>
</head>
<body>
<header id="status" role="status" aria-live="polite"></header>
<section id="notice" hidden>
  <p id="notice-text"></p>
  <button id="notice-action" type="button"></button>
</section>
<main id="messages" aria-live="polite" aria-label="Conversation"></main>
<form id="composer">
  <textarea id="prompt" rows="3" placeholder="Ask AstroSage about astronomy… (Enter to send, Shift+Enter for a new line)" aria-label="Prompt"></textarea>
  <div class="buttons">
    <button id="stop" type="button" hidden>Stop</button>
    <button id="send" type="submit">Send</button>
  </div>
</form>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
