/**
 * The chat page's HTML, locked down by a Content Security Policy: scripts only
 * the extension's own bundle (by a fresh nonce), styles and fonts only the
 * extension's own files, no remote loads of any kind. Inline style attributes
 * (not `<style>` elements) are allowed because KaTeX positions math glyphs with
 * them; they cannot run script, and with every fetch directive closed CSS
 * cannot reach the network.
 */
import {randomBytes} from "node:crypto";
import * as vscode from "vscode";

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
    const nonce = randomBytes(18).toString("base64");
    const asset = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
    const csp = [
        "default-src 'none'",
        `style-src ${webview.cspSource}`,
        "style-src-attr 'unsafe-inline'",
        `font-src ${webview.cspSource}`,
        `img-src ${webview.cspSource} data:`,
        `script-src 'nonce-${nonce}'`
    ].join("; ");

    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset("dist", "codicons", "codicon.css")}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset("dist", "katex", "katex.min.css")}">
<link rel="stylesheet" href="${asset("media", "render.css")}">
<link rel="stylesheet" href="${asset("media", "chat.css")}">
<title>AstroSage Chat</title>
</head>
<body>
<header id="status" role="status" aria-live="polite"></header>
<section id="welcome" hidden aria-label="Get started with AstroSage" aria-live="polite"></section>
<section id="notice" hidden>
  <p id="notice-text"></p>
  <vscode-button id="notice-action"></vscode-button>
</section>
<main id="messages" class="empty" aria-live="polite" aria-relevant="additions" aria-label="Conversation">
</main>
<form id="composer" aria-label="Ask AstroSage">
  <div id="selection-chip" hidden>
    <vscode-icon name="selection"></vscode-icon>
    <span id="selection-label"></span>
    <vscode-toolbar-button id="selection-remove" icon="close" label="Leave the selection out" title="Leave the selection out"></vscode-toolbar-button>
  </div>
  <vscode-textarea id="prompt" rows="3" resize="vertical" placeholder="Ask AstroSage about astronomy… (Enter to send, Shift+Enter for a new line)" label="Prompt"></vscode-textarea>
  <div class="buttons">
    <vscode-checkbox id="reasoning" toggle title="AstroSage's reasoning mode for the next question: slower, better at multi-step problems">Reasoning</vscode-checkbox>
    <span class="spacer"></span>
    <vscode-button id="stop" secondary icon="debug-stop" hidden>Stop</vscode-button>
    <vscode-button id="send" icon="send">Send</vscode-button>
  </div>
</form>
<script nonce="${nonce}" src="${asset("dist", "webview.js")}"></script>
</body>
</html>`;
}
