// The LaTeX worker (dist/latexWorker.js) through the extension's own host-side
// class, as the extension uses it: manuscripts arrive whole, unsaved text wins,
// aborts and crashes reject at once and leave the service usable.
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import path from "node:path";
import {after, describe, test} from "node:test";
import {buildManuscript} from "../../src/latex/buildManuscript.ts";
import {LatexService} from "../../src/latex/LatexService.ts";
import {diskSourceReader} from "../../src/latex/SourceReader.ts";

const workerPath = path.resolve("dist/latexWorker.js");
const rubin = path.resolve("test/fixtures/latex/rubin-dp1-rtn095");
const farr = path.resolve("test/fixtures/latex/farr-normalnormal/src/tex/ms.tex");

function service(options: Partial<ConstructorParameters<typeof LatexService>[0]> = {}): LatexService {
    if (!existsSync(workerPath))
        throw new Error(`${workerPath} is missing: run "npm run build" first (npm test does).`);
    return new LatexService({workerPath, ...options});
}

describe("the LaTeX worker", () => {
    const latex = service();
    after(() => latex.dispose());

    test("the Rubin paper arrives whole from a section file, the same as built in this thread; the second time from the cache", async () => {
        const coldStart = performance.now();
        const manuscript = await latex.manuscriptFor(path.join(rubin, "performance.tex"));
        const cold = performance.now() - coldStart;
        const expected = await buildManuscript(path.join(rubin, "RTN-095.tex"), diskSourceReader());
        assert.deepEqual(manuscript, expected);
        assert.equal(manuscript.files.length, 22);

        const warmStart = performance.now();
        assert.deepEqual(await latex.manuscriptFor(path.join(rubin, "RTN-095.tex")), expected);
        const warm = performance.now() - warmStart;
        // Cold parses 22 files (around a second); warm only reads and hashes them.
        assert.ok(warm < cold / 4, `warm ${warm.toFixed(0)} ms is not far below cold ${cold.toFixed(0)} ms`);
    });

    test("unsaved text in overrides replaces the files on disk", async () => {
        const introduction = path.join(rubin, "introduction.tex");
        const edited = "\\section{Introduction, edited}\\label{sec:intro}\nNew first words.\n\\input{brand_new}\n";
        const fresh = path.join(rubin, "brand_new.tex");
        const manuscript = await latex.manuscriptFor(path.join(rubin, "RTN-095.tex"), {overrides: {[introduction]: edited, [fresh]: "\\subsection{Not saved yet}\n"}});
        assert.equal(manuscript.sections[0]!.title, "Introduction, edited");
        assert.deepEqual(manuscript.sections[0]!.body.map((text) => text.text), ["\\label{sec:intro}\nNew first words."]);
        assert.deepEqual(manuscript.sections[0]!.children.map((child) => `${child.number} ${child.title}`), ["1.1 Not saved yet"]);
        assert.equal(manuscript.files.find((file) => file.path === introduction)!.bytes, Buffer.byteLength(edited));
        const again = await latex.manuscriptFor(path.join(rubin, "RTN-095.tex"));
        assert.equal(again.sections[0]!.title, "Introduction", "overrides last one request");
    });

    test("an unreadable root rejects with the reason", async () => {
        await assert.rejects(latex.manuscriptFor(path.join(rubin, "no-such-file.tex")), /no-such-file\.tex could not be found/);
    });
});

describe("aborting", () => {
    test("rejects at once, while the worker is still parsing; the worker stays usable", async () => {
        const latex = service();
        try {
            const controller = new AbortController();
            const request = latex.manuscriptFor(path.join(rubin, "RTN-095.tex"), {signal: controller.signal});
            await new Promise((resolve) => setTimeout(resolve, 50));
            const abortedAt = performance.now();
            controller.abort();
            await assert.rejects(request, {name: "AbortError"});
            assert.ok(performance.now() - abortedAt < 50, "the promise rejects without waiting for the worker");
            const manuscript = await latex.manuscriptFor(farr);
            assert.equal(manuscript.title, "Comments on the Normal-Normal Hierarchical Model");
            const before = new AbortController();
            before.abort();
            await assert.rejects(latex.manuscriptFor(farr, {signal: before.signal}), {name: "AbortError"});
        } finally {
            latex.dispose();
        }
    });
});

describe("a worker that dies", () => {
    test("a file that exhausts the worker's memory rejects every request in flight clearly; the next request starts a new worker", async () => {
        // A small heap, and a 4.4 MB file of 150,000 headings: the worker runs out of memory, as a pathological file would with any limit.
        const latex = service({resourceLimits: {maxOldGenerationSizeMb: 32}});
        try {
            const huge = path.join(rubin, "huge.tex");
            const text = `\\documentclass{article}\n\\begin{document}\n${"\\section{S}\\label{a}\\cite{b}\n".repeat(150_000)}\\end{document}\n`;
            const first = latex.manuscriptFor(huge, {overrides: {[huge]: text}});
            const second = latex.manuscriptFor(farr);
            await assert.rejects(first, /^Error: The LaTeX worker stopped \(it ran out of memory\) while reading the manuscript\. Try again: a new worker starts\.$/);
            await assert.rejects(second, /The LaTeX worker stopped/);
            const manuscript = await latex.manuscriptFor(farr);
            assert.equal(manuscript.equations.length, 18);
        } finally {
            latex.dispose();
        }
    });

    test("disposing rejects what is in flight, and later requests", async () => {
        const latex = service();
        const request = latex.manuscriptFor(farr);
        latex.dispose();
        await assert.rejects(request, /disposed/);
        await assert.rejects(latex.manuscriptFor(farr), /disposed/);
    });
});
