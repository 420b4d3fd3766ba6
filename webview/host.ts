/** The page's side of the webview protocol: checked messages in, typed messages out. */
import {parseHostMessage, type HostMessage, type ViewMessage} from "../src/chat/webviewProtocol.ts";

declare function acquireVsCodeApi(): {postMessage(message: unknown): void};
const vscode = acquireVsCodeApi();

export function post(message: ViewMessage) {
    vscode.postMessage(message);
}

export function onHostMessage(handler: (message: HostMessage) => void) {
    window.addEventListener("message", (event: MessageEvent<unknown>) => {
        const {message, problem} = parseHostMessage(event.data);
        if (message != null)
            handler(message);
        else
            console.warn("AstroSage: ignored a malformed message", problem);
    });
}
