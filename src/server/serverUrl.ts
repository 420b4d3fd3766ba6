/**
 * The server's URL as users type it, made into the API's base URL, and where
 * its API key is kept. No `vscode` import.
 */
import {originOf} from "../core/urlParts.ts";

/**
 * The base URL OpenAI clients take (`https://host/v1`), from what a user typed:
 * a bare host gets `/v1`; a pasted endpoint (`…/v1/chat/completions`,
 * `…/v1/models`) loses the endpoint. Undefined when it is not an http(s) URL.
 */
export function normalizeBaseUrl(typed: string): string | undefined {
    const text = typed.trim();
    if (!/^https?:\/\//i.test(text))
        return undefined;
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        return undefined;
    }
    if (url.hostname === "")
        return undefined;
    url.search = "";
    url.hash = "";
    let path = url.pathname.replace(/\/+$/, "").replace(/\/(chat\/completions|completions|models)$/, "");
    if (path === "")
        path = "/v1";
    url.pathname = path;
    return url.toString().replace(/\/+$/, "");
}

/**
 * The SecretStorage name of a server's API key: one per origin, so a key given
 * for one server is never sent to another (a changed URL asks for its own key).
 */
export function apiKeySecretName(baseUrl: string): string {
    return `astrosage.server.apiKey:${originOf(baseUrl)}`;
}
