// Model downloads through the real engine process (dist/engine.mjs), from a
// real local server in the hub's layout that can fail the ways real servers
// fail: the finished file is checked and renamed into place, an interrupted
// download resumes without fetching its finished part again, and every failure
// ends with the error code the extension acts on, leaving nothing behind that
// could pass for a model.
import assert from "node:assert/strict";
import {createHash} from "node:crypto";
import {mkdir, readdir, readFile} from "node:fs/promises";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {defaultBuild} from "../../src/core/modelCatalog.ts";
import {DownloadError} from "../../src/engine/downloadErrors.ts";
import {downloadModel, partialFileName, type DownloadModelProgress} from "../../src/engine/downloadModel.ts";
import {EngineProcess} from "../../src/engine/EngineProcess.ts";
import type {EngineEvent} from "../../src/engine/protocol.ts";
import {GgmlType} from "../support/gguf/ggmlTypes.ts";
import {writeRandomModel} from "../support/gguf/randomModel.ts";
import {ModelServer, type RepositoryFile, type ServeBehaviour, type ServedRequest} from "../support/modelServer.ts";
import {makeTempDir} from "../support/tempDir.ts";
import {collectingLogger, enginePath} from "./engineHarness.ts";

/** The downloader's resume unit (ipull's chunk): the test model is one full chunk plus a short one. */
const CHUNK_BYTES = 5 * 1024 * 1024;

type DownloadFields = {url: string; fileName: string; directory: string; sha256?: string; stallTimeoutMs?: number};
type Download = {id: string; final: EngineEvent; progress: DownloadModelProgress[]};

describe("engine process: model downloads", () => {
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    let modelBytes: Buffer;
    let server: ModelServer;
    let engine: EngineProcess;
    let requestCount = 0;

    before(async () => {
        temp = await makeTempDir("download");
        // 6.2 MB of real GGUF (one 576-wide Llama block, Q8_0): two of the downloader's chunks.
        const {path: modelPath} = await writeRandomModel(path.join(temp.dir, "source.gguf"), {
            blockCount: 1,
            embeddingLength: 576,
            feedForwardLength: 1152,
            headCount: 9,
            headCountKv: 9,
            contextLength: 4096
        }, {quantization: GgmlType.Q8_0, name: "AstroSage download test model"});
        modelBytes = await readFile(modelPath);
        assert.ok(modelBytes.length > CHUNK_BYTES + 512 * 1024 && modelBytes.length < 2 * CHUNK_BYTES, "the model is one full chunk plus a short one");
        server = await ModelServer.start();
        engine = new EngineProcess({enginePath, logger: collectingLogger(), restartDelaysMs: [100, 100, 100]});
    });
    after(async () => {
        await engine.dispose();
        await server.stop();
        await temp.remove();
    });

    /** A fresh, empty folder for one test's downloads. */
    async function folder(name: string): Promise<string> {
        const directory = path.join(temp.dir, name);
        await mkdir(directory, {recursive: true});
        return directory;
    }

    /** A file of a test repository on the server. */
    function testFile(fileName: string): RepositoryFile {
        return {repository: "astrosage-tests/download-GGUF", revision: "main", fileName};
    }

    /** Starts a download request in the engine; `finished` resolves with its final event and the progress before it. */
    function startDownload(fields: DownloadFields): {id: string; finished: Promise<Download>} {
        const id = `download-${++requestCount}`;
        const progress: DownloadModelProgress[] = [];
        const finished = engine.request({type: "download", id, ...fields}, (event) => {
            if (event.type === "downloadProgress")
                progress.push(event.progress);
        }).then((final) => ({id, final, progress}));
        return {id, finished};
    }

    function download(fields: DownloadFields): Promise<Download> {
        return startDownload(fields).finished;
    }

    function assertFailed(final: EngineEvent, code: string, message: RegExp) {
        assert.equal(final.type, "error", `expected an error, got ${JSON.stringify(final)}`);
        if (final.type === "error") {
            assert.equal(final.code, code, final.message);
            assert.match(final.message, message);
        }
    }

    async function sha256Of(file: string): Promise<string> {
        return createHash("sha256").update(await readFile(file)).digest("hex");
    }

    /** Ranged responses: the downloader's opening GET is abandoned after its headers, so its bytes are not the download. */
    const ranged = (request: ServedRequest) => request.status === 206;

    test("a catalog build downloads from the hub layout, checked against the announced SHA-256, with steady progress", async () => {
        const build = defaultBuild();
        const served = await server.serve(build, modelBytes);
        const directory = await folder("success");

        const {id, final, progress} = await download({url: server.urlOf(build), fileName: build.fileName, directory});

        assert.deepEqual(final, {type: "downloaded", id, path: path.join(directory, build.fileName), bytes: modelBytes.length, sha256Checked: true});
        assert.equal(await sha256Of(path.join(directory, build.fileName)), served.sha256);
        assert.deepEqual(await readdir(directory), [build.fileName], "no staging or partial file is left");

        const phases = progress.map((event) => event.phase);
        const firstVerifying = phases.indexOf("verifying");
        assert.ok(firstVerifying > 0, `downloading comes first, then verifying: ${phases.join(",")}`);
        assert.ok(phases.slice(firstVerifying).every((phase) => phase === "verifying"), "nothing is downloaded after the check began");
        for (const phase of ["downloading", "verifying"] as const) {
            const done = progress.filter((event) => event.phase === phase).map((event) => event.doneBytes);
            assert.deepEqual(done, [...done].sort((a, b) => a - b), `${phase} progress never goes back`);
        }
        const last = progress.at(-1)!;
        assert.equal(last.phase, "verifying");
        assert.equal(last.doneBytes, modelBytes.length, "the whole file was hashed");
        assert.equal(last.totalBytes, modelBytes.length);
        assert.ok(progress.every((event) => event.resumedBytes === 0 && event.totalBytes === modelBytes.length));
    });

    test("behind the hub's redirect to storage, the SHA-256 announced on the redirect is the one checked", async () => {
        const hub = await ModelServer.start({redirectToStorage: true});
        try {
            const file = testFile("redirected.gguf");
            const served = await hub.serve(file, modelBytes);
            const directory = await folder("redirect");
            const {final} = await download({url: hub.urlOf(file), fileName: file.fileName, directory});
            assert.equal(final.type, "downloaded", JSON.stringify(final));
            assert.equal(final.type === "downloaded" && final.sha256Checked, true);
            assert.equal(await sha256Of(path.join(directory, file.fileName)), served.sha256);

            // The same server, corrupting the file: the redirect's checksum catches it.
            served.behaviour = {corrupt: true};
            const corrupted = await download({url: hub.urlOf(file), fileName: "corrupted.gguf", directory: await folder("redirect-corrupt")});
            assertFailed(corrupted.final, "badDownload", /damaged: its SHA-256 is/);
        } finally {
            await hub.stop();
        }
    });

    test("a plain mirror announces no checksum: the file is checked by size and header, or by a pinned SHA-256", async () => {
        const mirror = await ModelServer.start({hubHeaders: false});
        try {
            const file = testFile("mirrored.gguf");
            const served = await mirror.serve(file, modelBytes);
            const unpinned = await download({url: mirror.urlOf(file), fileName: file.fileName, directory: await folder("mirror")});
            assert.equal(unpinned.final.type, "downloaded", JSON.stringify(unpinned.final));
            assert.equal(unpinned.final.type === "downloaded" && unpinned.final.sha256Checked, false);

            const pinned = await download({url: mirror.urlOf(file), fileName: file.fileName, directory: await folder("mirror-pinned"), sha256: served.sha256});
            assert.equal(pinned.final.type === "downloaded" && pinned.final.sha256Checked, true, JSON.stringify(pinned.final));

            served.behaviour = {corrupt: true};
            const directory = await folder("mirror-corrupt");
            const corrupted = await download({url: mirror.urlOf(file), fileName: file.fileName, directory, sha256: served.sha256});
            assertFailed(corrupted.final, "badDownload", /damaged: its SHA-256 is/);
            assert.deepEqual(await readdir(directory), []);
        } finally {
            await mirror.stop();
        }
    });

    test("a server that ignores Range still gives the whole, checked file", async () => {
        const file = testFile("no-ranges.gguf");
        const served = await server.serve(file, modelBytes, {ignoreRange: true});
        const directory = await folder("no-ranges");
        const {final} = await download({url: server.urlOf(file), fileName: file.fileName, directory});
        assert.equal(final.type === "downloaded" && final.sha256Checked, true, JSON.stringify(final));
        assert.equal(await sha256Of(path.join(directory, file.fileName)), served.sha256);
        assert.ok(served.requests.every((request) => request.status === 200), "every answer was the whole file");
    });

    test("a download interrupted by the engine's death resumes without fetching its finished part again", async () => {
        const file = testFile("resumed.gguf");
        // Each connection at 2 MB/s: the short second chunk finishes while the first is still coming.
        const served = await server.serve(file, modelBytes, {bytesPerSecond: 2_000_000});
        const directory = await folder("resume");
        const fields = {url: server.urlOf(file), fileName: file.fileName, directory};

        // Killed (as a window reload or a crash would) half a second after a chunk was complete,
        // time enough for the downloader to record it; the other chunk is then half sent.
        const chunkDoneAndSaved = served.waitFor(({requests}) => {
            const finished = requests.find((request) => ranged(request) && request.completed);
            return finished != null && requests.some((request) => ranged(request) && !request.completed && request.bodyBytes >= finished.bodyBytes + 1_000_000);
        });
        const killed = chunkDoneAndSaved.then(() => process.kill(engine.pid!, "SIGKILL"));
        const interrupted = await download(fields);
        await killed;
        assertFailed(interrupted.final, "engineCrashed", /stopped unexpectedly/);
        assert.ok((await readdir(directory)).includes(partialFileName(file.fileName)), "the partial download is on disk");

        const firstAttempt = served.requests.length;
        const kept = served.requests.filter((request) => ranged(request) && request.completed);
        assert.equal(kept.length, 1, "one chunk had arrived whole");
        served.behaviour = {};
        const resumed = await download(fields);

        assert.equal(resumed.final.type, "downloaded", JSON.stringify(resumed.final));
        assert.equal(await sha256Of(path.join(directory, file.fileName)), served.sha256);
        assert.deepEqual(await readdir(directory), [file.fileName]);
        const secondAttempt = served.requests.slice(firstAttempt).filter(ranged);
        for (const finished of kept)
            assert.ok(secondAttempt.every((request) => request.end! < finished.start! || request.start! > finished.end!),
                `bytes ${finished.start}-${finished.end} were complete and were not fetched again`);
        const refetched = secondAttempt.reduce((sum, request) => sum + request.bodyBytes, 0);
        const keptBytes = kept.reduce((sum, request) => sum + request.bodyBytes, 0);
        assert.equal(refetched + keptBytes, modelBytes.length, "the second attempt fetched exactly what the first had not finished");
        assert.ok(resumed.progress.some((event) => event.phase === "downloading" && event.resumedBytes > 0), "progress tells that part was resumed");
    });

    test("cancelling a download leaves no file behind", async () => {
        const file = testFile("cancelled.gguf");
        const served = await server.serve(file, modelBytes, {bytesPerSecond: 1_000_000});
        const directory = await folder("cancel");
        const started = served.waitFor((current) => current.bodyBytesSent(ranged) >= 300_000);
        const {id, finished} = startDownload({url: server.urlOf(file), fileName: file.fileName, directory});
        await started;
        engine.abort(id);
        const {final, progress} = await finished;
        assert.ok(progress.length > 0, "the download was under way");
        assertFailed(final, "cancelled", /cancelled/);
        assert.deepEqual(await readdir(directory), [], "neither the staging file, its .ipull, nor a model file is left");
        assert.ok(served.bodyBytesSent(ranged) < modelBytes.length, "the download stopped before the end");
    });

    const badFiles: {name: string; fileName: string; behaviour: (fullSize: number) => ServeBehaviour; message: RegExp}[] = [
        {
            name: "a corrupt file (bytes flipped, same size)",
            fileName: "corrupt.gguf",
            behaviour: () => ({corrupt: true}),
            message: /damaged: its SHA-256 is [0-9a-f]{12}…, the source announced [0-9a-f]{12}…/
        },
        {name: "an HTML page instead of the model", fileName: "html.gguf", behaviour: () => ({htmlInstead: true}), message: /not a GGUF model file/},
        {
            name: "a file cut short whose header promises more data",
            fileName: "cut.gguf",
            behaviour: () => ({truncateTo: 3_000_000}),
            message: /incomplete: its header describes 6\.\d+ MB of data and the file has 3 MB/
        },
        {
            name: "fewer bytes than the size announced",
            fileName: "short.gguf",
            behaviour: (fullSize) => ({truncateTo: 3_000_000, announcedSize: fullSize}),
            message: /incomplete or damaged: 3 MB arrived, the source announced 6\.\d+ MB/
        }
    ];
    for (const bad of badFiles)
        test(`${bad.name} is rejected as a bad download, and deleted`, async () => {
            const file = testFile(bad.fileName);
            await server.serve(file, modelBytes, bad.behaviour(modelBytes.length));
            const directory = await folder(`bad-${bad.fileName}`);
            const {final} = await download({url: server.urlOf(file), fileName: file.fileName, directory});
            assertFailed(final, "badDownload", bad.message);
            assert.match(final.type === "error" ? final.message : "", /It was deleted; (download it again|check the download source)/);
            assert.deepEqual(await readdir(directory), [], "nothing that could pass for a model is left");
        });

    const refusals: {status: number; retryAfterSeconds?: number; message: RegExp}[] = [
        {status: 404, message: /does not have this file \(404 Not Found\)/},
        {status: 500, message: /failed to serve the file \(500 Internal Server Error\)\. Try again later/},
        {status: 429, retryAfterSeconds: 30, message: /is limiting downloads \(429 Too Many Requests\); it asks to wait 30 s/}
    ];
    for (const refusal of refusals)
        test(`a source answering ${refusal.status} is reported at once as refused, without retrying`, async () => {
            const file = testFile(`refused-${refusal.status}.gguf`);
            const served = await server.serve(file, modelBytes, {status: refusal.status, retryAfterSeconds: refusal.retryAfterSeconds});
            const directory = await folder(`refused-${refusal.status}`);
            const {final} = await download({url: server.urlOf(file), fileName: file.fileName, directory});
            assertFailed(final, "sourceRefused", refusal.message);
            assert.deepEqual(served.requests.map((request) => request.method), ["HEAD"], "one question, no retries");
            assert.deepEqual(await readdir(directory), []);
        });

    test("an unreachable source is a network error that names the reason", async () => {
        const closed = await ModelServer.start();
        const url = closed.urlOf(testFile("unreachable.gguf"));
        await closed.stop();
        const {final} = await download({url, fileName: "unreachable.gguf", directory: await folder("unreachable")});
        assertFailed(final, "network", /Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED/);
    });

    test("a transfer that stalls is stopped as a network error; what arrived is kept, and the next attempt resumes from it", async () => {
        const file = testFile("stalled.gguf");
        // Every connection goes silent after 1.5 MB: the short chunk completes, the long one stalls.
        const served = await server.serve(file, modelBytes, {stallAfterBytes: 1_500_000});
        const directory = await folder("stall");
        const fields = {url: server.urlOf(file), fileName: file.fileName, directory, stallTimeoutMs: 500};
        const stalled = await download(fields);
        assertFailed(stalled.final, "network", /stopped: nothing arrived for \d+ s\. What arrived is kept; download again to resume/);
        assert.ok((await readdir(directory)).includes(partialFileName(file.fileName)), "the partial file is kept");

        const firstAttempt = served.requests.length;
        const kept = served.requests.filter((request) => ranged(request) && request.completed);
        assert.equal(kept.length, 1, "the short chunk arrived whole before the stall");
        served.behaviour = {};
        const resumed = await download(fields);
        assert.equal(resumed.final.type, "downloaded", JSON.stringify(resumed.final));
        assert.equal(await sha256Of(path.join(directory, file.fileName)), served.sha256);
        assert.equal(served.bodyBytesSent((request) => ranged(request) && served.requests.indexOf(request) >= firstAttempt), modelBytes.length - kept[0]!.bodyBytes);
    });

    test("a slow but steady transfer is not taken for a stalled one, even while the downloader's count stands still", async () => {
        const file = testFile("slow.gguf");
        // At 2 MB/s per connection the short last chunk is in after half a second; from then on the
        // downloader counts the file as complete for two more seconds while the long chunk arrives.
        const served = await server.serve(file, modelBytes, {bytesPerSecond: 2_000_000});
        const directory = await folder("slow");
        const {final} = await download({url: server.urlOf(file), fileName: file.fileName, directory, stallTimeoutMs: 700});
        assert.equal(final.type, "downloaded", JSON.stringify(final));
        assert.equal(await sha256Of(path.join(directory, file.fileName)), served.sha256);
    });

    test("a download that would not fit on the disk is refused before a byte of it is fetched", async () => {
        // In-process: the disk's free space is the one thing a test cannot make small for the engine.
        const file = testFile("too-big.gguf");
        const served = await server.serve(file, modelBytes);
        const directory = await folder("no-disk");
        const llamaCpp = await import("node-llama-cpp");
        const attempt = downloadModel({url: server.urlOf(file), directory, fileName: file.fileName}, {
            llamaCpp,
            signal: new AbortController().signal,
            onProgress: () => assert.fail("no progress without a download"),
            freeDiskBytes: async () => 100_000_000
        });
        await assert.rejects(attempt, (error: unknown) => {
            assert.ok(error instanceof DownloadError);
            assert.equal(error.code, "notEnoughDisk");
            assert.match(error.message, /Not enough disk space for too-big\.gguf: it needs 2\d\d(\.\d+)? MB \(with room to spare\) and .* has 100 MB free/);
            return true;
        });
        assert.equal(served.bodyBytesSent(), 0, "not a byte of the file was sent");
        assert.deepEqual(await readdir(directory), []);
    });
});
