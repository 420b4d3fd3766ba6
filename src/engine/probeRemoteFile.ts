/**
 * Asks the download source about a file before downloading it: whether it is
 * reachable, its size, and the SHA-256 it announces.
 *
 * node-llama-cpp's downloader retries a failing server for many minutes without
 * a word, so the first contact is ours, with a timeout and a message for each
 * way it can fail. Redirects are followed by hand: Hugging Face announces a
 * large file's SHA-256 (`X-Linked-Etag`) and size (`X-Linked-Size`) on the
 * redirect to its storage, not on the final answer.
 */
import {hostOf} from "../core/urlParts.ts";
import {DownloadError} from "./downloadErrors.ts";

export type RemoteFile = {
    /** Bytes the source will send; undefined when it does not say. */
    size: number | undefined;
    /** Lower-case hex SHA-256 announced by the source, when it announces one. */
    sha256: string | undefined;
};

const MAX_REDIRECTS = 8;

export async function probeRemoteFile(url: string, {signal, timeoutMs = 20_000}: {signal?: AbortSignal; timeoutMs?: number} = {}): Promise<RemoteFile> {
    const host = hostOf(url);
    let current = url;
    let announced: RemoteFile = {size: undefined, sha256: undefined};
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const timeout = AbortSignal.timeout(timeoutMs);
        let response: Response;
        try {
            response = await fetch(current, {
                method: "HEAD",
                redirect: "manual",
                signal: signal == null ? timeout : AbortSignal.any([signal, timeout])
            });
        } catch (error) {
            if (signal?.aborted)
                throw new DownloadError("cancelled", "The download was cancelled.");
            if (timeout.aborted)
                throw new DownloadError("network", `${host} did not answer within ${Math.round(timeoutMs / 1000)} s. Check the network connection, or use a model file on disk instead.`);
            throw new DownloadError("network", `Could not reach ${host} (${networkReason(error)}). Check the network connection or the "astrosage.download.baseUrl" mirror, or use a model file on disk instead.`);
        }
        announced = {
            size: announced.size ?? sizeHeader(response.headers.get("x-linked-size")),
            sha256: announced.sha256 ?? sha256Header(response.headers.get("x-linked-etag")) ?? sha256Header(response.headers.get("etag"))
        };
        if (response.status >= 300 && response.status < 400) {
            const location = response.headers.get("location");
            if (location == null)
                throw new DownloadError("sourceRefused", `${host} answered with a redirect (${response.status}) that leads nowhere.`);
            current = new URL(location, current).href;
            continue;
        }
        if (!response.ok)
            throw new DownloadError("sourceRefused", statusMessage(response, host));
        return {size: announced.size ?? sizeHeader(response.headers.get("content-length")), sha256: announced.sha256};
    }
    throw new DownloadError("sourceRefused", `${host} redirected more than ${MAX_REDIRECTS} times.`);
}

function statusMessage(response: Response, host: string): string {
    const status = `${response.status}${response.statusText === "" ? "" : ` ${response.statusText}`}`;
    switch (response.status) {
        case 401:
        case 403:
            return `${host} refused the download (${status}). A mirror may need you to sign in; check "astrosage.download.baseUrl".`;
        case 404:
            return `${host} does not have this file (${status}). If you use a mirror ("astrosage.download.baseUrl"), check that it carries the AstroSage files.`;
        case 429: {
            const retryAfter = response.headers.get("retry-after");
            return `${host} is limiting downloads (${status})${retryAfter == null ? "" : `; it asks to wait ${retryAfter} s`}. Try again later.`;
        }
        default:
            return response.status >= 500
                ? `${host} failed to serve the file (${status}). Try again later, or use a model file on disk instead.`
                : `${host} refused the download (${status}).`;
    }
}

function sizeHeader(value: string | null): number | undefined {
    if (value == null || !/^\d+$/.test(value.trim()))
        return undefined;
    return Number(value.trim());
}

/** A SHA-256 in an ETag: 64 hex digits, quoted or weak (`W/"…"`) as servers send them. */
function sha256Header(value: string | null): string | undefined {
    const match = value?.match(/^(?:W\/)?"?([0-9a-f]{64})"?$/i);
    return match?.[1]?.toLowerCase();
}

/** undici hides the reason (ECONNREFUSED, ENOTFOUND, a TLS error) in `cause`. */
export function networkReason(error: unknown): string {
    const cause = error instanceof Error ? error.cause : undefined;
    if (cause instanceof Error)
        return "code" in cause && typeof cause.code === "string" ? `${cause.code}: ${cause.message}` : cause.message;
    return error instanceof Error ? error.message : String(error);
}
