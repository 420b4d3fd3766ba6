// Judging whether AstroSage builds fit a machine (src/core/hardwareFit.ts), from
// needs like those node-llama-cpp measures: the edges the engine tests do not
// reach (thresholds, the disk, a GPU, tight machines, nothing fitting).
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {
    adviseInstead, contextThatFits, describeFit, DISK_MARGIN_BYTES, judgeCatalog, judgeMemory, neededBytes,
    recommendBuild, scaleNeeds, withContextSize, type BuildFit, type BuildNeeds, type MachineFacts
} from "../../src/core/hardwareFit.ts";
import {defaultBuild, findBuild} from "../../src/core/modelCatalog.ts";

const GIB = 1024 ** 3;

/** What the official AstroSage-8B Q8_0 file needs on a CPU with an 8192-token context, as node-llama-cpp measures it. */
const Q8_ON_CPU: BuildNeeds = {
    fileBytes: 8_536_164_928,
    contextSize: 8192,
    modelRamBytes: 8_532_934_656,
    contextRamBytes: 1_353_189_376,
    modelVramBytes: 0,
    contextVramBytes: 0,
    gpuLayers: 0,
    totalLayers: 33
};
const q8 = findBuild("8b-q8_0")!;
const q6 = findBuild("8b-q6_k")!;
const q5 = findBuild("8b-q5_k_m")!;
const q3 = findBuild("8b-q3_k_m")!;

function cpuMachine(totalRamBytes: number, freeDiskBytes: number | null = 500e9): MachineFacts {
    return {totalRamBytes, gpu: false, totalVramBytes: 0, freeDiskBytes};
}

function judged(machine: MachineFacts): BuildFit[] {
    return judgeCatalog({buildId: q8.id, needs: Q8_ON_CPU}, machine);
}

function fitOf(fits: readonly BuildFit[], id: string): BuildFit {
    return fits.find((fit) => fit.build.id === id)!;
}

describe("judgeMemory", () => {
    const needs = {...Q8_ON_CPU, modelRamBytes: 70, contextRamBytes: 0};
    test("up to 70 % of the memory fits, up to 95 % is tight, beyond is too big", () => {
        assert.equal(judgeMemory(needs, cpuMachine(100)), "fits");
        assert.equal(judgeMemory(needs, cpuMachine(99)), "tight");
        assert.equal(judgeMemory(needs, cpuMachine(74)), "tight");
        assert.equal(judgeMemory(needs, cpuMachine(73)), "tooBig");
    });

    test("GPU memory counts only when a GPU is used", () => {
        const gpu: MachineFacts = {totalRamBytes: 50, gpu: "cuda", gpuName: "Test GPU", totalVramBytes: 50, freeDiskBytes: null};
        assert.equal(judgeMemory(needs, gpu), "fits");
        assert.equal(judgeMemory(needs, {...gpu, gpu: false}), "tooBig");
    });
});

describe("scaling measured needs", () => {
    test("another build's weights scale with its file size; the context stays", () => {
        const half = scaleNeeds(Q8_ON_CPU, Q8_ON_CPU.fileBytes / 2);
        assert.equal(half.modelRamBytes, Math.round(Q8_ON_CPU.modelRamBytes / 2));
        assert.equal(half.contextRamBytes, Q8_ON_CPU.contextRamBytes);
    });

    test("a shorter context needs proportionally less context memory", () => {
        const shorter = withContextSize(Q8_ON_CPU, 4096);
        assert.equal(shorter.contextSize, 4096);
        assert.equal(shorter.contextRamBytes, Math.round(Q8_ON_CPU.contextRamBytes / 2));
        assert.equal(shorter.modelRamBytes, Q8_ON_CPU.modelRamBytes);
    });
});

describe("recommendBuild", () => {
    test("the default build when it fits", () => {
        assert.equal(recommendBuild(judged(cpuMachine(16 * GIB)))?.build.id, defaultBuild().id);
    });

    test("where the default is tight, a smaller build that fits", () => {
        const fits = judged(cpuMachine(8 * GIB));
        assert.equal(fitOf(fits, defaultBuild().id).verdict, "tight");
        assert.equal(recommendBuild(fits)?.build.id, q3.id);
    });

    test("where every build that is not too big is tight, the default, never a larger and tighter build", () => {
        // 7 GiB: Q3_K_M to Q5_K_M are all tight, Q6_K and Q8_0 too big.
        const fits = judged(cpuMachine(7 * GIB));
        assert.deepEqual([q3, defaultBuild(), q5].map((build) => fitOf(fits, build.id).verdict), ["tight", "tight", "tight"]);
        assert.equal(fitOf(fits, q6.id).verdict, "tooBig");
        assert.equal(recommendBuild(fits)?.build.id, defaultBuild().id);
    });

    test("nothing when no build fits the memory", () => {
        assert.equal(recommendBuild(judged(cpuMachine(4 * GIB))), undefined);
    });

    test("only builds whose download fits on the disk", () => {
        // Memory for any build, disk for Q3_K_M only.
        const fits = judged(cpuMachine(64 * GIB, q3.approximateBytes + DISK_MARGIN_BYTES));
        assert.equal(fitOf(fits, defaultBuild().id).diskOk, false);
        assert.equal(recommendBuild(fits)?.build.id, q3.id);
        assert.equal(recommendBuild(judged(cpuMachine(64 * GIB, 1e9))), undefined);
    });
});

describe("the disk", () => {
    test("a download must leave the same margin the downloader insists on", () => {
        const free = (bytes: number) => fitOf(judged(cpuMachine(64 * GIB, bytes)), q3.id).diskOk;
        assert.equal(free(q3.approximateBytes + DISK_MARGIN_BYTES), true);
        assert.equal(free(q3.approximateBytes + DISK_MARGIN_BYTES - 1), false);
        assert.equal(free(q3.approximateBytes), false, "the file alone would fill the disk");
        assert.equal(fitOf(judged(cpuMachine(64 * GIB, null)), q3.id).diskOk, true, "unknown free space does not block");
    });

    test("describeFit says when the disk is too small, with what the download needs", () => {
        const machine = cpuMachine(64 * GIB, 3e9);
        assert.equal(describeFit(fitOf(judged(machine), q3.id), machine),
            "Fits: needs about 5 GiB of 64 GiB memory, on the CPU. Not enough disk space: the download needs 4.29 GB with room to spare, 3 GB free.");
    });
});

describe("describeFit", () => {
    test("fits, tight and too big, measured or estimated", () => {
        const machine = cpuMachine(8 * GIB);
        const fits = judged(machine);
        assert.equal(describeFit(fitOf(fits, q3.id), machine), "Fits: needs about 5 GiB of 8 GiB memory, on the CPU.");
        assert.equal(describeFit(fitOf(fits, q5.id), machine), "Tight: needs about 6.59 GiB of 8 GiB memory; close other programs while it runs, on the CPU.");
        assert.equal(describeFit(fitOf(fits, q8.id), machine), "Too big: needs 9.21 GiB, this machine has 8 GiB memory.");
    });

    test("where the layers go on a GPU", () => {
        const machine: MachineFacts = {totalRamBytes: 16 * GIB, gpu: "vulkan", gpuName: "Test GPU", totalVramBytes: 4 * GIB, freeDiskBytes: null};
        const partly: BuildNeeds = {...Q8_ON_CPU, modelRamBytes: 4e9, modelVramBytes: 4.5e9, gpuLayers: 17};
        const [fit] = judgeCatalog({buildId: q8.id, needs: partly}, machine, [q8]);
        assert.equal(describeFit(fit!, machine), "Fits: needs 9.18 GiB of 16 GiB memory + 4 GiB GPU memory, 17 of 33 layers on the GPU.");
        const [whole] = judgeCatalog({buildId: q8.id, needs: {...partly, gpuLayers: 33}}, machine, [q8]);
        assert.match(describeFit(whole!, machine), /, all on the GPU\.$/);
    });
});

describe("adviseInstead", () => {
    test("nothing to advise for a build that fits or is tight", () => {
        const machine = cpuMachine(8 * GIB);
        const fits = judged(machine);
        assert.equal(adviseInstead(fitOf(fits, q3.id), fits, machine), undefined);
        assert.equal(adviseInstead(fitOf(fits, defaultBuild().id), fits, machine), undefined);
    });

    test("the largest smaller build that fits, and a shorter context, when each would do", () => {
        // 9 GiB: Q8_0 is too big at 8192 tokens, tight at 2048; Q4_K_M and Q3_K_M fit.
        const machine = cpuMachine(9 * GIB);
        const fits = judged(machine);
        assert.equal(contextThatFits(Q8_ON_CPU, machine), 2048);
        assert.equal(adviseInstead(fitOf(fits, q8.id), fits, machine),
            "Instead, choose AstroSage-8B Q4_K_M (needs about 5.84 GiB) or lower \"astrosage.model.contextSize\" to 2048.");
    });

    test("only context sizes below the configured one are offered", () => {
        const short = withContextSize(Q8_ON_CPU, 2048);
        assert.equal(contextThatFits(short, cpuMachine(4 * GIB)), undefined);
        assert.equal(contextThatFits(short, cpuMachine(64 * GIB)), undefined, "nothing shorter is needed");
    });

    test("when nothing fits, it says so and points to a server with more memory", () => {
        const machine = cpuMachine(4 * GIB);
        const fits = judged(machine);
        assert.equal(adviseInstead(fitOf(fits, q3.id), fits, machine),
            "No AstroSage build fits this machine's memory; use an inference server with more memory.");
    });

    test("the build it names needs less memory than the one that does not fit", () => {
        const machine = cpuMachine(8 * GIB);
        const fits = judged(machine);
        const advice = adviseInstead(fitOf(fits, q8.id), fits, machine);
        assert.match(advice ?? "", /choose AstroSage-8B Q3_K_M/);
        assert.ok(neededBytes(fitOf(fits, q3.id).needs) < neededBytes(Q8_ON_CPU));
    });
});
