/**
 * Runs model downloads in the engine process, one at a time, and tells its
 * listeners how far along it is. The progress notification, the status bar and
 * the chat's welcome all listen to the same download. No `vscode` import.
 */
import {randomUUID} from "node:crypto";
import {downloadUrl, type CatalogBuild} from "../core/modelCatalog.ts";
import {downloadErrorCodes, type DownloadErrorCode} from "../engine/downloadErrors.ts";
import type {EngineProcess} from "../engine/EngineProcess.ts";
import type {EngineEvent} from "../engine/protocol.ts";

export type DownloadProgress = Extract<EngineEvent, {type: "downloadProgress"}>["progress"];

export type DownloadOutcome =
    | {ok: true; path: string; bytes: number; sha256Checked: boolean}
    | {ok: false; code: DownloadErrorCode | "engineCrashed" | "internal"; message: string};

export type ActiveDownload = {
    build: CatalogBuild;
    progress: DownloadProgress | undefined;
    /** Settles when the download ends, however it ends. */
    outcome: Promise<DownloadOutcome>;
    cancel(): void;
};

export type DownloadSettings = {baseUrl: string; directory: string};

export class DownloadService {
    private current: ActiveDownload | undefined;
    private readonly listeners = new Set<(download: ActiveDownload | undefined) => void>();

    public constructor(
        private readonly engine: EngineProcess,
        private readonly settings: () => DownloadSettings
    ) {}

    /** The download in progress, if any. */
    public get active(): ActiveDownload | undefined {
        return this.current;
    }

    /** Calls `listener` on every progress step, and with undefined when the download ends. Returns an unsubscribe function. */
    public onChange(listener: (download: ActiveDownload | undefined) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /**
     * Starts downloading `build` (resuming an interrupted download of it), or
     * returns the download already running for it. Refuses while another build downloads.
     */
    public start(build: CatalogBuild): ActiveDownload {
        if (this.current != null) {
            if (this.current.build.id === build.id)
                return this.current;
            throw new Error(`${this.current.build.label} is downloading; wait for it or cancel it first.`);
        }
        const {baseUrl, directory} = this.settings();
        const id = randomUUID();
        const download: ActiveDownload = {
            build,
            progress: undefined,
            outcome: Promise.resolve({ok: false, code: "internal", message: "not started"}),
            cancel: () => this.engine.abort(id)
        };
        download.outcome = this.run(download, {
            type: "download",
            id,
            url: downloadUrl(build, baseUrl),
            directory,
            fileName: build.fileName,
            ...(build.sha256 == null ? {} : {sha256: build.sha256})
        });
        this.current = download;
        this.notify();
        return download;
    }

    private async run(download: ActiveDownload, request: Extract<Parameters<EngineProcess["request"]>[0], {type: "download"}>): Promise<DownloadOutcome> {
        try {
            await this.engine.start();
            const final = await this.engine.request(request, (event) => {
                if (event.type === "downloadProgress") {
                    download.progress = event.progress;
                    this.notify();
                }
            });
            if (final.type === "downloaded")
                return {ok: true, path: final.path, bytes: final.bytes, sha256Checked: final.sha256Checked};
            if (final.type === "error")
                return {ok: false, code: isDownloadCode(final.code) ? final.code : final.code === "engineCrashed" ? "engineCrashed" : "internal", message: final.message};
            return {ok: false, code: "internal", message: `The engine answered a download with "${final.type}".`};
        } catch (error) {
            return {ok: false, code: "internal", message: error instanceof Error ? error.message : String(error)};
        } finally {
            if (this.current === download)
                this.current = undefined;
            this.notify();
        }
    }

    private notify() {
        for (const listener of this.listeners)
            listener(this.current);
    }
}

function isDownloadCode(code: string): code is DownloadErrorCode {
    return (downloadErrorCodes as readonly string[]).includes(code);
}
