// Manuscripts written for the test: malformed ones (the model never throws for
// what is in the files; it reports each problem where it is and keeps everything
// else), and the rarer forms of what it reads.
import assert from "node:assert/strict";
import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {test} from "node:test";
import {buildManuscript} from "../../src/latex/buildManuscript.ts";
import type {Manuscript} from "../../src/latex/Manuscript.ts";
import {allSections} from "../../src/latex/manuscriptQueries.ts";
import {diskSourceReader, type SourceReader} from "../../src/latex/SourceReader.ts";
import {makeTempDir} from "../support/tempDir.ts";

const folder = path.resolve("/manuscript");
const main = path.join(folder, "main.tex");

/** Files served from memory, by absolute path. */
function memoryReader(files: Record<string, string>): SourceReader {
    const byPath = new Map(Object.entries(files).map(([name, text]) => [path.join(folder, name), text]));
    return {readText: async (file) => byPath.get(file)};
}

function article(body: string): string {
    return `\\documentclass{article}\n\\begin{document}\n${body}\n\\end{document}\n`;
}

function problems(manuscript: Manuscript): string[] {
    return manuscript.problems.map((problem) => `${path.basename(problem.at?.file ?? "")}:${problem.at?.line} ${problem.message}`);
}

function titles(manuscript: Manuscript): string[] {
    return allSections(manuscript).map((section) => `${section.number ?? "*"} ${section.title}${section.label == null ? "" : ` [${section.label}]`}`);
}

test("a malformed manuscript on disk: problems for each fault, and every section that parses", async () => {
    const {dir, remove} = await makeTempDir("manuscript");
    try {
        await writeFile(path.join(dir, "paper.tex"), article([
            "\\section{Data}\\label{sec:data}", // line 3
            "We observed { for a while.",
            "\\begin{table}",
            "\\caption{Never closed}",
            "\\input{figure.png}",
            "\\input{results}",
            "\\section{Results}\\label{sec:results}",
            "As \\ref{sec:data} shows."
        ].join("\n")));
        await writeFile(path.join(dir, "figure.png.tex"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
        const manuscript = await buildManuscript(path.join(dir, "paper.tex"), diskSourceReader());
        assert.deepEqual(problems(manuscript), [
            "paper.tex:4 This `{` is never closed; it is read as a plain character.",
            "paper.tex:7 Skipped figure.png: it is a binary file (it contains NUL bytes), not LaTeX",
            "paper.tex:5 `\\begin{table}` is not closed before the next heading."
        ]);
        assert.deepEqual(manuscript.missing.map((file) => `${file.target}:${file.from.line}`), ["results:8"]);
        assert.deepEqual(titles(manuscript), ["1 Data [sec:data]", "2 Results [sec:results]"]);
        assert.deepEqual(manuscript.references.map((reference) => reference.name), ["sec:data"]);
    } finally {
        await remove();
    }
});

test("an unclosed { is reported where it is, and the text after it still counts", async () => {
    const manuscript = await buildManuscript(main, memoryReader({
        "main.tex": article([
            "\\section{One}\\label{sec:one}", // line 3
            "Text with { an unclosed brace.",
            "",
            "\\section{Two}\\label{sec:two}",
            "See \\ref{sec:one} and \\cite{key}."
        ].join("\n"))
    }));
    assert.deepEqual(problems(manuscript), ["main.tex:4 This `{` is never closed; it is read as a plain character."]);
    assert.deepEqual(titles(manuscript), ["1 One [sec:one]", "2 Two [sec:two]"]);
    assert.deepEqual(manuscript.references.map((reference) => `${reference.name}:${reference.at.line}`), ["sec:one:7"]);
    assert.deepEqual(manuscript.citations.map((citation) => `${citation.key}:${citation.at.line}`), ["key:7"]);
    assert.equal(allSections(manuscript)[0]!.body[0]!.text, "\\label{sec:one}\nText with { an unclosed brace.");
});

test("a } that closes nothing is reported; headings around it still count", async () => {
    const manuscript = await buildManuscript(main, memoryReader({
        "main.tex": article("\\section{One}\nA stray } here.\n\\section{Two}\\label{sec:two}")
    }));
    assert.deepEqual(problems(manuscript), ["main.tex:4 This `}` closes nothing; it is read as a plain character."]);
    assert.deepEqual(titles(manuscript), ["1 One", "2 Two [sec:two]"]);
});

test("an environment never closed is reported at its \\begin; the next heading ends it, the rest still counts", async () => {
    const manuscript = await buildManuscript(main, memoryReader({
        "main.tex": article([
            "\\section{A}", // line 3
            "\\begin{figure}",
            "\\caption{Never closed}",
            "\\label{fig:lost}",
            "\\section{B}\\label{sec:b}",
            "\\begin{equation} x = 1 \\label{eq:x} \\end{equation}",
            "\\end{table}",
            "\\begin{equation} y \\end{align}",
            "\\begin{itemize}"
        ].join("\n"))
    }));
    assert.deepEqual(problems(manuscript), [
        "main.tex:4 `\\begin{figure}` is not closed before the next heading.",
        "main.tex:9 `\\end{table}` has no `\\begin{table}`.",
        "main.tex:10 `\\end{align}` has no `\\begin{align}`.",
        "main.tex:11 `\\begin{itemize}` is never closed (`\\end{document}` comes first).",
        "main.tex:10 `\\begin{equation}` is never closed (`\\end{document}` comes first)."
    ]);
    assert.deepEqual(titles(manuscript), ["1 A", "2 B [sec:b]"]);
    assert.deepEqual(manuscript.floats, []);
    assert.deepEqual(manuscript.equations.map((equation) => `${equation.label} ${equation.tex} ${equation.at.startLine}-${equation.at.endLine}`), ["eq:x x = 1 \\label{eq:x} 8-8"]);
    assert.deepEqual(manuscript.labels.map((label) => label.name), ["fig:lost", "sec:b", "eq:x"]);
});

test("\\iffalse … \\fi is skipped with nested conditionals; \\else ends the skip; an unclosed one skips the rest", async () => {
    const manuscript = await buildManuscript(main, memoryReader({
        "main.tex": article([
            "\\iffalse", // line 3
            "\\section{Hidden}\\label{sec:hidden} \\cite{hidden}",
            "\\ifdraft nested \\fi",
            "\\else",
            "\\section{Shown}\\label{sec:shown}",
            "\\fi",
            "Text % with a comment",
            "\\iffalse never closed",
            "\\section{Lost}"
        ].join("\n"))
    }));
    assert.deepEqual(titles(manuscript), ["1 Shown [sec:shown]"]);
    assert.deepEqual(manuscript.citations, []);
    assert.deepEqual(problems(manuscript), [
        "main.tex:10 `\\iffalse` has no matching `\\fi`: the rest of the file is skipped.",
        "main.tex:2 `\\begin{document}` is never closed." // its \\end is skipped too
    ]);
    assert.deepEqual(allSections(manuscript)[0]!.body.map((text) => text.text), ["\\label{sec:shown}\n\\fi\nText"]);
});

test("binary, oversized, folder and missing inputs are skipped with the reason; the rest is read", async () => {
    const {dir, remove} = await makeTempDir("manuscript");
    try {
        await writeFile(path.join(dir, "main.tex"), article([
            "\\section{Start}", // line 3
            "\\input{binary}",
            "\\input{big}",
            "\\input{nothere}",
            "\\input{folder}",
            "\\include{chapters/good}",
            "\\bibliography{refs,absent}"
        ].join("\n")));
        await writeFile(path.join(dir, "binary.tex"), Buffer.from([0x5c, 0x73, 0x00, 0x01, 0x89, 0x50, 0x4e, 0x47]));
        await writeFile(path.join(dir, "big.tex"), "x".repeat(5 * 1024 * 1024 + 100));
        await mkdir(path.join(dir, "folder.tex"));
        await mkdir(path.join(dir, "chapters"));
        await writeFile(path.join(dir, "chapters", "good.tex"), "\\subsection{Good}\\label{sec:good}\nGood text.\n");
        await writeFile(path.join(dir, "refs.bib"), "@article{ok, title={Fine}, year=2020}\n\n@article{broken, title={Unclosed, year=2021\n\n@book{after, title={After}, year = 2022}\n");
        const manuscript = await buildManuscript(path.join(dir, "main.tex"), diskSourceReader());
        assert.deepEqual(problems(manuscript).slice(0, 2), [
            "main.tex:4 Skipped binary: it is a binary file (it contains NUL bytes), not LaTeX",
            "main.tex:5 Skipped big: it is 5.0 MB, more than the 5 MB a source file may have"
        ]);
        assert.equal(manuscript.problems.length, 3);
        assert.match(problems(manuscript)[2]!, /^refs\.bib:3 This entry could not be read \(.+\); only its key is kept\.$/);
        assert.deepEqual(manuscript.missing.map(({target, command, from, tried}) => ({target, command, line: from.line, tried: tried.map((file) => path.relative(dir, file))})), [
            {target: "nothere", command: "input", line: 6, tried: ["nothere.tex", "nothere"]},
            {target: "folder", command: "input", line: 7, tried: ["folder.tex", "folder"]},
            {target: "absent", command: "bibliography", line: 9, tried: ["absent.bib"]}
        ]);
        assert.deepEqual(titles(manuscript), ["1 Start", "1.1 Good [sec:good]"]);
        assert.deepEqual(manuscript.files.map((file) => path.relative(dir, file.path)), ["main.tex", path.join("chapters", "good.tex")]);
        assert.deepEqual(manuscript.bibEntries.map((entry) => `${entry.key}:${entry.at.line}:${entry.title ?? "-"}`), ["ok:1:Fine", "broken:3:-", "after:5:After"]);
        assert.deepEqual(manuscript.bibFiles.map((file) => [path.basename(file.path), file.found]), [["refs.bib", true], ["absent.bib", false]]);
    } finally {
        await remove();
    }
});

test("a root that is binary gives a manuscript with the reason; a missing root rejects", async () => {
    const binary = await buildManuscript(main, memoryReader({"main.tex": "\u0000\u0001PNG"}));
    assert.deepEqual(problems(binary), ["main.tex:1 Skipped main.tex: it is a binary file (it contains NUL bytes), not LaTeX"]);
    assert.deepEqual(binary.sections, []);
    await assert.rejects(buildManuscript(main, memoryReader({})), /main\.tex could not be found/);
});

test("a file that inputs itself is read once, with a problem", async () => {
    const manuscript = await buildManuscript(main, memoryReader({
        "main.tex": article("\\section{A}\n\\input{part}"),
        "part.tex": "\\subsection{B}\n\\input{main}\n"
    }));
    assert.deepEqual(titles(manuscript), ["1 A", "1.1 B"]);
    assert.deepEqual(problems(manuscript), [`part.tex:2 \`\\input{main}\` would read ${main} inside itself; it is read once.`]);
});

test("display math left open, a brace in \\verb, a % in \\url: reported or read as written", async () => {
    const manuscript = await buildManuscript(main, memoryReader({
        "main.tex": article([
            "\\section{A}", // line 3
            "\\[ x = 1",
            "",
            "\\verb|{| and \\url{https://example.org/a%20b} \\label{sec:a}",
            "\\section{B}"
        ].join("\n"))
    }));
    assert.deepEqual(problems(manuscript), ["main.tex:4 Display math is not closed before the paragraph ends."]);
    assert.deepEqual(titles(manuscript), ["1 A [sec:a]", "2 B"]);
    assert.equal(allSections(manuscript)[0]!.body[0]!.text, "\\[ x = 1\n\n\\verb|{| and \\url{https://example.org/a%20b} \\label{sec:a}");
});

test("comments are removed from text; \\% stays; comment-only lines go whole", async () => {
    const manuscript = await buildManuscript(main, memoryReader({
        "main.tex": article("\\section{A}\nKept 50\\% % removed\n% a whole comment line\nNext line.")
    }));
    const [text] = allSections(manuscript)[0]!.body;
    assert.deepEqual(text, {file: main, startLine: 4, endLine: 6, text: "Kept 50\\% \nNext line."});
});

test("editors' unsaved text stands in for the file on disk", async () => {
    const {dir, remove} = await makeTempDir("manuscript");
    try {
        const file = path.join(dir, "main.tex");
        await writeFile(file, article("\\section{On disk}"));
        await writeFile(path.join(dir, "part.tex"), "\\section{Part on disk}");
        const manuscript = await buildManuscript(file, diskSourceReader({[file]: article("\\section{In the editor}\n\\input{part}"), [path.join(dir, "part.tex")]: "\\section{Part in the editor}"}));
        assert.deepEqual(titles(manuscript), ["1 In the editor", "2 Part in the editor"]);
    } finally {
        await remove();
    }
});

test("an aborted build rejects", async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(buildManuscript(main, memoryReader({"main.tex": article("\\section{A}")}), {signal: controller.signal}), {name: "AbortError"});
});

test("\\input falls back to the including file's folder; \\import and \\subimport set the folder their files read from", async () => {
    const manuscript = await buildManuscript(main, memoryReader({
        "main.tex": article("\\input{chapters/one}\n\\import{appendix/}{extra}"),
        "chapters/one.tex": "\\section{One}\n\\input{two}\n\\subimport{sub/}{part}\n",
        "chapters/two.tex": "\\subsection{Two}\n",
        "chapters/sub/part.tex": "\\subsection{Part}\n\\input{leaf}\n",
        "chapters/sub/leaf.tex": "\\subsubsection{Leaf}\n",
        "appendix/extra.tex": "\\section{Extra}\n\\input{more}\n",
        "appendix/more.tex": "\\subsection{More}\n"
    }));
    assert.deepEqual(titles(manuscript), ["1 One", "1.1 Two", "1.2 Part", "1.2.1 Leaf", "2 Extra", "2.1 More"]);
    assert.deepEqual(manuscript.files.map((file) => path.relative(folder, file.path)), [
        "main.tex", "chapters/one.tex", "chapters/two.tex", "chapters/sub/part.tex", "chapters/sub/leaf.tex", "appendix/extra.tex", "appendix/more.tex"
    ].map((file) => file.split("/").join(path.sep)));
    assert.deepEqual(manuscript.missing, []);
});

test("commands named like JavaScript's object properties are ordinary unknown commands", async () => {
    const manuscript = await buildManuscript(main, memoryReader({
        "main.tex": article("\\section{A \\constructor{b} \\toString}\n\\hasOwnProperty{x} \\__proto__ \\valueOf[y]{z}")
    }));
    assert.deepEqual(titles(manuscript), ["1 A \\constructor{b} \\toString"]);
    assert.deepEqual(manuscript.problems, []);
    assert.equal(allSections(manuscript)[0]!.body[0]!.text, "\\hasOwnProperty{x} \\__proto__ \\valueOf[y]{z}");
});

test("a \\subfile's own preamble and \\end{document} are not part of the manuscript", async () => {
    const manuscript = await buildManuscript(main, memoryReader({
        "main.tex": article("\\section{Main}\n\\subfile{chapter}\n\\section{After}"),
        "chapter.tex": "\\documentclass[main.tex]{subfiles}\n\\newcommand{\\local}{x}\n\\title{Not the title}\n\\begin{document}\n\\subsection{In the subfile}\nIts text.\n\\end{document}\nNever read.\n"
    }));
    assert.deepEqual(titles(manuscript), ["1 Main", "1.1 In the subfile", "2 After"]);
    assert.deepEqual(allSections(manuscript)[1]!.body.map((text) => `${path.basename(text.file)}:${text.startLine} ${text.text}`), ["chapter.tex:6 Its text."]);
    assert.equal(manuscript.title, undefined);
    assert.deepEqual(manuscript.macros.map((macro) => macro.name), ["local"]);
    assert.deepEqual(manuscript.problems, []);
});

test("equations in every form, with their labels, and floats of every kind with their captions", async () => {
    const manuscript = await buildManuscript(main, memoryReader({
        "main.tex": article([
            "\\section{Math}", // line 3
            "\\begin{equation}\\label{eq:one} a = b \\end{equation}",
            "\\begin{align*}",
            "  x &= y \\\\",
            "  \\begin{aligned} u &= v \\end{aligned}",
            "\\end{align*}",
            "\\begin{eqnarray} p &=& q \\label{eq:three} \\end{eqnarray}",
            "\\begin{gather} g \\end{gather} \\begin{multline*} m \\end{multline*}",
            "\\[ E = mc^2 \\]",
            "$$ F = ma $$ and inline $x$ math",
            "\\begin{figure*}\\centering",
            "  \\begin{subfigure}{0.5\\linewidth}\\caption{Left part}\\label{fig:left}\\end{subfigure}",
            "  \\caption{The whole \\textbf{figure}, see \\ref{eq:one}.}\\label{fig:whole}",
            "\\end{figure*}",
            "\\begin{deluxetable}{cc}\\tablecaption{A table\\label{tab:d}}\\end{deluxetable}",
            "\\begin{table*}\\begin{subtable}{1em}\\caption{Only a sub-caption}\\end{subtable}\\end{table*}",
            "\\abstract{Given as a command.}"
        ].join("\n"))
    }));
    assert.deepEqual(manuscript.equations.map((equation) => `${equation.environment}|${equation.label ?? "-"}|${equation.tex}|${equation.at.startLine}-${equation.at.endLine}`), [
        "equation|eq:one|\\label{eq:one} a = b|4-4",
        "align*|-|x &= y \\\\\n  \\begin{aligned} u &= v \\end{aligned}|5-8",
        "eqnarray|eq:three|p &=& q \\label{eq:three}|9-9",
        "gather|-|g|10-10",
        "multline*|-|m|10-10",
        "display|-|E = mc^2|11-11",
        "display|-|F = ma|12-12"
    ]);
    assert.deepEqual(manuscript.floats.map((float) => `${float.kind}|${float.environment}|${float.label ?? "-"}|${float.caption}|${float.at.startLine}-${float.at.endLine}`), [
        "figure|figure*|fig:whole|The whole figure, see \\ref{eq:one}.|13-16",
        "table|deluxetable|tab:d|A table|17-17",
        "table|table*|-|Only a sub-caption|18-18"
    ]);
    assert.deepEqual(manuscript.references.map((reference) => reference.name), ["eq:one"]);
    assert.deepEqual(manuscript.abstract, {file: main, startLine: 19, endLine: 19, text: "Given as a command."});
    assert.deepEqual(manuscript.problems, []);
});
