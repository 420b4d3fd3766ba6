// The catalog, its download URLs, and the words the welcome, the status bar and
// the progress notification show.
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {buildWelcome} from "../../src/chat/buildWelcome.ts";
import {judgeCatalog, recommendBuild, type BuildNeeds, type MachineFacts} from "../../src/core/hardwareFit.ts";
import {defaultBuild, downloadUrl, findBuild, MODEL_CATALOG} from "../../src/core/modelCatalog.ts";
import {formatBytes, formatDuration, formatMemory} from "../../src/core/units.ts";
import {describeDownloadProgress} from "../../src/models/describeDownload.ts";
import type {ActiveDownload} from "../../src/models/DownloadService.ts";

describe("catalog", () => {
    test("has the builds the product names, one default, unique ids and files", () => {
        assert.deepEqual(MODEL_CATALOG.map((build) => build.fileName).sort(), [
            "AstroSage-8B-Q8_0.gguf",
            "AstroSage-8B.Q3_K_M.gguf",
            "AstroSage-8B.Q4_K_M.gguf",
            "AstroSage-8B.Q5_K_M.gguf",
            "AstroSage-8B.Q6_K.gguf"
        ]);
        assert.equal(defaultBuild().id, "8b-q4_k_m");
        assert.equal(new Set(MODEL_CATALOG.map((build) => build.id)).size, MODEL_CATALOG.length);
        assert.equal(findBuild("8b-q8_0")?.repository, "AstroMLab/AstroSage-8B-GGUF", "Q8_0 is the official file");
        for (const build of MODEL_CATALOG)
            assert.ok(build.quality.length > 20 && build.approximateBytes > 3e9, build.id);
    });

    test("download URLs follow the hub's layout, at the hub or at a mirror", () => {
        assert.equal(downloadUrl(defaultBuild()), "https://huggingface.co/mradermacher/AstroSage-8B-GGUF/resolve/main/AstroSage-8B.Q4_K_M.gguf");
        assert.equal(downloadUrl(findBuild("8b-q8_0")!, "https://mirror.example.edu/hf/"),
            "https://mirror.example.edu/hf/AstroMLab/AstroSage-8B-GGUF/resolve/main/AstroSage-8B-Q8_0.gguf");
    });
});

describe("units", () => {
    test("files in decimal units, memory in binary units, durations rounded", () => {
        assert.equal(formatBytes(4.92e9), "4.92 GB");
        assert.equal(formatBytes(637_888), "638 KB");
        assert.equal(formatBytes(12.5e6), "12.5 MB");
        assert.equal(formatMemory(24 * 1024 ** 3), "24 GiB");
        assert.equal(formatMemory(10.6 * 1024 ** 2), "10.6 MiB");
        assert.equal(formatDuration(4.2), "4 s");
        assert.equal(formatDuration(185), "3 min");
        assert.equal(formatDuration(4800), "1 h 20 min");
        assert.equal(formatDuration(Infinity), "unknown");
    });
});

describe("download progress in words", () => {
    test("percent, bytes, rate, time left, and where a resumed download started", () => {
        assert.deepEqual(describeDownloadProgress({
            phase: "downloading", doneBytes: 2.07e9, totalBytes: 4.92e9, resumedBytes: 1e9, bytesPerSecond: 23.4e6, secondsLeft: 122
        }), {progress: 2.07e9 / 4.92e9, detail: "42% · 2.07 GB of 4.92 GB · 23.4 MB/s · 2 min left · resumed at 1 GB"});
        assert.equal(describeDownloadProgress(undefined).detail, "contacting the download source…");
        assert.equal(describeDownloadProgress({
            phase: "verifying", doneBytes: 3e9, totalBytes: 4.92e9, resumedBytes: 0, bytesPerSecond: 0, secondsLeft: null
        }).detail, "checking the file 60%");
    });
});

describe("the welcome", () => {
    const machine: MachineFacts = {totalRamBytes: 16 * 1024 ** 3, gpu: false, totalVramBytes: 0, freeDiskBytes: 200e9};
    const needs: BuildNeeds = {
        fileBytes: 4.92e9, contextSize: 8192, modelRamBytes: 4.9e9, contextRamBytes: 1.2e9,
        modelVramBytes: 0, contextVramBytes: 0, gpuLayers: 0, totalLayers: 33
    };

    test("while the header is read, it offers the default build and says it is checking", () => {
        const welcome = buildWelcome({advice: undefined, download: undefined, resumable: new Set()});
        assert.equal(welcome.checking, true);
        assert.equal(welcome.build?.id, "8b-q4_k_m");
        assert.equal(welcome.fit, undefined);
    });

    test("with the advice, it names the recommended build, its fit and the machine", () => {
        const fits = judgeCatalog({buildId: "8b-q4_k_m", needs}, machine);
        const welcome = buildWelcome({advice: {ok: true, machine, fits, recommended: recommendBuild(fits)}, download: undefined, resumable: new Set(["8b-q4_k_m"])});
        assert.equal(welcome.checking, false);
        assert.equal(welcome.build?.label, "AstroSage-8B Q4_K_M");
        assert.equal(welcome.fit?.verdict, "fits");
        assert.match(welcome.fit?.text ?? "", /^Fits: needs 5.68 GiB of 16 GiB memory, on the CPU\.$/);
        assert.equal(welcome.machine, "This machine: 16 GiB memory · no GPU found (runs on the CPU) · 200 GB free disk");
        assert.equal(welcome.resumable, true);
    });

    test("offline, it says so and points at a file on disk", () => {
        const problem = "Could not reach huggingface.co (ENOTFOUND). Check the network connection, or use a model file on disk instead.";
        const welcome = buildWelcome({advice: {ok: false, problem}, download: undefined, resumable: new Set()});
        assert.equal(welcome.problem, problem);
        assert.equal(welcome.fit, undefined);
    });

    test("during a download, it shows that download's progress", () => {
        const download: ActiveDownload = {
            build: findBuild("8b-q6_k")!,
            progress: {phase: "downloading", doneBytes: 3.3e9, totalBytes: 6.6e9, resumedBytes: 0, bytesPerSecond: 0, secondsLeft: null},
            outcome: new Promise(() => {}),
            cancel: () => {}
        };
        const welcome = buildWelcome({advice: undefined, download, resumable: new Set()});
        assert.equal(welcome.build?.id, "8b-q6_k");
        assert.deepEqual(welcome.download, {percent: 50, text: "50% · 3.3 GB of 6.6 GB"});
    });
});
