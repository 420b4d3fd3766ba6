// The manuscript model of the Rubin DP1 paper (RTN-095): 22 of its 26 .tex files
// read through two levels of \input, a missing authors.tex and six missing .bib
// files, user reference macros (\secref). Expected values were written from the
// sources (grep and reading), not from the model's own output.
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import path from "node:path";
import {before, describe, test} from "node:test";
import {buildManuscript} from "../../src/latex/buildManuscript.ts";
import {findRoot} from "../../src/latex/findRoot.ts";
import type {Manuscript} from "../../src/latex/Manuscript.ts";
import {allSections} from "../../src/latex/manuscriptQueries.ts";
import {diskSourceReader} from "../../src/latex/SourceReader.ts";

const folder = path.resolve("test/fixtures/latex/rubin-dp1-rtn095");
const root = path.join(folder, "RTN-095.tex");

/** Line `line` (1-based) of a file, as written. */
function lineText(file: string, line: number): string {
    return readFileSync(file, "utf8").split("\n")[line - 1] ?? "";
}

function name(file: string): string {
    return path.relative(folder, file);
}

describe("the Rubin DP1 paper", () => {
    let manuscript: Manuscript;
    before(async () => {
        manuscript = await buildManuscript(root, diskSourceReader());
    });

    test("reads the files RTN-095.tex inputs, in the order LaTeX reads them, both levels of \\input", () => {
        assert.deepEqual(manuscript.files.map((file) => name(file.path)), [
            "RTN-095.tex", "aglossary.tex", "parameters.tex", "abstract.tex", "introduction.tex",
            "commissioning.tex", "dp1_fields.tex", "dp1_m5_coadded_depths.tex", "dp1_iq_summary_target_band.tex",
            "data_products.tex", "rawbreakdown.tex", "drp.tex",
            "performance.tex", "sensor_anomalies.tex", "psf_1d_stat.tex", "dp1_mlreliability.tex",
            "data_services.tex", "dp1_field_tracts.tex", "dp1_dimension_summary.tex", "dp1_butler_datasets.tex",
            "community_science.tex", "summary.tex"
        ]);
        assert.equal(manuscript.files[0]!.bytes, 3593);
        assert.equal(manuscript.root, root);
        assert.equal(manuscript.rootDirectory, folder);
        assert.deepEqual(manuscript.problems, []);
    });

    test("reports authors.tex and six .bib files missing, and finds local.bib", () => {
        assert.deepEqual(manuscript.missing.map(({target, command, from, tried}) => ({target, command, line: from.line, file: name(from.file), tried: tried.map(name)})), [
            {target: "authors", command: "input", line: 45, file: "RTN-095.tex", tried: ["authors.tex", "authors"]},
            ...["lsst", "ivoa", "lsst-dm", "refs_ads", "refs", "books"].map((target) => ({target, command: "bibliography", line: 93, file: "RTN-095.tex", tried: [`${target}.bib`]}))
        ]);
        assert.deepEqual(manuscript.bibFiles.map(({path: file, found}) => [name(file), found]), [
            ["local.bib", true], ["lsst.bib", false], ["ivoa.bib", false], ["lsst-dm.bib", false], ["refs_ads.bib", false], ["refs.bib", false], ["books.bib", false]
        ]);
        assert.deepEqual(manuscript.bibEntries.map(({key, type, year, at}) => ({key, type, year, line: at.line})), [
            {key: "Choi_2025", type: "article", year: "2025", line: 1},
            {key: "2026ApJS..282...62B2", type: "article", year: "2026", line: 15},
            {key: "2025AJ....170..100M2", type: "article", year: "2025", line: 33}
        ]);
        for (const entry of manuscript.bibEntries)
            assert.ok(lineText(entry.at.file, entry.at.line).includes(entry.key), `${entry.key} starts on its line`);
    });

    test("title, abstract and an empty preface (the title block is not body text)", () => {
        assert.equal(manuscript.title, "The Vera C. Rubin Observatory Data Preview 1");
        const abstract = manuscript.abstract!;
        assert.equal(name(abstract.file), "abstract.tex");
        assert.equal(abstract.startLine, 4);
        assert.equal(abstract.endLine, 12);
        assert.match(abstract.text, /^We present Rubin Data Preview 1 \(DP1\), the first data from/);
        assert.match(abstract.text, /ahead of full operations in 2026\.$/);
        assert.doesNotMatch(abstract.text, /Lead: Leanne|\\begin\{abstract\}/, "comments and the environment's own lines are left out");
        assert.deepEqual(manuscript.preface, []);
    });

    test("sections: numbers, titles and headings as in the sources", () => {
        const expected = [
            "1 Introduction @introduction.tex:1",
            "2 On-Sky Commissioning Campaign @commissioning.tex:1",
            "2.1 Simonyi Survey Telescope @commissioning.tex:18",
            "2.2 LSSTComCam @commissioning.tex:36",
            "2.2.1 Filter Complement @commissioning.tex:76",
            "2.2.2 Timing Calibration @commissioning.tex:88",
            "2.3 Flat–field System @commissioning.tex:108",
            "2.4 LSST Science Pipelines Commissioning @commissioning.tex:118",
            "2.5 Delivered Image Quality @commissioning.tex:180",
            "3 Overview of the contents of Rubin DP1 @data_products.tex:1",
            "3.1 Science Images @data_products.tex:45",
            "3.1.1 Raw Image @data_products.tex:52",
            "3.1.2 Visit_images @data_products.tex:64",
            "3.1.3 Deep_coadds @data_products.tex:88",
            "3.1.4 Template_coadds @data_products.tex:107",
            "3.1.5 Difference_images @data_products.tex:128",
            "3.1.6 Background Images @data_products.tex:137",
            "3.2 Catalogs @data_products.tex:146",
            "3.2.1 Source Catalog @data_products.tex:177",
            "3.2.2 Object Catalog @data_products.tex:197",
            "3.2.3 ForcedSource Catalog @data_products.tex:213",
            "3.2.4 DiaSource Catalog @data_products.tex:220",
            "3.2.5 DiaObject Catalog @data_products.tex:229",
            "3.2.6 ForcedSourceOnDiaObject Catalog @data_products.tex:240",
            "3.3 SSObject Catalog @data_products.tex:246",
            "3.3.1 SSSource Catalog @data_products.tex:253",
            "3.3.2 CcdVisit Catalog @data_products.tex:259",
            "3.3.3 Calibration Catalog @data_products.tex:268",
            "3.3.4 Source and Object Designations @data_products.tex:289",
            "3.4 Maps @data_products.tex:310",
            "3.4.1 Survey Property Maps @data_products.tex:314",
            "3.4.2 HiPS Maps @data_products.tex:351",
            "3.5 Metadata @data_products.tex:363",
            "3.6 Ancillary Data Products @data_products.tex:370",
            "3.6.1 Standard Bandpasses @data_products.tex:376",
            "3.6.2 Task Configuration Files, Logs, and Metadata @data_products.tex:382",
            "3.6.3 Calibration Data Products @data_products.tex:387",
            "4 Data Release Processing @drp.tex:1",
            "4.1 LSST Science Pipelines Software @drp.tex:10",
            "4.2 Single-frame Processing @drp.tex:17",
            "4.2.1 Instrument Signature Removal @drp.tex:20",
            "4.2.2 Background Subtraction @drp.tex:44",
            "4.3 Calibration @drp.tex:56",
            "4.3.1 Point-spread Function Modeling @drp.tex:65",
            "4.3.2 Astrometric Calibration @drp.tex:72",
            "4.3.3 Photometric Calibration @drp.tex:96",
            "4.4 Visit_images and Source Catalogs @drp.tex:112",
            "4.5 Coaddition Processing @drp.tex:119",
            "4.5.1 Coaddition @drp.tex:121",
            "4.5.2 Detection, Deblending and Measurement @drp.tex:141",
            "4.6 Variability Measurement @drp.tex:180",
            "4.6.1 Difference-imaging Analysis @drp.tex:181",
            "4.6.2 Light Curves @drp.tex:209",
            "4.6.3 Solar System Processing @drp.tex:216",
            "5 Performance Characterization and Known Issues @performance.tex:1",
            "5.1 Sensor Anomalies and Instrument Signature Removal @performance.tex:6",
            "5.1.1 Vampire Pixels @sensor_anomalies.tex:4",
            "5.1.2 Phosphorescence @sensor_anomalies.tex:21",
            "5.1.3 Cross Talk @sensor_anomalies.tex:37",
            "5.1.4 Bleed Trails @sensor_anomalies.tex:51",
            "5.2 Point-spread Function Models @performance.tex:11",
            "5.3 Astrometry @performance.tex:78",
            "5.4 Differential Chromatic Refraction @performance.tex:150",
            "5.5 Stellar Photometry @performance.tex:168",
            "5.6 Detection Completeness on Coadds @performance.tex:208",
            "5.7 Model Flux and Shape Measurement @performance.tex:243",
            "5.8 Difference Imaging @performance.tex:365",
            "5.8.1 Difference–imaging Purity @performance.tex:370",
            "5.8.2 Difference–imaging Detection Completeness @performance.tex:405",
            "5.9 Solar System @performance.tex:464",
            "5.9.1 Asteroid Linking Performance @performance.tex:467",
            "5.9.2 Asteroid Association Performance @performance.tex:482",
            "5.10 Crowded Fields @performance.tex:512",
            "6 Rubin Science Platform @data_services.tex:1",
            "6.1 Rubin Data Access Center @data_services.tex:32",
            "6.2 Application Programming Interface Aspect @data_services.tex:45",
            "6.2.1 IVOA Services @data_services.tex:52",
            "6.2.2 Data Butler @data_services.tex:98",
            "6.2.3 Remote Programmatic Access @data_services.tex:141",
            "6.3 Portal Aspect @data_services.tex:148",
            "6.4 Notebook Aspect @data_services.tex:158",
            "6.5 Databases @data_services.tex:164",
            "6.5.1 Qserv @data_services.tex:169",
            "7 Support for Community Science @community_science.tex:1",
            "7.1 Documentation @community_science.tex:12",
            "7.2 Tutorials @community_science.tex:18",
            "7.3 Community Forum @community_science.tex:29",
            "7.4 Engagement Activities @community_science.tex:43",
            "7.5 Users Committee @community_science.tex:62",
            "7.6 Science Collaborations @community_science.tex:73",
            "8 Summary and Future Releases @summary.tex:1"
        ];
        const sections = allSections(manuscript);
        assert.deepEqual(sections.map((section) => `${section.number} ${section.title} @${name(section.heading.file)}:${section.heading.line}`), expected);
        assert.equal(manuscript.sections.length, 8);
        for (const section of sections) {
            assert.equal(section.depth, section.number!.split(".").length - 1, `${section.number} sits at its depth`);
            assert.equal(section.id, `sec-${section.number}`);
            assert.equal(section.starred, false);
            assert.ok(lineText(section.heading.file, section.heading.line).includes(`\\${section.command}{`), `${section.number}'s heading line holds \\${section.command}{`);
        }
        assert.deepEqual(sections.find((section) => section.number === "4.6")!.children.map((child) => child.title), ["Difference-imaging Analysis", "Light Curves", "Solar System Processing"]);
    });

    test("a section's text spans the files it inputs, in place, and stops at its first subsection", () => {
        const sections = allSections(manuscript);
        const pipelines = sections.find((section) => section.number === "2.4")!;
        assert.deepEqual(pipelines.body.map((text) => `${name(text.file)}:${text.startLine}-${text.endLine}`), [
            "commissioning.tex:119-138", "dp1_fields.tex:1-36", "commissioning.tex:143-175", "dp1_m5_coadded_depths.tex:2-22"
        ]);
        assert.match(pipelines.body[3]!.text, /^\\setlength\{\\tabcolsep\}\{3pt\}\s*\n\\begin\{deluxetable\}\{lcccccc\}/, "the table file's comments are removed");
        const sensors = sections.find((section) => section.number === "5.1")!;
        assert.deepEqual(sensors.body.map((text) => `${name(text.file)}:${text.startLine}-${text.endLine}`), ["sensor_anomalies.tex:1-2"]);
        const summary = sections.find((section) => section.number === "8")!;
        assert.deepEqual(summary.body.map((text) => `${name(text.file)}:${text.startLine}-${text.endLine}`), ["summary.tex:2-23"], "acknowledgments and back matter are not the summary's text");
        for (const section of sections)
            for (const text of section.body)
                assert.doesNotMatch(text.text, /(^|[^\\])%/, `no comment in ${name(text.file)}:${text.startLine}`);
    });

    test("labels, with their sections, equations and floats", () => {
        assert.equal(manuscript.labels.length, 115);
        assert.equal(new Set(manuscript.labels.map((label) => label.name)).size, 115);
        for (const label of manuscript.labels)
            assert.ok(lineText(label.at.file, label.at.line).includes(`\\label{${label.name}}`), `${label.name} is on its line`);
        const sections = allSections(manuscript);
        assert.equal(sections.find((section) => section.number === "1")!.label, "sec:intro");
        assert.equal(sections.find((section) => section.number === "3.3.4")!.label, "ssec:src_naming");
        assert.equal(sections.find((section) => section.number === "3.1.1")!.label, undefined, "Raw Image has no label");
        assert.equal(sections.filter((section) => section.label != null).length, 65);

        assert.equal(manuscript.equations.length, 1);
        const [equation] = manuscript.equations;
        assert.deepEqual({environment: equation!.environment, file: name(equation!.at.file), start: equation!.at.startLine, end: equation!.at.endLine}, {environment: "align*", file: "performance.tex", start: 44, end: 47});
        assert.ok(lineText(equation!.at.file, 44).includes("\\begin{align*}"));

        const kinds: Record<string, number> = {};
        for (const float of manuscript.floats)
            kinds[float.environment] = (kinds[float.environment] ?? 0) + 1;
        assert.deepEqual(kinds, {"figure": 27, "figure*": 14, "deluxetable": 6, "deluxetable*": 3});
        const depths = manuscript.floats.find((float) => float.label === "tab:dp1_m5_depths")!;
        assert.deepEqual({kind: depths.kind, environment: depths.environment, file: name(depths.at.file), start: depths.at.startLine, end: depths.at.endLine}, {kind: "table", environment: "deluxetable", file: "dp1_m5_coadded_depths.tex", start: 3, end: 22});
        assert.match(depths.caption, /^DP1 median 5\$\\sigma\$ coadded point-source detection limits per field and band/);
        assert.equal(manuscript.floats.filter((float) => float.caption === "").length, 0, "every float has a caption");
    });

    test("references, through the paper's own \\secref, \\figref and \\tabref", () => {
        const commands: Record<string, number> = {};
        for (const reference of manuscript.references)
            commands[reference.command] = (commands[reference.command] ?? 0) + 1;
        assert.deepEqual(commands, {secref: 82, figref: 46, tabref: 13, ref: 11});
        assert.equal(manuscript.references.filter((reference) => reference.name.includes("#")).length, 0, "\\ref{#1} in a definition is not a reference");
        for (const reference of manuscript.references)
            assert.ok(lineText(reference.at.file, reference.at.line).includes(`\\${reference.command}{${reference.name}}`), `${reference.command}{${reference.name}} is on its line`);
        const first = manuscript.references.find((reference) => reference.command === "secref")!;
        assert.deepEqual({name: first.name, file: name(first.at.file), line: first.at.line}, {name: "ssec:simonyi", file: "commissioning.tex", line: 6});
    });

    test("citations: every key of every citation command", () => {
        assert.equal(manuscript.citations.length, 176);
        assert.equal(new Set(manuscript.citations.map((citation) => citation.key)).size, 146);
        for (const citation of manuscript.citations)
            assert.ok(lineText(citation.at.file, citation.at.line).includes(citation.key), `${citation.key} is on its line`);
        const software = manuscript.citations.filter((citation) => name(citation.at.file) === "RTN-095.tex");
        assert.deepEqual(software.map((citation) => citation.key), [
            "2022SPIE12189E..11J", "PSTN-019", "peter_yoachim_2024_13985198", "2019AJ....157..151N", "2013A&A...558A..33A",
            "2018AJ....156..123A", "2022ApJ...935..167A", "2021ascl.soft02024J", "2022ascl.soft10011B", "Wang:2011:QDS:2063348.2063364", "2025ASPC..538..114M"
        ]);
    });

    test("macros: 120 \\newcommand and 6 \\providecommand, from the root and parameters.tex", () => {
        assert.equal(manuscript.macros.length, 126);
        assert.deepEqual(manuscript.macros.slice(0, 9).map((macro) => `${macro.command} ${macro.name}/${macro.parameters}`), [
            "\\newcommand docRef/0", "\\newcommand docUpstreamLocation/0", "\\providecommand secref/1", "\\providecommand appref/1",
            "\\providecommand tabref/1", "\\providecommand figref/1", "\\providecommand eqnref/1", "\\providecommand recref/1", "\\newcommand degsq/0"
        ]);
        const secref = manuscript.macros.find((macro) => macro.name === "secref")!;
        assert.equal(secref.body, "\\hyperref[#1]{\\S\\ref{#1}}");
        assert.deepEqual(secref.at, {file: root, line: 18});
        assert.equal(manuscript.macros.find((macro) => macro.name === "docUpstreamLocation")!.body, "\\url{https://github.com/lsst/rtn-095}");
        assert.equal(manuscript.macros.filter((macro) => name(macro.at.file) === "parameters.tex").length, 117);
        for (const macro of manuscript.macros)
            assert.ok(lineText(macro.at.file, macro.at.line).includes(`\\${macro.name}}`), `${macro.name} is defined on its line`);
    });
});

describe("the root of a Rubin file", () => {
    test("a section file, and a table file two \\input levels down, belong to RTN-095.tex", async () => {
        const reader = diskSourceReader();
        assert.equal(await findRoot(path.join(folder, "performance.tex"), reader), root);
        assert.equal(await findRoot(path.join(folder, "dp1_m5_coadded_depths.tex"), reader), root);
        assert.equal(await findRoot(root, reader), root);
    });

    test("a file no root inputs is its own root, read as a fragment", async () => {
        const isr = path.join(folder, "isr.tex");
        assert.equal(await findRoot(isr, diskSourceReader()), isr);
        const fragment = await buildManuscript(isr, diskSourceReader());
        // LaTeX's own number for a first \subsubsection.
        assert.deepEqual(allSections(fragment).map((section) => `${section.number} ${section.title} ${section.label}`), ["0.0.1 Instrument Signature Removal ssec:isr"]);
        assert.deepEqual(fragment.floats.map((float) => float.label), ["fig:isr_signal_chain"]);
    });
});
