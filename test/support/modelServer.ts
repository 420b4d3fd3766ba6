/**
 * A real HTTP server on 127.0.0.1 that serves model files the way the Hugging
 * Face hub does, and fails the ways real servers fail, for the download tests
 * (engine and end to end).
 *
 * Files live at the hub's paths (`/<owner>/<name>/resolve/<revision>/<file>`),
 * so a catalog build's `downloadUrl(build, server.baseUrl)` finds them. Like the
 * hub, the server answers byte ranges (206, `Content-Range`, the end clamped to
 * the file) and announces each file's SHA-256 and size in `X-Linked-Etag` and
 * `X-Linked-Size`; with `hubHeaders: false` it is a plain mirror that announces
 * neither. Every response is logged with the body bytes actually written, so a
 * test can prove what was (and was not) downloaded again.
 */
import {createHash} from "node:crypto";
import {readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {setTimeout as sleep} from "node:timers/promises";
import {downloadUrl, type CatalogBuild} from "../../src/core/modelCatalog.ts";

/** Where a file sits in the hub's layout; a CatalogBuild is one. */
export type RepositoryFile = Pick<CatalogBuild, "repository" | "revision" | "fileName">;

/**
 * How the server treats one file. All off by default: the file is served as it is.
 * A behaviour can be changed while the file is served (`served.behaviour = …`).
 */
export type ServeBehaviour = {
    /** Sends the file with some of its tensor bytes flipped (same size), still announcing the original's SHA-256. */
    corrupt?: boolean;
    /** Sends an HTML page instead of the file, with status 200 and no hub headers, as a captive portal or a misconfigured mirror does. */
    htmlInstead?: boolean;
    /** Serves only the first `truncateTo` bytes, as if the file ended there (every header agrees with the short length). */
    truncateTo?: number;
    /** Announces this size in `X-Linked-Size` instead of the size actually sent. */
    announcedSize?: number;
    /** Answers every request (HEAD included) with this status and a short text body. */
    status?: number;
    /** With `status`: the `Retry-After` header, in seconds (as the hub sends with 429). */
    retryAfterSeconds?: number;
    /** Ignores `Range`: always 200 with the whole file, and no `Accept-Ranges`. */
    ignoreRange?: boolean;
    /** Sends each response's body at this rate (each connection on its own). */
    bytesPerSecond?: number;
    /** Each response stops sending after this many body bytes and keeps the connection open, silent. */
    stallAfterBytes?: number;
};

/** One answered request for a file. */
export type ServedRequest = {
    method: string;
    /** The `Range` header as received. */
    range: string | undefined;
    status: number;
    /** First and last byte offsets of the body, for a 200 or 206 with a body. */
    start?: number;
    end?: number;
    /** Body bytes written to the connection so far. */
    bodyBytes: number;
    /** Whether the whole body was written. */
    completed: boolean;
};

export type ModelServerOptions = {
    /**
     * Announce each file's SHA-256 (`X-Linked-Etag: "<sha256>"`) and size (`X-Linked-Size`) as the hub does.
     *
     * Defaults to true; false makes a plain mirror that announces neither.
     */
    hubHeaders?: boolean;
    /**
     * Answer a file's hub path with a 302 to a storage path, with the hub headers
     * on the redirect only, as the hub does for large files.
     *
     * Defaults to false.
     */
    redirectToStorage?: boolean;
};

const HTML_PAGE = Buffer.from(
    "<!DOCTYPE html>\n<html><head><title>Sign in to continue</title></head>\n" +
    "<body><h1>Sign in to the network</h1><p>This network requires you to accept its terms before you can browse.</p></body></html>\n".repeat(20)
);

/** A file the server serves; counts what was sent for it. */
export class ServedFile {
    /** How the file is served now; may be changed between requests. */
    public behaviour: ServeBehaviour;
    /** Every request for the file, in order of arrival. */
    public readonly requests: ServedRequest[] = [];
    /** SHA-256 of the file's real contents, lower-case hex. */
    public readonly sha256: string;
    readonly #waiters = new Set<() => void>();

    public constructor(
        /** The file's URL on the server (its hub path). */
        public readonly url: string,
        /** The file's real contents. */
        public readonly contents: Buffer,
        behaviour: ServeBehaviour
    ) {
        this.behaviour = behaviour;
        this.sha256 = createHash("sha256").update(contents).digest("hex");
    }

    public get size(): number {
        return this.contents.length;
    }

    /** Body bytes sent for the file, in all responses or in those `which` selects. */
    public bodyBytesSent(which: (request: ServedRequest) => boolean = () => true): number {
        return this.requests.filter(which).reduce((sum, request) => sum + request.bodyBytes, 0);
    }

    /** Resolves once `condition` holds; it is checked after every write for this file. */
    public waitFor(condition: (file: ServedFile) => boolean): Promise<void> {
        if (condition(this))
            return Promise.resolve();
        return new Promise((resolve) => {
            const check = () => {
                if (condition(this)) {
                    this.#waiters.delete(check);
                    resolve();
                }
            };
            this.#waiters.add(check);
        });
    }

    /** @internal Called by the server after each write. */
    public notify() {
        for (const check of [...this.#waiters])
            check();
    }
}

export class ModelServer {
    readonly #server: http.Server;
    readonly #options: Required<ModelServerOptions>;
    /** Files by URL path (the hub path, and the storage path when redirecting). */
    readonly #files = new Map<string, ServedFile>();
    readonly #storagePaths = new Map<string, ServedFile>();

    private constructor(server: http.Server, options: Required<ModelServerOptions>) {
        this.#server = server;
        this.#options = options;
    }

    /** Starts a server on 127.0.0.1 on a free port. */
    public static async start(options: ModelServerOptions = {}): Promise<ModelServer> {
        const server = http.createServer();
        const modelServer = new ModelServer(server, {hubHeaders: true, redirectToStorage: false, ...options});
        server.on("request", (request, response) => modelServer.#answer(request, response));
        server.listen(0, "127.0.0.1");
        await new Promise<void>((resolve, reject) => {
            server.once("listening", resolve);
            server.once("error", reject);
        });
        return modelServer;
    }

    /** `http://127.0.0.1:<port>`: what `astrosage.download.baseUrl` would be for this mirror. */
    public get baseUrl(): string {
        const {port} = this.#server.address() as AddressInfo;
        return `http://127.0.0.1:${port}`;
    }

    /** The URL of a catalog build (or any repository file) on this server, as the extension builds it. */
    public urlOf(file: RepositoryFile): string {
        // The extension's own function, so server and extension cannot disagree on the layout;
        // it reads only the repository, revision and file name of the entry.
        return downloadUrl({id: "", label: "", quality: "", approximateBytes: 0, ...file}, this.baseUrl);
    }

    /**
     * Serves `contents` (bytes, or the path of a file to read) at the file's hub
     * path, replacing anything served there before.
     */
    public async serve(at: RepositoryFile, contents: Uint8Array | string, behaviour: ServeBehaviour = {}): Promise<ServedFile> {
        const bytes = typeof contents === "string" ? await readFile(contents) : Buffer.from(contents);
        const url = this.urlOf(at);
        const served = new ServedFile(url, bytes, behaviour);
        this.#files.set(new URL(url).pathname, served);
        this.#storagePaths.set(`/storage/${served.sha256}`, served);
        return served;
    }

    /** Stops the server, cutting any connection still open (a stalled transfer, say). */
    public async stop(): Promise<void> {
        const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
        this.#server.closeAllConnections();
        await closed;
    }

    #answer(request: http.IncomingMessage, response: http.ServerResponse) {
        const pathname = new URL(request.url ?? "/", this.baseUrl).pathname;
        const hubFile = this.#files.get(pathname);
        const served = hubFile ?? this.#storagePaths.get(pathname);
        const log: ServedRequest = {method: request.method ?? "GET", range: request.headers.range, status: 0, bodyBytes: 0, completed: false};
        if (served == null) {
            this.#sendText(response, log, 404, "Entry not found");
            return;
        }
        served.requests.push(log);
        const {behaviour} = served;
        if (behaviour.status != null) {
            const headers: Record<string, string> = behaviour.retryAfterSeconds == null ? {} : {"retry-after": String(behaviour.retryAfterSeconds)};
            this.#sendText(response, log, behaviour.status, `Error ${behaviour.status}`, headers);
            return;
        }

        const body = bodyOf(served);
        const hubHeaders: Record<string, string> = this.#options.hubHeaders && behaviour.htmlInstead !== true
            ? {"x-linked-etag": `"${served.sha256}"`, "x-linked-size": String(behaviour.announcedSize ?? body.length)}
            : {};
        if (hubFile != null && this.#options.redirectToStorage) {
            log.status = 302;
            response.writeHead(302, {...hubHeaders, location: `/storage/${served.sha256}`, "content-length": "0"});
            response.end(() => served.notify());
            log.completed = true;
            return;
        }
        // Behind the hub's redirect, storage announces nothing of its own.
        const announced = hubFile == null ? {} : hubHeaders;
        void this.#sendBody(request, response, served, body, announced, log);
    }

    async #sendBody(request: http.IncomingMessage, response: http.ServerResponse, served: ServedFile, body: Buffer, announced: Record<string, string>, log: ServedRequest) {
        const {behaviour} = served;
        const range = behaviour.ignoreRange === true ? undefined : parseRange(request.headers.range, body.length);
        if (range === "unsatisfiable") {
            log.status = 416;
            response.writeHead(416, {"content-range": `bytes */${body.length}`, "content-length": "0"});
            response.end();
            log.completed = true;
            return;
        }
        const [start, end] = range ?? [0, body.length - 1];
        log.status = range == null ? 200 : 206;
        log.start = start;
        log.end = end;
        response.writeHead(log.status, {
            "content-type": behaviour.htmlInstead === true ? "text/html; charset=utf-8" : "application/octet-stream",
            "content-length": String(end - start + 1),
            ...(behaviour.ignoreRange === true ? {} : {"accept-ranges": "bytes"}),
            ...(range == null ? {} : {"content-range": `bytes ${start}-${end}/${body.length}`}),
            ...this.#etag(served, body),
            ...announced
        });
        if (request.method === "HEAD") {
            response.end();
            log.completed = true;
            return;
        }

        let closed = false;
        response.once("close", () => {
            closed = true;
        });
        const slice = behaviour.bytesPerSecond == null ? 64 * 1024 : Math.max(1024, Math.round(behaviour.bytesPerSecond / 20));
        let position = start;
        while (position <= end && !closed) {
            const stallAt = behaviour.stallAfterBytes;
            if (stallAt != null && log.bodyBytes >= stallAt) {
                // Silent but open, until the client gives up or the server stops.
                await new Promise((resolve) => response.once("close", resolve));
                return;
            }
            const length = Math.min(slice, end - position + 1, stallAt == null ? Infinity : stallAt - log.bodyBytes);
            const chunk = body.subarray(position, position + length);
            const flushed = response.write(chunk);
            position += length;
            log.bodyBytes += length;
            served.notify();
            if (!flushed)
                await drainedOrClosed(response);
            if (behaviour.bytesPerSecond != null)
                await sleep((length / behaviour.bytesPerSecond) * 1000);
        }
        if (!closed) {
            response.end();
            log.completed = true;
            served.notify();
        }
    }

    /**
     * The hub's ETag is the file's SHA-256; a plain mirror's (nginx's, say) is
     * made of the size and time, and says nothing about the contents.
     */
    #etag(served: ServedFile, body: Buffer): Record<string, string> {
        if (!this.#options.hubHeaders || served.behaviour.htmlInstead === true)
            return {etag: `"${body.length.toString(16)}-${Date.now().toString(16)}"`};
        return {etag: `"${served.sha256}"`};
    }

    #sendText(response: http.ServerResponse, log: ServedRequest, status: number, text: string, headers: Record<string, string> = {}) {
        log.status = status;
        response.writeHead(status, {"content-type": "text/plain; charset=utf-8", "content-length": String(Buffer.byteLength(text)), ...headers});
        response.end(text);
        log.completed = true;
    }
}

/** Waits for the connection to take more data, or to close. */
function drainedOrClosed(response: http.ServerResponse): Promise<void> {
    return new Promise((resolve) => {
        const done = () => {
            response.off("drain", done);
            response.off("close", done);
            resolve();
        };
        response.on("drain", done);
        response.on("close", done);
    });
}

/** What the server sends as the file, its failure modes applied. */
function bodyOf(served: ServedFile): Buffer {
    const {behaviour, contents} = served;
    if (behaviour.htmlInstead === true)
        return HTML_PAGE;
    let body = behaviour.truncateTo == null ? contents : contents.subarray(0, behaviour.truncateTo);
    if (behaviour.corrupt === true) {
        body = Buffer.from(body);
        // Three quarters in: past the header, in the tensor data, where only a checksum notices.
        const at = Math.floor(body.length * 0.75);
        for (let index = at; index < Math.min(at + 16, body.length); index++)
            body[index]! ^= 0xff;
    }
    return body;
}

/**
 * A single `bytes=` range, with the end clamped to the last byte; undefined when
 * there is none (or it is not one we serve, e.g. several ranges: the whole file is sent).
 */
function parseRange(header: string | undefined, size: number): [number, number] | "unsatisfiable" | undefined {
    const match = header?.match(/^bytes=(\d*)-(\d*)$/);
    if (match == null || (match[1] === "" && match[2] === ""))
        return undefined;
    if (match[1] === "") {
        // A suffix: the last N bytes.
        const suffix = Number(match[2]);
        return suffix === 0 ? "unsatisfiable" : [Math.max(0, size - suffix), size - 1];
    }
    const start = Number(match[1]);
    const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (start >= size || end < start)
        return "unsatisfiable";
    return [start, end];
}
