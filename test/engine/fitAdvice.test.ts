// Will AstroSage fit this machine? The engine reads an AstroSage-8B-shaped
// GGUF header from the download server (ranged requests, no tensor data) and
// node-llama-cpp's GGUF insights estimate what it needs; the extension then
// judges every catalog build from those figures. A header that needs more than
// the machine has must lead to advice that names a smaller build, or a shorter
// context, that does fit.
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {adviseInstead, describeFit, judgeCatalog, neededBytes, recommendBuild, type BuildFit, type MachineFacts} from "../../src/core/hardwareFit.ts";
import {defaultBuild, findBuild, type CatalogBuild} from "../../src/core/modelCatalog.ts";
import {EngineProcess} from "../../src/engine/EngineProcess.ts";
import type {EngineEvent} from "../../src/engine/protocol.ts";
import {GgmlType} from "../support/gguf/ggmlTypes.ts";
import {LLAMA_3_VOCABULARY_SIZE, writeRandomModel, type LlamaShape, type RandomModelInfo} from "../support/gguf/randomModel.ts";
import {ModelServer, type ServedFile} from "../support/modelServer.ts";
import {makeTempDir} from "../support/tempDir.ts";
import {collectingLogger, enginePath} from "./engineHarness.ts";

/** AstroSage-8B is Llama 3.1 8B: these are its shapes. */
const ASTROSAGE_8B_SHAPE: LlamaShape = {
    blockCount: 32,
    embeddingLength: 4096,
    feedForwardLength: 14336,
    headCount: 32,
    headCountKv: 8,
    contextLength: 131072
};
const GIB = 1024 ** 3;

type Inspected = Extract<EngineEvent, {type: "inspected"}>;

/** A machine without a GPU and with plenty of disk. */
function machineWith(ramGib: number): MachineFacts {
    return {totalRamBytes: ramGib * GIB, gpu: false, totalVramBytes: 0, freeDiskBytes: 500e9};
}

function fitOf(fits: readonly BuildFit[], build: CatalogBuild): BuildFit {
    return fits.find((fit) => fit.build.id === build.id)!;
}

describe("engine process: whether a build fits, from its remote header", () => {
    const q8Build = findBuild("8b-q8_0")!;
    const q3Build = findBuild("8b-q3_k_m")!;
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    let server: ModelServer;
    let engine: EngineProcess;
    let q8Header: RandomModelInfo;
    let q8Served: ServedFile;
    let q8: Inspected;

    before(async () => {
        temp = await makeTempDir("fit-advice");
        // Only the headers (3 MB each): what the official Q8_0 and a Q4 build describe, without their gigabytes.
        q8Header = await writeRandomModel(path.join(temp.dir, "q8.gguf"), ASTROSAGE_8B_SHAPE,
            {quantization: GgmlType.Q8_0, vocabularySize: LLAMA_3_VOCABULARY_SIZE, name: "AstroSage-8B", headerOnly: true});
        const q4Header = await writeRandomModel(path.join(temp.dir, "q4.gguf"), ASTROSAGE_8B_SHAPE,
            {quantization: GgmlType.Q4_0, vocabularySize: LLAMA_3_VOCABULARY_SIZE, name: "AstroSage-8B", headerOnly: true});
        server = await ModelServer.start();
        q8Served = await server.serve(q8Build, q8Header.path);
        await server.serve(defaultBuild(), q4Header.path);
        engine = new EngineProcess({enginePath, logger: collectingLogger()});
        q8 = await inspect(server.urlOf(q8Build), 8192);
    });
    after(async () => {
        await engine.dispose();
        await server.stop();
        await temp.remove();
    });

    let requestCount = 0;
    async function inspect(source: string, contextSize: number): Promise<Inspected> {
        const answer = await engine.request({type: "inspect", id: `inspect-${++requestCount}`, source, contextSize, gpu: "off", storageDirectory: temp.dir});
        assert.equal(answer.type, "inspected", JSON.stringify(answer));
        return answer as Inspected;
    }

    test("the header read over HTTP gives the Q8_0 file's size and what it needs with an 8192-token context", () => {
        // Q8_0 stores 32 weights in 34 bytes; the norms are F32.
        const normBytes = (2 * ASTROSAGE_8B_SHAPE.blockCount + 1) * ASTROSAGE_8B_SHAPE.embeddingLength * 4;
        const weightBytes = (q8Header.parameterCount / 32) * 34 + normBytes;
        assert.equal(q8.needs.fileBytes, q8Header.fileBytes + weightBytes);
        assert.ok(Math.abs(q8.needs.fileBytes / q8Build.approximateBytes - 1) < 0.01, "the size of the real AstroSage-8B Q8_0 file");
        assert.equal(q8.needs.contextSize, 8192);
        assert.equal(q8.needs.modelRamBytes, weightBytes, "on the CPU the whole model is in RAM");
        // The KV cache alone: 32 layers × 8192 tokens × 1024 keys and values × 2 bytes, twice (keys and values).
        assert.ok(q8.needs.contextRamBytes > 32 * 8192 * 1024 * 2 * 2, `context memory ${q8.needs.contextRamBytes}`);
        assert.deepEqual([q8.needs.gpuLayers, q8.needs.modelVramBytes, q8.needs.contextVramBytes], [0, 0, 0]);
        assert.equal(q8.needs.totalLayers, ASTROSAGE_8B_SHAPE.blockCount + 1);
        assert.deepEqual(q8Served.requests.map((request) => [request.method, request.status]), [["GET", 206]], "one ranged request");

        assert.equal(q8.machine.totalRamBytes, os.totalmem());
        assert.equal(q8.machine.gpu, false);
        assert.ok(q8.machine.freeDiskBytes != null && q8.machine.freeDiskBytes > 0);
    });

    test("with 8 GiB of memory, Q8_0 is too big and the advice names a smaller build, the one recommended", () => {
        const machine = machineWith(8);
        const fits = judgeCatalog({buildId: q8Build.id, needs: q8.needs}, machine);
        const official = fitOf(fits, q8Build);
        assert.equal(official.verdict, "tooBig");
        assert.equal(describeFit(official, machine), "Too big: needs 9.21 GiB, this machine has 8 GiB memory.");

        assert.match(adviseInstead(official, fits, machine) ?? "", /^Instead, choose AstroSage-8B Q3_K_M \(needs about 5(\.\d+)? GiB\)\.$/);
        const recommended = recommendBuild(fits);
        assert.equal(recommended?.build.id, q3Build.id);
        assert.equal(recommended.verdict, "fits");
        assert.ok(neededBytes(recommended.needs) < neededBytes(official.needs));
        assert.match(describeFit(recommended, machine), /^Fits: needs about 5(\.\d+)? GiB of 8 GiB memory, on the CPU\.$/);
        // The default build would be tight here: offered only where nothing fits comfortably.
        assert.equal(fitOf(fits, defaultBuild()).verdict, "tight");
    });

    test("with 16 GiB, every build fits and the default is recommended; no advice is given", () => {
        const machine = machineWith(16);
        const fits = judgeCatalog({buildId: q8Build.id, needs: q8.needs}, machine);
        assert.deepEqual(fits.map((fit) => fit.verdict), fits.map(() => "fits"));
        assert.equal(recommendBuild(fits)?.build.id, defaultBuild().id);
        assert.equal(adviseInstead(fitOf(fits, q8Build), fits, machine), undefined);
    });

    test("with 4 GiB, nothing fits: no build is recommended and the advice says so", () => {
        const machine = machineWith(4);
        const fits = judgeCatalog({buildId: q8Build.id, needs: q8.needs}, machine);
        assert.ok(fits.every((fit) => fit.verdict === "tooBig"));
        assert.equal(recommendBuild(fits), undefined);
        assert.match(adviseInstead(fitOf(fits, defaultBuild()), fits, machine) ?? "", /^No AstroSage build fits this machine's memory/);
    });

    test("a long context that does not fit is advised down to one that does, when no smaller build helps", async () => {
        const q4 = await inspect(server.urlOf(defaultBuild()), 32768);
        assert.equal(q4.needs.contextSize, 32768);
        assert.ok(q4.needs.contextRamBytes > 4 * q8.needs.contextRamBytes * 0.8, "the context's memory grows with its length");

        const machine = machineWith(8);
        const fits = judgeCatalog({buildId: defaultBuild().id, needs: q4.needs}, machine);
        const chosen = fitOf(fits, defaultBuild());
        assert.equal(chosen.verdict, "tooBig");
        assert.equal(fitOf(fits, q3Build).verdict, "tooBig", "even the smallest build is too big with this context");
        assert.equal(adviseInstead(chosen, fits, machine), "Instead, lower \"astrosage.model.contextSize\" to 16384.");
    });

    test("a source that is not a GGUF file is refused before any judging", async () => {
        const page = await server.serve({repository: "astrosage-tests/fit-GGUF", revision: "main", fileName: "page.gguf"}, Buffer.alloc(0), {htmlInstead: true});
        const answer = await engine.request({type: "inspect", id: "inspect-html", source: page.url, contextSize: 8192, gpu: "off", storageDirectory: temp.dir});
        assert.equal(answer.type, "error");
        assert.equal(answer.type === "error" && answer.code, "badDownload");
        assert.match(answer.type === "error" ? answer.message : "", /is not a GGUF model file/);
    });
});
