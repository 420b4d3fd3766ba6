// What the commands ask of a manuscript: the section at the cursor (across
// \input files), short place names, KaTeX macros, and which root a file belongs to.
import assert from "node:assert/strict";
import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {before, describe, test} from "node:test";
import {buildManuscript} from "../../src/latex/buildManuscript.ts";
import {findRoot} from "../../src/latex/findRoot.ts";
import type {Manuscript} from "../../src/latex/Manuscript.ts";
import {allSections, katexMacros, sectionAt, sourceLabel} from "../../src/latex/manuscriptQueries.ts";
import {diskSourceReader, type SourceReader} from "../../src/latex/SourceReader.ts";
import {makeTempDir} from "../support/tempDir.ts";

const rubin = path.resolve("test/fixtures/latex/rubin-dp1-rtn095");

describe("sectionAt and sourceLabel on the Rubin paper", () => {
    let manuscript: Manuscript;
    before(async () => {
        manuscript = await buildManuscript(path.join(rubin, "RTN-095.tex"), diskSourceReader());
    });

    const cases: [file: string, line: number, section: string | undefined][] = [
        ["introduction.tex", 1, "1"],
        ["introduction.tex", 20, "1"],
        ["performance.tex", 6, "5.1"],
        ["performance.tex", 8, "5.1"], // the \input{sensor_anomalies} line
        ["sensor_anomalies.tex", 3, "5.1"], // before the file's first heading
        ["sensor_anomalies.tex", 10, "5.1.1"],
        ["sensor_anomalies.tex", 60, "5.1.4"],
        ["performance.tex", 30, "5.2"],
        ["psf_1d_stat.tex", 5, "5.2"], // a table inputted from 5.2
        ["dp1_m5_coadded_depths.tex", 10, "2.4"], // two \input levels down
        ["summary.tex", 23, "8"],
        ["abstract.tex", 5, undefined],
        ["RTN-095.tex", 20, undefined], // the preamble
        ["isr.tex", 3, undefined] // not part of the manuscript
    ];
    for (const [file, line, expected] of cases)
        test(`${file}:${line} is in ${expected ?? "no section"}`, () => {
            assert.equal(sectionAt(manuscript, {file: path.join(rubin, file), line})?.number, expected);
        });

    test("allSections lists every section once, depth first", () => {
        const sections = allSections(manuscript);
        assert.equal(sections.length, 91);
        assert.equal(new Set(sections.map((section) => section.id)).size, 91);
        assert.deepEqual(sections.slice(0, 4).map((section) => section.number), ["1", "2", "2.1", "2.2"]);
    });

    test("sourceLabel names a place relative to the root's folder, with forward slashes", () => {
        assert.equal(sourceLabel(manuscript, {file: path.join(rubin, "sensor_anomalies.tex"), line: 4}), "sensor_anomalies.tex:4");
        assert.equal(sourceLabel(manuscript, {file: path.join(rubin, "sections", "photometry.tex"), line: 40}), "sections/photometry.tex:40");
        assert.equal(sourceLabel(manuscript, {file: path.join(path.dirname(rubin), "other", "x.tex"), line: 1}), "../other/x.tex:1");
    });
});

describe("katexMacros", () => {
    test("keeps what KaTeX can expand, in LaTeX's order of definitions, and leaves out the rest", async () => {
        const folder = path.resolve("/paper");
        const preamble = [
            "\\newcommand{\\msun}{M_\\odot}",
            "\\newcommand{\\vect}[1]{\\mathbf{#1}}",
            "\\renewcommand{\\vect}[1]{\\boldsymbol{#1}}", // replaces the first
            "\\providecommand{\\msun}{X}", // \\msun exists: ignored
            "\\newcommand*{\\flux}[2]{F_{#1}(#2)}",
            "\\DeclareMathOperator*{\\argmax}{arg\\,max}",
            "\\DeclareMathOperator{\\sinc}{sinc}",
            "\\def\\kms{\\ensuremath{\\mathrm{km\\,s^{-1}}}}",
            "\\newcommand{\\opt}[1][x]{#1}", // optional argument
            "\\newcommand{\\link}{\\url{https://example.org}}", // text only
            "\\newcommand{\\uses}{\\link\\,x}", // uses a left-out macro
            "\\newcommand{\\dollar}{$x$}", // switches to math itself
            "\\newcommand{\\two}[2]{#1}", // declares more parameters than it uses
            "\\newcommand{\\sref}[1]{Section~\\ref{#1}}",
            "\\newcommand{\\later}{1}",
            "\\renewcommand{\\later}{\\citep{x}}" // a later unusable definition removes the earlier one
        ].join("\n");
        const reader: SourceReader = {readText: async (file) => file === path.join(folder, "ms.tex") ? `\\documentclass{aastex631}\n${preamble}\n\\begin{document}\n\\end{document}\n` : undefined};
        const manuscript = await buildManuscript(path.join(folder, "ms.tex"), reader);
        assert.equal(manuscript.macros.length, 16);
        assert.deepEqual(katexMacros(manuscript), {
            "\\msun": "M_\\odot",
            "\\vect": "\\boldsymbol{#1}",
            "\\flux": "F_{#1}(#2)",
            "\\argmax": "\\operatorname*{arg\\,max}",
            "\\sinc": "\\operatorname{sinc}",
            "\\kms": "{\\mathrm{km\\,s^{-1}}}"
        });
    });

    test("the Rubin paper's macros are text macros (\\xspace, \\url, \\hyperref, $…$): one is left", async () => {
        const manuscript = await buildManuscript(path.join(rubin, "RTN-095.tex"), diskSourceReader());
        assert.deepEqual(katexMacros(manuscript), {"\\docRef": "RTN-095"});
    });
});

describe("findRoot", () => {
    test("the magic comment, a subfile's class option, a root up to two folders above, a chain of inputs", async () => {
        const {dir, remove} = await makeTempDir("root");
        try {
            await mkdir(path.join(dir, "a", "b", "c"), {recursive: true});
            await mkdir(path.join(dir, "sections"));
            await writeFile(path.join(dir, "main.tex"), "\\documentclass{article}\n% \\input{a/b/c/deep}\n\\begin{document}\n\\input{sections/intro}\n\\input{a/b/chain}\n\\end{document}\n");
            await writeFile(path.join(dir, "notes.tex"), "\\documentclass{article}\n\\begin{document}Not this one.\\end{document}\n");
            await writeFile(path.join(dir, "sections", "intro.tex"), "\\section{Intro}\n");
            await writeFile(path.join(dir, "sections", "magic.tex"), "% !TEX root = ../main.tex\n\\section{Magic}\n");
            await writeFile(path.join(dir, "sections", "sub.tex"), "\\documentclass[../main.tex]{subfiles}\n\\begin{document}\\section{Sub}\\end{document}\n");
            await writeFile(path.join(dir, "a", "b", "chain.tex"), "\\input{a/b/leaf}\n");
            await writeFile(path.join(dir, "a", "b", "leaf.tex"), "\\subsection{Leaf}\n");
            await writeFile(path.join(dir, "a", "b", "c", "deep.tex"), "\\subsection{Deep}\n");
            await writeFile(path.join(dir, "a", "b", "c", "lonely.tex"), "\\subsection{Lonely}\n");
            const reader = diskSourceReader();
            const main = path.join(dir, "main.tex");
            assert.equal(await findRoot(path.join(dir, "sections", "intro.tex"), reader), main);
            assert.equal(await findRoot(path.join(dir, "sections", "magic.tex"), reader), main);
            assert.equal(await findRoot(path.join(dir, "sections", "sub.tex"), reader), main);
            assert.equal(await findRoot(path.join(dir, "a", "b", "leaf.tex"), reader), main, "through a/b/chain.tex, two folders up");
            const deep = path.join(dir, "a", "b", "c", "deep.tex");
            assert.equal(await findRoot(deep, reader), deep, "three folders up is too far, and the \\input naming it is a comment");
            assert.equal(await findRoot(main, reader), main);
            assert.equal(await findRoot(path.join(dir, "missing.tex"), reader), path.join(dir, "missing.tex"));
        } finally {
            await remove();
        }
    });

    test("an unsaved new file, named by an unsaved root, belongs to it", async () => {
        const {dir, remove} = await makeTempDir("root");
        try {
            const main = path.join(dir, "main.tex");
            const fresh = path.join(dir, "fresh.tex");
            await writeFile(main, "\\documentclass{article}\n\\begin{document}\n\\end{document}\n");
            const reader = diskSourceReader({[main]: "\\documentclass{article}\n\\begin{document}\n\\input{fresh}\n\\end{document}\n", [fresh]: "\\section{Fresh}"});
            assert.equal(await findRoot(fresh, reader), main);
        } finally {
            await remove();
        }
    });
});
