// Deterministic review checks on the real manuscripts of test/fixtures/latex/ and
// on a small one written for the test. Expected values come from the sources,
// read here with plain regular expressions (not the manuscript model), or were
// checked by reading the sources and are written out.
import assert from "node:assert/strict";
import {readdirSync, readFileSync} from "node:fs";
import {writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, test} from "node:test";
import {buildManuscript} from "../../src/latex/buildManuscript.ts";
import type {Manuscript} from "../../src/latex/Manuscript.ts";
import {diskSourceReader} from "../../src/latex/SourceReader.ts";
import {deterministicChecks} from "../../src/review/deterministicChecks.ts";
import type {Finding} from "../../src/review/Finding.ts";
import {makeTempDir} from "../support/tempDir.ts";

const fixtures = path.resolve("test/fixtures/latex");

function readText(file: string): string | undefined {
    try {
        return readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

async function check(root: string): Promise<{manuscript: Manuscript; findings: Finding[]}> {
    const manuscript = await buildManuscript(path.resolve(fixtures, root), diskSourceReader());
    return {manuscript, findings: deterministicChecks(manuscript, readText)};
}

// ---- The sources read with regular expressions ----

/** The text LaTeX reads: comments and `\iffalse … \fi` blocks blanked, lines kept. */
function visible(text: string): string {
    return text
        .replace(/(^|[^\\])%[^\n]*/g, "$1")
        .replace(/\\iffalse\b[\s\S]*?\\fi\b/g, (block) => block.replace(/[^\n]/g, " "));
}

/** The root and the files it inputs that exist, followed by regular expression in reading order. */
function inputsOf(root: string): string[] {
    const files = [root];
    const text = visible(readFileSync(root, "utf8"));
    for (const match of text.matchAll(/\\(?:input|include)\s*\{([^}]+)\}/g)) {
        const target = path.resolve(path.dirname(root), match[1]!.endsWith(".tex") ? match[1]! : `${match[1]!}.tex`);
        if (readText(target) != null)
            files.push(...inputsOf(target));
    }
    return files;
}

type Place = {name: string; file: string; line: number};

function matchesIn(files: readonly string[], pattern: RegExp, names: (match: RegExpExecArray) => string[]): Place[] {
    const places: Place[] = [];
    for (const file of files) {
        const text = visible(readFileSync(file, "utf8"));
        for (const match of text.matchAll(pattern))
            for (const name of names(match as RegExpExecArray))
                places.push({name, file, line: text.slice(0, match.index).split("\n").length});
    }
    return places;
}

const REFERENCE = /\\(?:ref|eqref|autoref|cref|Cref|pageref|figref|tabref|secref|appref|eqnref)\*?\s*\{([^}#]*)\}/g;
const LABEL = /\\label\s*\{([^}#]*)\}/g;
const CITE = /\\(?:cite|citep|citet|citealt|citealp|citeauthor|citeyear|nocite)\*?\s*(?:\[[^\]]*\]\s*){0,2}\{([^}]*)\}/g;

function citedKeys(files: readonly string[]): string[] {
    return matchesIn(files, CITE, (match) => match[1]!.split(",").map((key) => key.trim()).filter((key) => key !== "" && key !== "*")).map((place) => place.name);
}

function bibKeys(bib: string): Set<string> {
    return new Set([...readFileSync(bib, "utf8").matchAll(/^\s*@\s*(\w+)\s*\{\s*([^,\s]+)\s*,/gm)]
        .filter((match) => !/^(string|comment|preamble)$/i.test(match[1]!)).map((match) => match[2]!));
}

/** Figure and table environments: their labels and where they begin. */
function floatsIn(files: readonly string[]): {environment: string; file: string; line: number; labels: string[]}[] {
    const floats = [];
    for (const file of files) {
        const text = visible(readFileSync(file, "utf8"));
        for (const match of text.matchAll(/\\begin\{((?:figure|table|deluxetable|splitdeluxetable)\*?)\}([\s\S]*?)\\end\{\1\}/g))
            floats.push({environment: match[1]!, file, line: text.slice(0, match.index).split("\n").length, labels: [...match[2]!.matchAll(LABEL)].map((label) => label[1]!)});
    }
    return floats;
}

/** Labels on a sectioning command's line or the next, or named like a section's. */
function isSectionLabel(label: Place): boolean {
    if (/^(sec|ssec|sssec|subsec|sect|section|app)[:_.-]/.test(label.name))
        return true;
    const lines = readFileSync(label.file, "utf8").split("\n");
    return [lines[label.line - 1], lines[label.line - 2]].some((line) => /\\(sub)*section\*?\s*[{[]/.test(line ?? ""));
}

function unique<T>(values: readonly T[]): T[] {
    return [...new Set(values)];
}

// ---- What the findings say ----

function kind(finding: Finding): string {
    if (finding.comment.includes("has no entry"))
        return "missing key";
    if (finding.comment.includes("cannot be checked"))
        return "bib missing";
    if (finding.comment.includes("no \\label"))
        return "undefined ref";
    if (finding.comment.includes("defined again"))
        return "duplicate";
    if (finding.comment.startsWith("The text never refers") || finding.comment.includes("has no \\label"))
        return "unreferenced float";
    if (finding.comment.startsWith("Nothing refers"))
        return "unreferenced label";
    return "?";
}

/** The label or key a finding names: the last brace argument of its quote. */
function subject(finding: Finding): string {
    return /\{([^{}]*)\}$/.exec(finding.quote)?.[1] ?? finding.quote;
}

function ofKind(findings: readonly Finding[], wanted: string): Finding[] {
    return findings.filter((finding) => kind(finding) === wanted);
}

/** What every finding must be, whatever the manuscript. */
function assertWellFormed(manuscript: Manuscript, findings: readonly Finding[]): void {
    findings.forEach((finding, index) => {
        assert.equal(finding.id, `check-${index + 1}`);
        assert.equal(finding.source, "check");
        assert.equal(finding.category, "references");
        assert.notEqual(kind(finding), "?", finding.comment);
        assert.ok(finding.range != null, `${finding.id} has a range`);
        const text = readFileSync(finding.range.file, "utf8");
        assert.equal(text.slice(finding.range.start, finding.range.end), finding.quote);
        assert.equal(text.slice(0, finding.range.start).split("\n").length, finding.range.startLine);
        assert.equal(text.slice(0, finding.range.end).split("\n").length, finding.range.endLine);
        assert.ok(finding.section !== "", finding.id);
        assert.ok(manuscript.files.some((file) => file.path === finding.sectionAt.file), finding.id);
    });
}

describe("deterministic checks on the real manuscripts", () => {
    test("Rubin DP1: six of its seven .bib files are absent, so one finding says so and no key is checked; no other problem", async () => {
        const {manuscript, findings} = await check("rubin-dp1-rtn095/RTN-095.tex");
        assertWellFormed(manuscript, findings);
        const folder = path.join(fixtures, "rubin-dp1-rtn095");
        const files = inputsOf(path.join(folder, "RTN-095.tex"));
        // Four .tex files of the folder are never inputted (one only in a comment); authors.tex is absent.
        assert.equal(readdirSync(folder).filter((name) => name.endsWith(".tex")).length, 26);
        assert.equal(files.length, 22);
        // From the sources: every reference names a label, every float is referred to,
        // and the only unreferenced labels are sections'.
        const labels = new Set(matchesIn(files, LABEL, (match) => [match[1]!]).map((place) => place.name));
        const references = matchesIn(files, REFERENCE, (match) => [match[1]!]);
        assert.ok(references.length > 150);
        assert.deepEqual(references.filter((reference) => !labels.has(reference.name)), []);
        const referenced = new Set(references.map((reference) => reference.name));
        const floats = floatsIn(files);
        assert.equal(floats.length, 50);
        assert.deepEqual(floats.filter((float) => !float.labels.some((label) => referenced.has(label))), []);
        assert.deepEqual(matchesIn(files, LABEL, (match) => [match[1]!]).filter((label) => !referenced.has(label.name) && !isSectionLabel(label)), []);

        const bibliographyLine = readFileSync(path.join(folder, "RTN-095.tex"), "utf8").split("\n").findIndex((line) => line.startsWith("\\bibliography{")) + 1;
        assert.deepEqual(findings.map((finding) => ({...finding, comment: ""})), [{
            id: "check-1", source: "check", category: "references", severity: "minor", comment: "",
            quote: "\\bibliography{local,lsst,ivoa,lsst-dm,refs_ads,refs,books}",
            section: "Back matter", sectionAt: {file: path.join(folder, "RTN-095.tex"), line: 1},
            range: {
                file: path.join(folder, "RTN-095.tex"), startLine: bibliographyLine, endLine: bibliographyLine,
                start: readFileSync(path.join(folder, "RTN-095.tex"), "utf8").indexOf("\\bibliography{"),
                end: readFileSync(path.join(folder, "RTN-095.tex"), "utf8").indexOf("\\bibliography{") + "\\bibliography{local,lsst,ivoa,lsst-dm,refs_ads,refs,books}".length
            }
        }]);
        assert.equal(findings[0]!.comment, "lsst.bib, ivoa.bib, lsst-dm.bib, refs_ads.bib, refs.bib and books.bib were not found, so the 176 citations " +
            "cannot be checked against the bibliography (local.bib was read). Put the missing .bib files next to RTN-095.tex or fix their names to check every \\cite key.");
        // Many keys are not in local.bib, which alone would give a finding each.
        const local = bibKeys(path.join(folder, "local.bib"));
        assert.ok(citedKeys(files).filter((key) => !local.has(key)).length > 100);
    });

    for (const [name, root, bib] of [
        ["AAS sample 6.3.1", "aas-sample631/sample/sample631.tex", "aas-sample631/sample/sample631.bib"],
        ["Farr's normal-normal note", "farr-normalnormal/src/tex/ms.tex", "farr-normalnormal/src/tex/bib.bib"],
        ["LEGWORK", "legwork-paper/src/tex/ms.tex", "legwork-paper/src/tex/bib.bib"],
        ["3I/ATLAS", "3i-atlas-discovery/src/tex/ms.tex", "3i-atlas-discovery/src/tex/bib.bib"]
    ] as const) {
        test(`${name}: missing keys, undefined and unreferenced labels, unreferenced floats, as the source has them`, async () => {
            const {manuscript, findings} = await check(root);
            assertWellFormed(manuscript, findings);
            const files = [path.join(fixtures, root)];
            const keys = bibKeys(path.join(fixtures, bib));
            const cited = citedKeys(files);
            assert.ok(cited.length > 5 && keys.size > 5);
            assert.deepEqual(ofKind(findings, "missing key").map((finding) => finding.comment.split(" ")[2]), cited.filter((key) => !keys.has(key)));

            const labels = matchesIn(files, LABEL, (match) => [match[1]!]);
            const references = matchesIn(files, REFERENCE, (match) => [match[1]!]);
            const defined = new Set(labels.map((label) => label.name));
            const referenced = new Set(references.map((reference) => reference.name));
            assert.deepEqual(ofKind(findings, "undefined ref").map(subject), references.filter((reference) => !defined.has(reference.name)).map((reference) => reference.name));
            assert.deepEqual(ofKind(findings, "duplicate").map(subject), labels.filter((label, index) => labels.findIndex((other) => other.name === label.name) < index).map((label) => label.name));

            const floats = floatsIn(files);
            const unreferencedFloats = floats.filter((float) => !float.labels.some((label) => referenced.has(label)));
            assert.deepEqual(ofKind(findings, "unreferenced float").map((finding) => finding.range!.startLine),
                unreferencedFloats.map((float) => float.labels.length === 0 ? float.line : labels.find((label) => label.name === float.labels[0])!.line));
            const floatLabels = new Set(floats.flatMap((float) => float.labels));
            assert.deepEqual(ofKind(findings, "unreferenced label").map(subject),
                unique(labels.filter((label) => !referenced.has(label.name) && !floatLabels.has(label.name) && !isSectionLabel(label)).map((label) => label.name)));
        });
    }

    test("the figures above, written out after reading the sources", async () => {
        const summary = async (root: string) => {
            const {findings} = await check(root);
            const lines = (wanted: string) => ofKind(findings, wanted).map((finding) => `${subject(finding)}:${finding.range!.startLine}`);
            return {missingKeys: ofKind(findings, "missing key").map((finding) => finding.comment.split(" ")[2]), undefinedRefs: lines("undefined ref"),
                duplicates: lines("duplicate"), floats: lines("unreferenced float"), labels: lines("unreferenced label")};
        };
        const none = {missingKeys: [], undefinedRefs: [], duplicates: [], floats: []};
        assert.deepEqual(await summary("aas-sample631/sample/sample631.tex"), {...none, floats: ["tab:deluxesplit:709", "fig:fig4:929"], labels: []});
        assert.deepEqual(await summary("farr-normalnormal/src/tex/ms.tex"), {...none, labels: ["eq:mu-hat:103"]});
        assert.deepEqual(await summary("legwork-paper/src/tex/ms.tex"), {
            ...none, floats: ["fig:verification_binaries_on_sc:739"],
            labels: ["eq:kepler3rd:188", "eq:beta_peters:230", "eq:t_merge_circular:240", "eq:dedt:252", "eq:edot_peters:296", "eq:strain:335", "eq:amp_mod:346",
                "eq:response_fplus:355", "eq:response_fcross:364", "eq:d_plus_cross:371", "eq:d_cross:378", "eq:d_plus:385", "eq:averaged_antenna_simp:498",
                "eq:snr_chirp_circ:574", "eq:snr_stat_ecc:585", "eq:snr_stat_circ:590"]
        });
        assert.deepEqual(await summary("3i-atlas-discovery/src/tex/ms.tex"), {...none, missingKeys: ["lin2020"], labels: []});
        const {findings} = await check("3i-atlas-discovery/src/tex/ms.tex");
        assert.match(findings[0]!.comment, /it has Lin2020: keys must match in case/);
        assert.equal(findings[0]!.section, "§1 Introduction");
    });

    test("celerite: references and labels through the paper's macros (\\eq, \\sect, \\Figure, \\eqlabel, \\sectlabel…)", async () => {
        const {manuscript, findings} = await check("dfm-celerite-paper/paper/ms.tex");
        assertWellFormed(manuscript, findings);
        const paper = path.join(fixtures, "dfm-celerite-paper/paper");
        const files = [
            "ms.tex", "figures/examples-macros.tex", "figures/rotation/rotation.tex", "figures/simulated/correct-params.tex", "figures/simulated/wrong-qpo-params.tex",
            "figures/rotation/rotation-params.tex", "figures/astero/astero-params.tex", "figures/transit/transit-params-edited.tex", "figures/example-stats.tex"
        ].map((file) => path.join(paper, file));
        // ms.tex lines 94-114: each macro and the label prefix it adds (\eqref is redefined to add "eq:").
        const prefixes: Record<string, string> = {
            label: "", ref: "", eqlabel: "eq:", figurelabel: "fig:", tablelabel: "tab:", sectlabel: "sect:",
            eqref: "eq:", Eq: "eq:", eq: "eq:", eqalt: "eq:", figureref: "fig:", Figure: "fig:", Table: "tab:",
            sectref: "sect:", Sect: "sect:", sect: "sect:", sectalt: "sect:", App: "sect:", app: "sect:"
        };
        const named = (macros: string[]) => matchesIn(files, new RegExp(String.raw`\\(${macros.join("|")})\s*\{([^}#]*)\}`, "g"), (match) => [`${prefixes[match[1]!]}${match[2]!}`]);
        const labels = named(["label", "eqlabel", "figurelabel", "tablelabel", "sectlabel"]);
        const references = named(["ref", "eqref", "Eq", "eq", "eqalt", "figureref", "Figure", "Table", "sectref", "Sect", "sect", "sectalt", "App", "app"]);
        assert.ok(labels.length > 60 && references.length > 130);
        const defined = new Set(labels.map((label) => label.name));
        const referenced = new Set(references.map((reference) => reference.name));
        assert.deepEqual(references.filter((reference) => !defined.has(reference.name)), []);
        const unreferenced = labels.filter((label) => !referenced.has(label.name)).map((label) => label.name);
        assert.deepEqual(unreferenced, ["sect:gps", "eq:kernel-simple", "eq:approx-matern", "eq:cholesky-factor", "sect:example1"]);
        // Section labels are left alone; the three equations are suggestions, quoted as written.
        assert.deepEqual(findings.map((finding) => [finding.id, finding.severity, finding.quote, finding.range!.startLine, finding.section]), [
            ["check-1", "suggestion", "\\eqlabel{kernel-simple}", 416, "§3 The celerite model"],
            ["check-2", "suggestion", "\\eqlabel{approx-matern}", 637, "§4 celerite as a model of stellar variations"],
            ["check-3", "suggestion", "\\eqlabel{cholesky-factor}", 903, "§5.2 Scalable computation of celerite models"]
        ]);
        const keys = bibKeys(path.join(paper, "celerite.bib"));
        assert.deepEqual(citedKeys(files).filter((key) => !keys.has(key)), []);
    });
});

describe("deterministic checks on a manuscript written for the test", () => {
    const main = [
        "\\documentclass{aastex631}",                                   // 1
        "\\newcommand{\\secref}[1]{Section~\\ref{#1}}",                  // 2
        "\\begin{document}",                                            // 3
        "\\title{A test}",                                              // 4
        "\\section{Data}\\label{sec:data}",                              // 5
        "We use the photometry of \\citet{Smith2020} and",               // 6
        "\\citep[e.g.,][]{Jones2019,",                                  // 7
        "  Doe2021} (see Figure~\\ref{fig:map} and Equation~\\ref{eq:flux}).", // 8
        "% A commented \\ref{fig:nowhere} and \\cite{Nobody} do not count.", // 9
        "\\input{method}",                                              // 10
        "\\begin{figure}",                                              // 11
        "\\plotone{map.pdf}",                                           // 12
        "\\caption{The map.}\\label{fig:map}",                           // 13
        "\\end{figure}",                                                // 14
        "\\bibliography{refs}",                                         // 15
        "\\end{document}",                                              // 16
        ""
    ].join("\n");
    const method = [
        "\\section{Method}\\label{sec:method}",                          // 1
        "The flux is",                                                  // 2
        "\\begin{equation}",                                            // 3
        "F = \\int f_\\nu \\, d\\nu \\label{eq:flux}",                     // 4
        "\\end{equation}",                                              // 5
        "as in \\secref{sec:data} and \\secref{sec:results}.",           // 6
        "\\begin{figure}",                                              // 7
        "\\plotone{sed.pdf}",                                           // 8
        "\\caption{The SED.}\\label{fig:sed}",                           // 9
        "\\end{figure}",                                                // 10
        "\\begin{equation}\\label{eq:flux}",                             // 11
        "L = 4\\pi d^2 F",                                              // 12
        "\\end{equation}",                                              // 13
        ""
    ].join("\n");
    const refs = "@article{Smith2020,\n  title = {A}\n}\n@article{Jones2019,\n  title = {B}\n}\n";

    test("each problem once: a missing key, an undefined reference, an unreferenced figure, a duplicate label", async () => {
        const {dir, remove} = await makeTempDir("review-checks");
        try {
            await writeFile(path.join(dir, "main.tex"), main);
            await writeFile(path.join(dir, "method.tex"), method);
            await writeFile(path.join(dir, "refs.bib"), refs);
            const manuscript = await buildManuscript(path.join(dir, "main.tex"), diskSourceReader());
            const findings = deterministicChecks(manuscript, readText);
            assertWellFormed(manuscript, findings);
            const mainFile = path.join(dir, "main.tex");
            const methodFile = path.join(dir, "method.tex");
            const at = (file: string, text: string, quote: string) => {
                const start = text.indexOf(quote);
                assert.ok(start >= 0, quote);
                const line = text.slice(0, start).split("\n").length;
                return {file, start, end: start + quote.length, startLine: line, endLine: line + quote.split("\n").length - 1};
            };
            const data = {section: "§1 Data", sectionAt: {file: mainFile, line: 5}};
            const methodSection = {section: "§2 Method", sectionAt: {file: methodFile, line: 1}};
            assert.deepEqual(findings, [{
                id: "check-1", source: "check", category: "references", severity: "major", ...data,
                quote: "\\citep[e.g.,][]{Jones2019,\n  Doe2021}",
                comment: "The key Doe2021 has no entry in refs.bib, so the citation prints as \"?\"; fix the key or add the entry.",
                range: at(mainFile, main, "\\citep[e.g.,][]{Jones2019,\n  Doe2021}")
            }, {
                id: "check-2", source: "check", category: "references", severity: "major", ...methodSection,
                quote: "\\secref{sec:results}",
                comment: "\\secref{sec:results} names no \\label, so it prints as \"??\"; check the label or add it.",
                range: at(methodFile, method, "\\secref{sec:results}")
            }, {
                id: "check-3", source: "check", category: "references", severity: "minor", ...methodSection,
                quote: "\\label{fig:sed}",
                comment: "The text never refers to this figure (fig:sed); refer to it where its content is discussed (Figure~\\ref{fig:sed}), or drop it if it is not needed.",
                range: at(methodFile, method, "\\label{fig:sed}")
            }, {
                id: "check-4", source: "check", category: "references", severity: "major", ...methodSection,
                quote: "\\label{eq:flux}",
                comment: `The label eq:flux is defined again here (first at method.tex:4); LaTeX warns "multiply defined" and every reference to it goes to one of them. Rename one.`,
                range: {file: methodFile, start: method.lastIndexOf("\\label{eq:flux}"), end: method.lastIndexOf("\\label{eq:flux}") + "\\label{eq:flux}".length, startLine: 11, endLine: 11}
            }]);
        } finally {
            await remove();
        }
    });

    test("the text given, not the file on disk, places the findings (an editor's unsaved text)", async () => {
        const {dir, remove} = await makeTempDir("review-checks");
        try {
            await writeFile(path.join(dir, "main.tex"), main);
            await writeFile(path.join(dir, "method.tex"), method);
            await writeFile(path.join(dir, "refs.bib"), refs);
            // Unsaved: two spaces before the reference on its line.
            const edited = method.replace("as in \\secref{sec:data} and \\secref{sec:results}.", "as in \\secref{sec:data} and  \\secref{sec:results}.");
            const methodFile = path.join(dir, "method.tex");
            const manuscript = await buildManuscript(path.join(dir, "main.tex"), diskSourceReader({[methodFile]: edited}));
            const findings = deterministicChecks(manuscript, (file) => file === methodFile ? edited : readText(file));
            const undefinedRef = findings.find((finding) => finding.quote === "\\secref{sec:results}")!;
            assert.equal(undefinedRef.range!.start, edited.indexOf("\\secref{sec:results}"));
            assert.notEqual(undefinedRef.range!.start, method.indexOf("\\secref{sec:results}"));
        } finally {
            await remove();
        }
    });

    test("a .bib file that is missing: one finding at \\bibliography, no key is checked; an unlabelled figure; two same references on a line", async () => {
        const {dir, remove} = await makeTempDir("review-checks");
        try {
            const text = [
                "\\documentclass{article}",
                "\\begin{document}",
                "\\section{Results}",
                "As \\cite{Smith2020} and \\cite{Ghost2001} show, \\ref{eq:a} and \\ref{eq:a} agree.",
                "\\begin{figure}\\caption{No label.}\\end{figure}",
                "\\bibliography{refs,extra}",
                "\\end{document}",
                ""
            ].join("\n");
            await writeFile(path.join(dir, "paper.tex"), text);
            await writeFile(path.join(dir, "refs.bib"), refs);
            const manuscript = await buildManuscript(path.join(dir, "paper.tex"), diskSourceReader());
            const findings = deterministicChecks(manuscript, readText);
            assertWellFormed(manuscript, findings);
            assert.deepEqual(findings.map((finding) => [finding.severity, finding.quote, finding.range!.start, finding.section]), [
                ["major", "\\ref{eq:a}", text.indexOf("\\ref{eq:a}"), "§1 Results"],
                ["major", "\\ref{eq:a}", text.lastIndexOf("\\ref{eq:a}"), "§1 Results"],
                ["minor", "\\begin{figure}", text.indexOf("\\begin{figure}"), "§1 Results"],
                ["minor", "\\bibliography{refs,extra}", text.indexOf("\\bibliography"), "§1 Results"]
            ]);
            assert.equal(findings[2]!.comment, "This figure has no \\label, so the text cannot refer to it; add a \\label after its caption and refer to it (Figure~\\ref{…}).");
            assert.equal(findings[3]!.comment, "extra.bib was not found, so the 2 citations cannot be checked against the bibliography (refs.bib was read). " +
                "Put the missing .bib files next to paper.tex or fix their names to check every \\cite key.");
        } finally {
            await remove();
        }
    });

    test("without \\bibliography (a thebibliography list), citations are not checked", async () => {
        const text = "\\documentclass{article}\n\\begin{document}\n\\cite{a}\n\\begin{thebibliography}{1}\\bibitem{a} A.\\end{thebibliography}\n\\end{document}\n";
        const {dir, remove} = await makeTempDir("review-checks");
        try {
            await writeFile(path.join(dir, "paper.tex"), text);
            const manuscript = await buildManuscript(path.join(dir, "paper.tex"), diskSourceReader());
            assert.deepEqual(deterministicChecks(manuscript, readText), []);
        } finally {
            await remove();
        }
    });
});
