/**
 * What can go wrong talking to an inference server, in words a user can act on.
 *
 * Every message names the server by its origin only (never a path with a token
 * in it), quotes what the server itself said when it said something, and passes
 * through `redact` so no API key or header value ever reaches a message or a log.
 */
import type {ChatErrorCode} from "../core/chatTypes.ts";

export type ServerErrorCode = Extract<ChatErrorCode, "serverUnreachable" | "serverAuth" | "serverBusy" | "serverRejected" | "serverFailed">;

export class ServerError extends Error {
    public constructor(
        public readonly code: ServerErrorCode,
        message: string,
        /** The HTTP status, when the server answered. */
        public readonly status?: number,
        /** Seconds the server asked to wait (429's or 503's `Retry-After`). */
        public readonly retryAfterSeconds?: number
    ) {
        super(message);
        this.name = "ServerError";
    }
}

/** A failed `fetch` (no HTTP answer at all) as a ServerError naming the reason. */
export function unreachable(error: unknown, origin: string): ServerError {
    const cause = (error as {cause?: {code?: string; message?: string}} | undefined)?.cause;
    const code = cause?.code ?? (error as {code?: string} | undefined)?.code ?? "";
    const reason = tlsReasons[code] ?? networkReasons[code];
    if (reason != null)
        return new ServerError("serverUnreachable", `${origin} ${reason}`);
    const detail = cause?.message ?? (error instanceof Error ? error.message : String(error));
    return new ServerError("serverUnreachable", `${origin} could not be reached (${detail}). Check the URL in astrosage.server.url and your network.`);
}

const tlsReasons: Record<string, string> = {
    DEPTH_ZERO_SELF_SIGNED_CERT: "presented a self-signed TLS certificate, which is not trusted. Ask the server's administrators for a certificate from a trusted authority, or add their authority to your system's trusted certificates.",
    SELF_SIGNED_CERT_IN_CHAIN: "presented a TLS certificate signed by an authority this machine does not trust. Add your facility's certificate authority to your system's trusted certificates.",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "presented a TLS certificate that could not be verified. Add your facility's certificate authority to your system's trusted certificates.",
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "presented a TLS certificate whose issuer this machine does not know. Add your facility's certificate authority to your system's trusted certificates.",
    CERT_HAS_EXPIRED: "presented an expired TLS certificate. Tell the server's administrators.",
    ERR_TLS_CERT_ALTNAME_INVALID: "presented a TLS certificate for another host name. Check the host in astrosage.server.url.",
    ERR_SSL_WRONG_VERSION_NUMBER: "does not speak TLS on that port: try http:// instead of https://.",
    EPROTO: "broke off the TLS handshake: check whether the URL should start with http:// or https://."
};

const networkReasons: Record<string, string> = {
    ECONNREFUSED: "refused the connection: no server is listening there. Check the host and port in astrosage.server.url, and that the server is running.",
    ENOTFOUND: "is not a known host name. Check astrosage.server.url, and your VPN if the server is inside your facility's network.",
    EAI_AGAIN: "could not be looked up (the name server did not answer). Check your network or VPN.",
    ETIMEDOUT: "did not answer the connection in time. Check your network or VPN.",
    EHOSTUNREACH: "cannot be reached from this machine. Check your network or VPN.",
    ENETUNREACH: "cannot be reached: this machine has no route to it. Check your network or VPN.",
    ECONNRESET: "closed the connection before answering. Try again; if it keeps happening, check the server's log.",
    UND_ERR_SOCKET: "closed the connection before answering. Try again; if it keeps happening, check the server's log."
};

/** A non-2xx answer as a ServerError, with what the server said. */
export function fromStatus(status: number, statusText: string, body: string, origin: string, retryAfter: string | null): ServerError {
    const said = serverSaid(body);
    const quote = said === "" ? "" : ` The server said: "${said}"`;
    const label = `${status}${statusText === "" ? "" : ` ${statusText}`}`;
    if (status === 401)
        return new ServerError("serverAuth", `${origin} refused the request (${label}): it needs an API key, or the one stored is wrong. Run "AstroSage: Set Server API Key…".${quote}`, status);
    if (status === 403)
        return new ServerError("serverAuth", `${origin} refused the request (${label}): the API key or the gateway headers (astrosage.server.headers) do not give access to it.${quote}`, status);
    if (status === 429 || status === 503) {
        const seconds = parseRetryAfter(retryAfter);
        const wait = seconds == null ? "Try again in a little while." : `It asks to wait ${formatSeconds(seconds)}.`;
        const what = status === 429 ? "is limiting requests" : "is overloaded or starting";
        return new ServerError("serverBusy", `${origin} ${what} (${label}). ${wait}${quote}`, status, seconds);
    }
    if (status === 404)
        return new ServerError("serverRejected", `${origin} has no such endpoint or model (${label}). Check that astrosage.server.url ends with the API's base path (usually /v1) and the model name.${quote}`, status);
    if (status >= 500)
        return new ServerError("serverFailed", `${origin} failed to answer (${label}): the problem is on the server. Try again; if it persists, tell its administrators.${quote}`, status);
    return new ServerError("serverRejected", `${origin} rejected the request (${label}).${quote}`, status);
}

/** The error text of an OpenAI-style error body (`{"error": {"message": …}}`), or the body's start. */
export function serverSaid(body: string): string {
    let text = body.trim();
    try {
        const parsed = JSON.parse(text) as {error?: string | {message?: string}; message?: string; detail?: string};
        const error = parsed.error;
        text = typeof error === "string" ? error : error?.message ?? parsed.message ?? parsed.detail ?? text;
    } catch {
        // Not JSON: an HTML error page or plain text. Its text is what the server said.
        text = text.replace(/<[^>]*>/g, " ");
    }
    text = text.replace(/\s+/g, " ").trim();
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** `Retry-After` as seconds: either a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
    if (value == null || value.trim() === "")
        return undefined;
    if (/^\d+$/.test(value.trim()))
        return Number(value.trim());
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function formatSeconds(seconds: number): string {
    return seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** `text` with every secret (API key, header values) replaced by `•••`. */
export function redact(text: string, secrets: readonly string[]): string {
    let result = text;
    for (const secret of secrets) {
        // Short values ("1", "yes") would blank out ordinary words; they are not secrets anyway.
        if (secret.length >= 4)
            result = result.split(secret).join("•••");
    }
    return result;
}
