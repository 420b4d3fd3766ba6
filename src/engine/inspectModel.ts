/**
 * What a model would need on this machine, from its GGUF header alone: read
 * from a URL before downloading (node-llama-cpp fetches only the header's bytes
 * with ranged requests) or from a file on disk. node-llama-cpp's GGUF insights
 * do the arithmetic with the real hardware: RAM, the GPU it found and its VRAM.
 */
import {mkdir, statfs} from "node:fs/promises";
import os from "node:os";
import type * as NodeLlamaCpp from "node-llama-cpp";
import type {Llama} from "node-llama-cpp";
import type {BuildNeeds, MachineFacts} from "../core/hardwareFit.ts";
import {DownloadError, isNotGguf} from "./downloadErrors.ts";
import {measureNeeds} from "./measureNeeds.ts";
import {hostOf} from "../core/urlParts.ts";
import {networkReason} from "./probeRemoteFile.ts";

export type InspectModelRequest = {
    /** An http(s) URL or a path. */
    source: string;
    contextSize: number;
    /** Where models are stored: its free space is part of the answer. */
    storageDirectory: string;
};

export async function inspectModel(
    request: InspectModelRequest,
    {llamaCpp, llama, signal}: {llamaCpp: typeof NodeLlamaCpp; llama: Llama; signal?: AbortSignal}
): Promise<{machine: MachineFacts; needs: BuildNeeds}> {
    const remote = /^https?:\/\//i.test(request.source);
    let info: Awaited<ReturnType<typeof llamaCpp.readGgufFileInfo>>;
    try {
        info = await llamaCpp.readGgufFileInfo(request.source, {
            signal,
            logWarnings: false,
            // A failing server is reported, not retried for minutes: the user is waiting for the welcome.
            fetchRetryOptions: {retries: 1, minTimeout: 500, maxTimeout: 1000}
        });
    } catch (error) {
        const reason = networkReason(error);
        if (isNotGguf(error))
            throw new DownloadError("badDownload", `${request.source} is not a GGUF model file.`);
        if (remote)
            throw new DownloadError("network", `Could not read the model's header from ${hostOf(request.source)} (${reason}). Check the network connection or the "astrosage.download.baseUrl" mirror, or use a model file on disk instead.`);
        throw new DownloadError("badDownload", `The model's header cannot be read (${reason}).`);
    }

    const needs = await measureNeeds(llamaCpp, llama, info, request.contextSize);
    return {machine: await machineFacts(llama, request.storageDirectory), needs};
}

export async function machineFacts(llama: Llama, storageDirectory: string): Promise<MachineFacts> {
    const vram = llama.gpu === false ? undefined : await llama.getVramState();
    const gpuName = llama.gpu === false ? undefined : (await llama.getGpuDeviceNames())[0];
    return {
        totalRamBytes: os.totalmem(),
        gpu: llama.gpu,
        ...(gpuName == null ? {} : {gpuName}),
        totalVramBytes: vram?.total ?? 0,
        freeDiskBytes: await freeDiskBytes(storageDirectory)
    };
}

async function freeDiskBytes(directory: string): Promise<number | null> {
    try {
        await mkdir(directory, {recursive: true});
        const stats = await statfs(directory);
        return stats.bavail * stats.bsize;
    } catch {
        return null;
    }
}
