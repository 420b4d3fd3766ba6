// The manuscript model of five more real manuscripts (test/fixtures/latex/): what
// each is known for. Expected values come from the sources (grep and reading).
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, test} from "node:test";
import {buildManuscript} from "../../src/latex/buildManuscript.ts";
import type {Manuscript} from "../../src/latex/Manuscript.ts";
import {allSections, katexMacros} from "../../src/latex/manuscriptQueries.ts";
import {lineOf, parseFileFacts} from "../../src/latex/parse/parseFileFacts.ts";
import {diskSourceReader} from "../../src/latex/SourceReader.ts";

const fixtures = path.resolve("test/fixtures/latex");

function lineText(file: string, line: number): string {
    return readFileSync(file, "utf8").split("\n")[line - 1] ?? "";
}

function build(root: string): Promise<Manuscript> {
    return buildManuscript(path.join(fixtures, root), diskSourceReader());
}

function outline(manuscript: Manuscript): string[] {
    return allSections(manuscript).map((section) => `${section.number ?? "*"} ${section.title}${section.label == null ? "" : ` [${section.label}]`} :${section.heading.line}`);
}

describe("celerite (Foreman-Mackey et al. 2017)", () => {
    test("\\include{vc}, made at build time, is missing; the other eight inputs are read", async () => {
        const manuscript = await build("dfm-celerite-paper/paper/ms.tex");
        const paper = path.join(fixtures, "dfm-celerite-paper/paper");
        assert.deepEqual(manuscript.missing, [{target: "vc", command: "include", from: {file: path.join(paper, "ms.tex"), line: 7}, tried: [path.join(paper, "vc.tex")]}]);
        assert.deepEqual(manuscript.files.map((file) => path.relative(paper, file.path)), [
            "ms.tex", "figures/examples-macros.tex", "figures/rotation/rotation.tex", "figures/simulated/correct-params.tex",
            "figures/simulated/wrong-qpo-params.tex", "figures/rotation/rotation-params.tex", "figures/astero/astero-params.tex",
            "figures/transit/transit-params-edited.tex", "figures/example-stats.tex"
        ]);
        assert.deepEqual(manuscript.problems, []);
    });

    test("sections inside \\response{…}, labels through \\sectlabel, lettered appendices", async () => {
        const manuscript = await build("dfm-celerite-paper/paper/ms.tex");
        assert.equal(manuscript.title, "Fast and scalable Gaussian process modeling with applications to astronomical time series");
        assert.deepEqual(outline(manuscript), [
            "1 Introduction :229",
            "2 Gaussian processes [sect:gps] :304",
            "3 The celerite model [sect:celerite] :411",
            "4 celerite as a model of stellar variations [sect:sho] :538",
            "5 Semiseparable matrices & celerite [sect:factor] :713",
            "5.1 Cholesky factorization of positive definite semiseparable matrices [sect:cholesky] :772",
            "5.2 Scalable computation of celerite models [sect:scalable] :857",
            "5.3 Performance :941",
            "5.4 How to choose a celerite model :1038",
            "6 Examples [sect:examples] :1079",
            "6.1 Example 1: Recovery of a celerite process [sect:example1] :1146",
            "6.2 Example 2: Inferences with the “wrong” model [sect:example2] :1215",
            "6.3 Example 3: Stellar rotation [sect:rotation] :1361",
            "6.4 Example 4: Asteroseismic oscillations [sect:astero] :1488",
            "6.5 Example 5: Exoplanet transit fitting [sect:transit] :1694",
            "6.6 Summary :1798",
            "7 Comparisons to other methods [sect:compare] :1826",
            "8 Discussion :1974",
            "8.1 Other applications and limitations :2014",
            "8.2 Code availability :2051",
            "A Ensuring positive definiteness for celerite models [sect:psd] :2122",
            "B Semiseparable matrix operations [sect:operations] :2222",
            "B.1 Multiplication :2228",
            "B.2 Sampling data from a celerite process :2255",
            "B.3 Interpolation & extrapolation :2289"
        ]);
        assert.equal(manuscript.labels.length, 65);
        assert.equal(manuscript.labels.filter((label) => label.name.startsWith("eq:")).length, 31, "31 \\eqlabel{…}, each \\label{eq:#1}");
    });

    test("equations, references through chains of macros (\\eq → \\Eq → a redefined \\eqref → \\ref{eq:#1}), citations, macros", async () => {
        const manuscript = await build("dfm-celerite-paper/paper/ms.tex");
        assert.equal(manuscript.equations.length, 76);
        for (const equation of manuscript.equations)
            assert.match(lineText(equation.at.file, equation.at.startLine), /\\begin\{(equation|align|eqnarray)\*?\}|\\\[|\$\$/);
        const commands: Record<string, number> = {};
        for (const reference of manuscript.references)
            commands[reference.command] = (commands[reference.command] ?? 0) + 1;
        assert.deepEqual(commands, {eq: 63, Figure: 30, sect: 18, eqalt: 13, ref: 10, app: 2, eqref: 2});
        const labels = new Set(manuscript.labels.map((label) => label.name));
        assert.deepEqual(manuscript.references.filter((reference) => !labels.has(reference.name)), [], "every reference names a label the paper defines");
        assert.equal(manuscript.citations.length, 181);
        assert.equal(new Set(manuscript.citations.map((citation) => citation.key)).size, 105);
        assert.equal(manuscript.bibEntries.length, 125);
        assert.equal(manuscript.macros.length, 81);
        assert.deepEqual(manuscript.macros.slice(26, 30).map((macro) => `${macro.command} ${macro.name}/${macro.parameters}`), [
            "\\def env@matrix/0", "\\def frontmatter@title@above/0", "\\renewcommand section/0", "\\newcommand nostarsection/1"
        ]);
    });

    test("its macros for KaTeX: math ones kept (\\ensuremath dropped), reference and text ones left out, through chains", async () => {
        const macros = katexMacros(await build("dfm-celerite-paper/paper/ms.tex"));
        assert.equal(macros["\\T"], "{\\mathrm{T}}");
        assert.equal(macros["\\bvec"], "{{\\boldsymbol{#1}}}");
        assert.equal(macros["\\celerite"], "\\project{celerite}");
        assert.equal(macros["\\project"], "\\textsf{#1}");
        for (const name of ["\\Figure", "\\figureref", "\\eq", "\\Eq", "\\eqref", "\\sectlabel", "\\section", "\\env@matrix", "\\sagan"])
            assert.equal(macros[name], undefined, `${name} is left out`);
        // The 26 generated number macros, and 22 of the 55 defined in ms.tex.
        assert.equal(Object.keys(macros).length, 48);
    });
});

describe("3I/ATLAS discovery paper", () => {
    test("the \\iffalse … \\fi block is skipped: no command in it is read, none of its lines is text", async () => {
        const file = path.join(fixtures, "3i-atlas-discovery/src/tex/ms.tex");
        assert.equal(lineText(file, 505), "\\iffalse");
        assert.equal(lineText(file, 510), "\\fi");
        const facts = parseFileFacts(readFileSync(file, "utf8"));
        assert.deepEqual(facts.events.filter((event) => {
            const line = lineOf(facts.lineStarts, event.at);
            return line >= 505 && line <= 510;
        }), []);
        const manuscript = await build("3i-atlas-discovery/src/tex/ms.tex");
        const texts = [...manuscript.preface, ...allSections(manuscript).flatMap((section) => section.body)];
        assert.ok(texts.every((text) => !text.text.includes("Las Cumbres Observatory;")));
        assert.deepEqual(manuscript.problems, []);
    });

    test("sections, the unnumbered one labelled inside its title, citations, one .bib", async () => {
        const manuscript = await build("3i-atlas-discovery/src/tex/ms.tex");
        assert.equal(manuscript.title, "Discovery and Preliminary Characterization of a Third Interstellar Object: 3I/ATLAS");
        assert.deepEqual(outline(manuscript), [
            "1 Introduction [sec:intro] :244",
            "2 Discovery and hyperbolic orbit characterization [sec:orbit] :258",
            "2.1 Discovery :261",
            "2.2 Orbit Characterization :283",
            "3 Observational Analysis [sec:observations] :317",
            "3.1 Activity [sec:activity] :319",
            "3.2 Rotation [sec:rotation] :362",
            "3.3 Colors [sec:colors] :406",
            "3.4 Spectrum [sec:spectrum] :423",
            "4 Discussion [sec:discussion] :429",
            "* Data and Software Availability [section:software] :451"
        ]);
        const software = allSections(manuscript).at(-1)!;
        assert.equal(software.id, "sec-u1");
        assert.equal(software.starred, true);
        assert.equal(manuscript.abstract?.startLine, 239);
        assert.equal(manuscript.floats.length, 10);
        assert.equal(manuscript.citations.length, 121);
        assert.equal(new Set(manuscript.citations.map((citation) => citation.key)).size, 98);
        assert.deepEqual(manuscript.bibFiles, [{path: path.join(fixtures, "3i-atlas-discovery/src/tex/bib.bib"), found: true}]);
        assert.equal(manuscript.bibEntries.length, 189);
        assert.deepEqual(manuscript.macros.map((macro) => macro.name), ["vdag", "aastex", "latex"]);
    });
});

describe("the AASTeX 6.3.1 sample", () => {
    test("deluxetables and figures, appendices A to E, the title through \\aastex", async () => {
        const manuscript = await build("aas-sample631/sample/sample631.tex");
        assert.equal(manuscript.title, "Template AASTeX Article with Examples: v6.31");
        assert.deepEqual(allSections(manuscript).filter((section) => section.depth === 0).map((section) => `${section.number} ${section.title}`), [
            "1 Introduction", "2 Manuscript styles", "3 Floats", "4 Displaying mathematics", "5 Revision tracking and color highlighting",
            "6 Software and third party data repository citations", "A Appendix information", "B Author publication charges",
            "C Rotating tables", "D IAU recommendations for nominal units", "E Using Chinese, Japanese, and Korean characters"
        ]);
        assert.deepEqual(manuscript.floats.map((float) => `${float.environment} ${float.label ?? "-"} :${float.at.startLine}`), [
            "deluxetable* tab:messier :652", "splitdeluxetable* tab:deluxesplit :705", "figure fig:general :746", "figure* fig:pyramid :816",
            "figure fig:fig4 :920", "figure fig:video :950", "figure fig:interactive :1003", "deluxetable* chartable :1276"
        ]);
        assert.equal(manuscript.floats.find((float) => float.label === "chartable")!.caption, "Observable Characteristics of Galactic/Magellanic Cloud novae with X-ray observations");
        for (const float of manuscript.floats)
            assert.ok(lineText(float.at.file, float.at.startLine).includes(`\\begin{${float.environment}}`));
        assert.equal(manuscript.equations.length, 4);
        assert.deepEqual(manuscript.problems, [], "\\string\\begin{…} in the text opens no environment");
    });
});

describe("LEGWORK (Wagg et al. 2022)", () => {
    test("titles: \\texorpdfstring's plain text, a wrapper macro expanded, \\\\ in the title", async () => {
        const manuscript = await build("legwork-paper/src/tex/ms.tex");
        assert.equal(manuscript.title, "LEGWORK: A python package for computing the evolution and detectability of stellar-origin gravitational-wave sources with space-based detectors");
        const titles = allSections(manuscript).map((section) => section.title);
        assert.ok(titles.includes("Units and automated testing"), "\\referee{…} is a wrapper: its argument is the title");
        assert.ok(titles.includes("Conversions and definitions (utils)"));
        assert.ok(titles.includes("Computing the SNR of a binary system"));
        assert.equal(titles.length, 30);
    });

    test("64 equations, those after \\begin{equation}{} too, with their labels", async () => {
        const manuscript = await build("legwork-paper/src/tex/ms.tex");
        assert.equal(manuscript.equations.length, 64);
        assert.equal(manuscript.labels.length, 67);
        const charstrain = manuscript.equations.find((equation) => equation.label === "eq:strain-charstrain")!;
        assert.deepEqual([charstrain.environment, charstrain.at.startLine, charstrain.at.endLine], ["equation", 282, 285]);
        assert.match(charstrain.tex, /^\{\}\s*h_\{c, n\}\^2 = \\qty/);
        assert.equal(manuscript.citations.length, 114);
    });
});

describe("the normal-normal note (Farr)", () => {
    test("equations with their labels and lines, \\DeclareMathOperator for KaTeX", async () => {
        const manuscript = await build("farr-normalnormal/src/tex/ms.tex");
        assert.equal(manuscript.equations.length, 18);
        assert.deepEqual(manuscript.equations.filter((equation) => equation.label != null).map((equation) => `${equation.label} ${equation.at.startLine}-${equation.at.endLine}`), [
            "eq:mu-hat 102-105", "eq:V-hat 112-115", "eq:implicit-V-hat 130-133"
        ]);
        for (const equation of manuscript.equations) {
            assert.match(lineText(equation.at.file, equation.at.startLine), /\\begin\{(equation|align)\*?\}/);
            assert.match(lineText(equation.at.file, equation.at.endLine), /\\end\{(equation|align)\*?\}/);
        }
        assert.deepEqual(katexMacros(manuscript), {
            "\\Var": "\\operatorname{Var}",
            "\\cca": "Center for Computational Astrophysics, Flatiron Institute, New York NY 10010, USA",
            "\\sbu": "Department of Physics and Astronomy, Stony Brook University, Stony Brook NY 11794, USA"
        });
        assert.deepEqual(outline(manuscript), ["1 Introduction [sec:intro] :40"]);
    });
});
