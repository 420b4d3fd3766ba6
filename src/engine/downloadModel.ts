/**
 * Downloads a model file with node-llama-cpp's downloader (parallel ranged
 * requests, resumable), and checks the result before anyone uses it.
 *
 * What node-llama-cpp leaves to us, each learnt by measuring it against a local server:
 * - it retries a failing server for many minutes, silently: the source is probed first (probeRemoteFile);
 * - a connection that stops sending is retried forever: a watchdog stops a download that stalls,
 *   keeping what arrived so the next attempt resumes;
 * - a server that ignores ranges and drops the connection leaves a short file that looks finished:
 *   every finished file is checked (size, GGUF header, tensor data extent, SHA-256 when known);
 * - `download()` resolves, not rejects, after a cancel: the signal is checked afterwards.
 * The file is downloaded under a staging name and renamed only once it passed, so a
 * file with the final name is always a checked one.
 */
import {createHash} from "node:crypto";
import {createReadStream} from "node:fs";
import {mkdir, rename, rm, stat, statfs} from "node:fs/promises";
import path from "node:path";
import type * as NodeLlamaCpp from "node-llama-cpp";
import {DISK_MARGIN_BYTES} from "../core/hardwareFit.ts";
import {formatBytes} from "../core/units.ts";
import {DownloadError, isNotGguf} from "./downloadErrors.ts";
import {probeRemoteFile} from "./probeRemoteFile.ts";

export type DownloadModelRequest = {
    url: string;
    /** Where models are kept (the extension's global storage). */
    directory: string;
    fileName: string;
    /** Lower-case hex SHA-256 the file must have; otherwise the one the source announces, if any. */
    sha256?: string;
    /** A download that receives nothing for this long is stopped (and resumes next time). Defaults to 60 s. */
    stallTimeoutMs?: number;
};

export type DownloadModelProgress = {
    phase: "downloading" | "verifying";
    doneBytes: number;
    totalBytes: number;
    /** Bytes already on disk from an earlier, interrupted attempt. */
    resumedBytes: number;
    bytesPerSecond: number;
    /** Null until the rate is known. */
    secondsLeft: number | null;
};

export type DownloadedModel = {path: string; bytes: number; sha256Checked: boolean};

export type DownloadModelOptions = {
    llamaCpp: typeof NodeLlamaCpp;
    signal: AbortSignal;
    onProgress: (progress: DownloadModelProgress) => void;
    /** Free bytes on the disk holding `directory`. Defaults to statfs; tests pass a small limit. */
    freeDiskBytes?: (directory: string) => Promise<number>;
};

const PROGRESS_INTERVAL_MS = 250;

/** The staging name a file is downloaded under until it passed its checks. */
export function stagingFileName(fileName: string): string {
    return `${fileName}.download`;
}

/** node-llama-cpp's downloader keeps a partial download in this file (ipull's). */
export function partialFileName(fileName: string): string {
    return `${stagingFileName(fileName)}.ipull`;
}

export async function downloadModel(request: DownloadModelRequest, options: DownloadModelOptions): Promise<DownloadedModel> {
    const {llamaCpp, signal, onProgress, freeDiskBytes = statfsFreeBytes} = options;
    const finalPath = path.join(request.directory, request.fileName);
    const stagingPath = path.join(request.directory, stagingFileName(request.fileName));
    const partialPath = path.join(request.directory, partialFileName(request.fileName));
    await mkdir(request.directory, {recursive: true});

    const remote = await probeRemoteFile(request.url, {signal});
    const expectedSha256 = request.sha256 ?? remote.sha256;

    // The partial file may be sparse: what it occupies on disk (blocks), not its length, is already paid for.
    const partial = await stat(partialPath).catch(() => undefined);
    const partialBytes = partial == null ? 0 : Math.min(partial.size, partial.blocks * 512);
    if (remote.size != null) {
        const free = await freeDiskBytes(request.directory);
        const needed = Math.max(0, remote.size - partialBytes) + DISK_MARGIN_BYTES;
        if (free < needed)
            throw new DownloadError("notEnoughDisk",
                `Not enough disk space for ${request.fileName}: it needs ${formatBytes(needed)} (with room to spare) and ${request.directory} has ${formatBytes(free)} free. ` +
                "Free some space, or delete models you no longer use with \"AstroSage: Manage Models\".");
    }

    const meter = new ProgressMeter(onProgress);
    const watchdog = {lastArrival: performance.now(), stalled: false};
    const downloader = await abortable(llamaCpp.createModelDownloader({
        modelUri: request.url,
        dirPath: request.directory,
        fileName: stagingFileName(request.fileName),
        skipExisting: false,
        deleteTempFileOnCancel: false,
        showCliProgress: false,
        onProgress: ({totalSize, downloadedSize}) => {
            // The downloader reports when bytes arrive, so a report is the sign of life. The count is
            // not: it takes every finished chunk as a full 5 MiB, so once the short last chunk is in,
            // it stays at the total while the other chunks are still arriving.
            watchdog.lastArrival = performance.now();
            meter.report(Math.min(downloadedSize, totalSize), totalSize);
        }
    }), signal);

    // The downloader has read its partial file by now: what it counts as done was not downloaded in this attempt.
    meter.resumedBytes = downloader.downloadedSize;
    // `download()` returns before the downloader has closed its file (it may still rename or
    // delete it), so the files are looked at only once this has settled.
    let closing: Promise<void> | undefined;
    const stop = (deleteTempFile: boolean) => {
        closing ??= downloader.cancel({deleteTempFile});
    };
    const onAbort = () => stop(true);
    signal.addEventListener("abort", onAbort);
    const stallTimeoutMs = request.stallTimeoutMs ?? 60_000;
    const stallTimer = setInterval(() => {
        if (performance.now() - watchdog.lastArrival > stallTimeoutMs) {
            watchdog.stalled = true;
            stop(false);
        }
    }, Math.min(1000, stallTimeoutMs / 4));
    try {
        await downloader.download();
    } catch (error) {
        if (!signal.aborted && !watchdog.stalled)
            throw describeDownloadFailure(error, request);
    } finally {
        clearInterval(stallTimer);
        signal.removeEventListener("abort", onAbort);
        // A failed close is handled below: whatever it left is deleted, or put back for the resume.
        await closing?.catch(() => undefined);
    }

    if (signal.aborted) {
        await Promise.all([rm(stagingPath, {force: true}), rm(partialPath, {force: true})]);
        throw new DownloadError("cancelled", "The download was cancelled.");
    }
    if (watchdog.stalled) {
        const kept = await keepPartialForResume(stagingPath, partialPath);
        throw new DownloadError("network",
            `The download of ${request.fileName} stopped: nothing arrived for ${Math.round(stallTimeoutMs / 1000)} s. ` +
            (kept ? "What arrived is kept; download again to resume." : "Check the network connection and download again."));
    }

    meter.verifying(0, meter.totalBytes);
    try {
        const bytes = await checkDownloadedModel(stagingPath, {llamaCpp, expectedBytes: remote.size, expectedSha256, signal, onHashed: (done, total) => meter.verifying(done, total)});
        await rename(stagingPath, finalPath);
        return {path: finalPath, bytes, sha256Checked: expectedSha256 != null};
    } catch (error) {
        // A file that failed its checks is of no use to a resume either.
        await Promise.all([rm(stagingPath, {force: true}), rm(partialPath, {force: true})]);
        throw error;
    }
}

/**
 * Checks that a finished file is the model: the size the source announced, a
 * readable GGUF header, tensor data that reaches as far as the header says, and
 * the SHA-256 when one is known. Resolves with the size.
 */
export async function checkDownloadedModel(filePath: string, {llamaCpp, expectedBytes, expectedSha256, signal, onHashed}: {
    llamaCpp: typeof NodeLlamaCpp;
    expectedBytes?: number;
    expectedSha256?: string;
    signal?: AbortSignal;
    onHashed?: (doneBytes: number, totalBytes: number) => void;
}): Promise<number> {
    const name = path.basename(filePath).replace(/\.download$/, "");
    const {size} = await stat(filePath);
    if (expectedBytes != null && size !== expectedBytes)
        throw new DownloadError("badDownload",
            `The download of ${name} is incomplete or damaged: ${formatBytes(size)} arrived, the source announced ${formatBytes(expectedBytes)}. It was deleted; download it again.`);

    let info: Awaited<ReturnType<typeof llamaCpp.readGgufFileInfo>>;
    try {
        info = await llamaCpp.readGgufFileInfo(filePath, {signal, logWarnings: false});
    } catch (error) {
        const reason = isNotGguf(error)
            ? "it is not a GGUF model file (the source may have sent an error page or another file)"
            : `its GGUF header cannot be read (${error instanceof Error ? error.message : String(error)})`;
        throw new DownloadError("badDownload", `The download of ${name} is not usable: ${reason}. It was deleted; check the download source and try again.`);
    }
    const insights = await llamaCpp.GgufInsights.from(info);
    // Tensors are padded to the alignment, so this is a lower bound; a cut file falls below it.
    const dataBytes = (info.infoEndOffset ?? 0) + insights.modelSize;
    if (size < dataBytes)
        throw new DownloadError("badDownload",
            `The download of ${name} is incomplete: its header describes ${formatBytes(dataBytes)} of data and the file has ${formatBytes(size)}. It was deleted; download it again.`);

    if (expectedSha256 != null) {
        const actual = await sha256OfFile(filePath, size, signal, onHashed);
        if (actual !== expectedSha256)
            throw new DownloadError("badDownload",
                `The download of ${name} is damaged: its SHA-256 is ${actual.slice(0, 12)}…, the source announced ${expectedSha256.slice(0, 12)}…. It was deleted; download it again.`);
    }
    return size;
}

async function sha256OfFile(filePath: string, size: number, signal: AbortSignal | undefined, onHashed?: (done: number, total: number) => void): Promise<string> {
    const hash = createHash("sha256");
    let done = 0;
    for await (const chunk of createReadStream(filePath, {highWaterMark: 4 * 1024 * 1024, signal}) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        done += chunk.length;
        onHashed?.(done, size);
    }
    return hash.digest("hex");
}

/**
 * After a stopped download, puts what arrived where the next attempt looks for it;
 * resolves with whether anything was kept. The downloader renames its partial file
 * to the final name when it closes a download its count puts at 100%, which that
 * count reaches too early (see `onProgress`); the file still ends with the
 * downloader's record of finished chunks, which is what a resume reads.
 */
async function keepPartialForResume(stagingPath: string, partialPath: string): Promise<boolean> {
    if (await exists(partialPath))
        return true;
    if (!await exists(stagingPath))
        return false;
    await rename(stagingPath, partialPath);
    return true;
}

async function exists(filePath: string): Promise<boolean> {
    return (await stat(filePath).catch(() => undefined)) != null;
}

async function statfsFreeBytes(directory: string): Promise<number> {
    const stats = await statfs(directory);
    return stats.bavail * stats.bsize;
}

/** Rejects as soon as `signal` aborts; the promise itself cannot be stopped (the downloader takes no signal while it starts). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted)
        return Promise.reject(new DownloadError("cancelled", "The download was cancelled."));
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(new DownloadError("cancelled", "The download was cancelled."));
        signal.addEventListener("abort", onAbort, {once: true});
        promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
}

function describeDownloadFailure(error: unknown, request: DownloadModelRequest): DownloadError {
    if (error instanceof DownloadError)
        return error;
    const code = typeof error === "object" && error != null && "code" in error ? String(error.code) : "";
    const message = error instanceof Error ? error.message : String(error);
    if (code === "ENOSPC" || /ENOSPC|no space left/i.test(message))
        return new DownloadError("notEnoughDisk", `The disk holding ${request.directory} is full. What arrived is kept: free some space and download again to resume.`);
    return new DownloadError("network", `The download of ${request.fileName} failed: ${message}. Download again to resume.`);
}

/** Turns the downloader's progress into percent, a rate over the last seconds and the time left. */
class ProgressMeter {
    /** Bytes already on disk from an interrupted attempt. */
    public resumedBytes = 0;
    /** The size of the file, as the downloader last reported it. */
    public totalBytes = 0;
    private samples: {at: number; bytes: number}[] = [];
    private lastSent = 0;
    private lastSentBytes = 0;

    public constructor(private readonly send: (progress: DownloadModelProgress) => void) {}

    public report(doneBytes: number, totalBytes: number) {
        const now = performance.now();
        this.totalBytes = totalBytes;
        this.samples.push({at: now, bytes: doneBytes});
        while (this.samples.length > 2 && now - this.samples[0]!.at > 5000)
            this.samples.shift();
        // Reaching the total is told at once, but only once: the downloader's count can sit
        // there (see `onProgress`) while reports keep coming for every piece that arrives.
        const justCompleted = doneBytes >= totalBytes && this.lastSentBytes < totalBytes;
        if (now - this.lastSent < PROGRESS_INTERVAL_MS && !justCompleted)
            return;
        this.lastSent = now;
        this.lastSentBytes = doneBytes;
        const first = this.samples[0]!;
        const seconds = (now - first.at) / 1000;
        const bytesPerSecond = seconds > 0.5 ? (doneBytes - first.bytes) / seconds : 0;
        this.send({
            phase: "downloading",
            doneBytes,
            totalBytes,
            resumedBytes: this.resumedBytes,
            bytesPerSecond,
            secondsLeft: bytesPerSecond > 0 ? (totalBytes - doneBytes) / bytesPerSecond : null
        });
    }

    public verifying(doneBytes: number, totalBytes: number) {
        const now = performance.now();
        if (now - this.lastSent < PROGRESS_INTERVAL_MS && doneBytes > 0 && doneBytes < totalBytes)
            return;
        this.lastSent = now;
        this.send({phase: "verifying", doneBytes, totalBytes, resumedBytes: this.resumedBytes, bytesPerSecond: 0, secondsLeft: null});
    }
}
