/**
 * Whether an AstroSage build fits this machine, in words a user can act on.
 *
 * The figures come from node-llama-cpp's GGUF insights, computed in the engine
 * process from a model's header (read remotely before a download); this file
 * only judges them, so it is plain code tested without a model or a GPU.
 */
import {MODEL_CATALOG, type CatalogBuild} from "./modelCatalog.ts";
import {formatBytes, formatMemory} from "./units.ts";

/** What the machine offers. */
export type MachineFacts = {
    totalRamBytes: number;
    /** The GPU backend node-llama-cpp found (`"cuda"`, `"vulkan"`, `"metal"`), or false. */
    gpu: false | string;
    /** The GPU's name when known, e.g. "NVIDIA GeForce RTX 4070". */
    gpuName?: string;
    totalVramBytes: number;
    /** Free space where models are stored; null when it could not be read. */
    freeDiskBytes: number | null;
};

/** What one build needs, with the model and its context apart (the context does not depend on the quantization). */
export type BuildNeeds = {
    fileBytes: number;
    contextSize: number;
    modelRamBytes: number;
    contextRamBytes: number;
    modelVramBytes: number;
    contextVramBytes: number;
    /** Layers node-llama-cpp would put on the GPU, of `totalLayers`. */
    gpuLayers: number;
    totalLayers: number;
};

export type FitVerdict = "fits" | "tight" | "tooBig";

export type BuildFit = {
    build: CatalogBuild;
    needs: BuildNeeds;
    /** Memory: RAM and VRAM together, as llama.cpp splits the model between them. */
    verdict: FitVerdict;
    /** Whether the download fits on the disk with DISK_MARGIN_BYTES to spare (true when the free space is unknown). */
    diskOk: boolean;
    /** True when the figures were read from this build's own header, false when scaled from a sibling's. */
    measured: boolean;
};

/** Share of memory a model may take and still leave the editor and the system room: "fits". */
const COMFORTABLE_SHARE = 0.7;
/** Beyond this share the machine would swap: "too big". Between the two: "tight". */
const MAXIMUM_SHARE = 0.95;
/** Room a download must leave on the disk, so that the machine does not end up with a full disk. */
export const DISK_MARGIN_BYTES = 256 * 1024 * 1024;

export function neededBytes(needs: BuildNeeds): number {
    return needs.modelRamBytes + needs.contextRamBytes + needs.modelVramBytes + needs.contextVramBytes;
}

export function availableBytes(machine: MachineFacts): number {
    return machine.totalRamBytes + (machine.gpu === false ? 0 : machine.totalVramBytes);
}

export function judgeMemory(needs: BuildNeeds, machine: MachineFacts): FitVerdict {
    const share = neededBytes(needs) / availableBytes(machine);
    return share <= COMFORTABLE_SHARE ? "fits" : share <= MAXIMUM_SHARE ? "tight" : "tooBig";
}

/**
 * A build's needs estimated from another build of the same model: the same
 * architecture and context, weights scaled by the file size. Reading one header
 * (several MB) instead of one per build keeps the welcome quick.
 */
export function scaleNeeds(measured: BuildNeeds, fileBytes: number): BuildNeeds {
    const factor = fileBytes / measured.fileBytes;
    return {
        ...measured,
        fileBytes,
        modelRamBytes: Math.round(measured.modelRamBytes * factor),
        modelVramBytes: Math.round(measured.modelVramBytes * factor)
    };
}

/** The needs with another context size; the context's memory grows with its length. */
export function withContextSize(needs: BuildNeeds, contextSize: number): BuildNeeds {
    const factor = contextSize / needs.contextSize;
    return {
        ...needs,
        contextSize,
        contextRamBytes: Math.round(needs.contextRamBytes * factor),
        contextVramBytes: Math.round(needs.contextVramBytes * factor)
    };
}

/**
 * Judges every catalog build on this machine, from the needs measured for one
 * of them (`measuredBuildId`) and the download sizes of the others.
 */
export function judgeCatalog(
    measured: {buildId: string; needs: BuildNeeds},
    machine: MachineFacts,
    catalog: readonly CatalogBuild[] = MODEL_CATALOG
): BuildFit[] {
    return catalog.map((build) => {
        const isMeasured = build.id === measured.buildId;
        const needs = isMeasured ? measured.needs : scaleNeeds(measured.needs, build.approximateBytes);
        return {
            build,
            needs,
            verdict: judgeMemory(needs, machine),
            // The download refuses to start without this margin, so a build that fits only without it does not fit.
            diskOk: machine.freeDiskBytes == null || needs.fileBytes + DISK_MARGIN_BYTES <= machine.freeDiskBytes,
            measured: isMeasured
        };
    });
}

/**
 * The build to offer: the default when it fits; otherwise the largest smaller
 * build that fits; otherwise the largest build, the default or smaller, that is
 * tight. Undefined when nothing fits.
 */
export function recommendBuild(fits: readonly BuildFit[]): BuildFit | undefined {
    const usable = (fit: BuildFit, verdict: FitVerdict) => fit.verdict === verdict && fit.diskOk;
    const byQuality = [...fits].sort((a, b) => b.needs.fileBytes - a.needs.fileBytes);
    const preferred = fits.find((fit) => fit.build.isDefault === true && usable(fit, "fits"));
    // Where memory is short, a build larger than the default is never the one to offer:
    // it would only be tighter than the default.
    return preferred
        ?? byQuality.find((fit) => usable(fit, "fits") && fit.needs.fileBytes < defaultBytes(fits))
        ?? byQuality.find((fit) => usable(fit, "tight") && fit.needs.fileBytes <= defaultBytes(fits));
}

/** A smaller build that fits where `fit` does not, if the catalog has one. */
export function smallerThatFits(fit: BuildFit, fits: readonly BuildFit[]): BuildFit | undefined {
    return [...fits]
        .filter((other) => other.needs.fileBytes < fit.needs.fileBytes && other.verdict !== "tooBig")
        .sort((a, b) => b.needs.fileBytes - a.needs.fileBytes)
        .find((other) => other.verdict === "fits") ?? fits.find((other) => other.needs.fileBytes < fit.needs.fileBytes && other.verdict === "tight");
}

/** The longest of the usual context sizes, below the configured one, with which the model fits. */
export function contextThatFits(needs: BuildNeeds, machine: MachineFacts): number | undefined {
    return [16384, 8192, 4096, 2048]
        .filter((size) => size < needs.contextSize)
        .find((size) => judgeMemory(withContextSize(needs, size), machine) !== "tooBig");
}

/** One line: what the build needs and how that compares with the machine. */
export function describeFit(fit: BuildFit, machine: MachineFacts): string {
    const need = formatMemory(neededBytes(fit.needs));
    const have = memoryText(machine);
    const about = fit.measured ? "" : "about ";
    const memory = fit.verdict === "fits"
        ? `Fits: needs ${about}${need} of ${have}`
        : fit.verdict === "tight"
            ? `Tight: needs ${about}${need} of ${have}; close other programs while it runs`
            : `Too big: needs ${about}${need}, this machine has ${have}`;
    const device = fit.verdict === "tooBig" ? "" : `, ${deviceText(fit.needs, machine)}`;
    const disk = fit.diskOk ? "" : `. Not enough disk space: the download needs ${formatBytes(fit.needs.fileBytes + DISK_MARGIN_BYTES)} with room to spare, ${formatBytes(machine.freeDiskBytes ?? 0)} free`;
    return `${memory}${device}${disk}.`;
}

/**
 * What to do when a build does not fit: a smaller build from the catalog that
 * does, or a shorter context. Undefined when it fits.
 */
export function adviseInstead(fit: BuildFit, fits: readonly BuildFit[], machine: MachineFacts): string | undefined {
    if (fit.verdict !== "tooBig")
        return undefined;
    const smaller = smallerThatFits(fit, fits);
    const context = contextThatFits(fit.needs, machine);
    const options = [
        smaller == null ? undefined : `choose ${smaller.build.label} (needs about ${formatMemory(neededBytes(smaller.needs))})`,
        context == null ? undefined : `lower "astrosage.model.contextSize" to ${context}`
    ].filter((option) => option != null);
    if (options.length === 0)
        return "No AstroSage build fits this machine's memory; use an inference server with more memory.";
    return `Instead, ${options.join(" or ")}.`;
}

/** "24 GB memory" or "16 GB memory + 8 GB VRAM (cuda)". */
export function memoryText(machine: MachineFacts): string {
    const ram = `${formatMemory(machine.totalRamBytes)} memory`;
    return machine.gpu === false ? ram : `${ram} + ${formatMemory(machine.totalVramBytes)} GPU memory`;
}

/** A short description of the machine for the welcome. */
export function describeMachine(machine: MachineFacts): string {
    const gpu = machine.gpu === false ? "no GPU found (runs on the CPU)" : `GPU: ${machine.gpuName ?? machine.gpu} (${machine.gpu})`;
    const disk = machine.freeDiskBytes == null ? "" : ` · ${formatBytes(machine.freeDiskBytes)} free disk`;
    return `This machine: ${formatMemory(machine.totalRamBytes)} memory · ${gpu}${disk}`;
}

function deviceText(needs: BuildNeeds, machine: MachineFacts): string {
    if (machine.gpu === false || needs.gpuLayers === 0)
        return "on the CPU";
    if (needs.gpuLayers >= needs.totalLayers)
        return `all on the GPU`;
    return `${needs.gpuLayers} of ${needs.totalLayers} layers on the GPU`;
}

function defaultBytes(fits: readonly BuildFit[]): number {
    return fits.find((fit) => fit.build.isDefault === true)?.needs.fileBytes ?? Infinity;
}
