// The model folder with real files: finished downloads, interrupted ones
// (node-llama-cpp's partial files), other files, and deleting a model with
// everything left of its downloads.
import assert from "node:assert/strict";
import {mkdir, readdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {test} from "node:test";
import {findBuild} from "../../src/core/modelCatalog.ts";
import {partialFileName, stagingFileName} from "../../src/engine/downloadModel.ts";
import {ModelLibrary} from "../../src/models/ModelLibrary.ts";
import {makeTempDir} from "../support/tempDir.ts";

test("lists finished models and interrupted downloads, recognising catalog builds", async () => {
    const {dir, remove} = await makeTempDir("library");
    try {
        const q4 = findBuild("8b-q4_k_m")!;
        const q8 = findBuild("8b-q8_0")!;
        await writeFile(path.join(dir, q4.fileName), Buffer.alloc(3000));
        await writeFile(path.join(dir, partialFileName(q8.fileName)), Buffer.alloc(1000));
        await writeFile(path.join(dir, "my-own-model.gguf"), Buffer.alloc(2000));
        await writeFile(path.join(dir, "notes.txt"), "not a model");
        await mkdir(path.join(dir, "folder.gguf"));

        const library = new ModelLibrary(dir);
        const files = await library.list();
        assert.deepEqual(files.map(({fileName, bytes, partial, build}) => ({fileName, bytes, partial, build: build?.id})), [
            {fileName: q4.fileName, bytes: 3000, partial: false, build: "8b-q4_k_m"},
            {fileName: "my-own-model.gguf", bytes: 2000, partial: false, build: undefined},
            {fileName: q8.fileName, bytes: 1000, partial: true, build: "8b-q8_0"}
        ]);
        assert.equal(await library.has(q4), true);
        assert.equal(await library.has(q8), false, "an interrupted download is not a model");
    } finally {
        await remove();
    }
});

test("deleting a model removes it and every leftover of its downloads, nothing else", async () => {
    const {dir, remove} = await makeTempDir("library");
    try {
        const q4 = findBuild("8b-q4_k_m")!;
        for (const name of [q4.fileName, stagingFileName(q4.fileName), partialFileName(q4.fileName), "other.gguf"])
            await writeFile(path.join(dir, name), "x");
        const library = new ModelLibrary(dir);
        await library.delete(q4.fileName);
        assert.deepEqual(await readdir(dir), ["other.gguf"]);
        await assert.rejects(library.delete("../other.gguf"), /Not a file name/);
        assert.deepEqual(await readdir(dir), ["other.gguf"]);
    } finally {
        await remove();
    }
});

test("an empty or missing folder lists nothing", async () => {
    assert.deepEqual(await new ModelLibrary("/nonexistent/astrosage/models").list(), []);
});
