// "AstroSage: Explain Code" without VS Code: which code is explained (the
// function around the cursor in Python, IDL, Fortran, C, TypeScript and Julia,
// the selection, the lines around the cursor), what goes with it (imports,
// definitions it uses, checks for the astronomy libraries it relies on), the
// character budget, and the refusals that say what to do instead.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {describe, test} from "node:test";
import {fileURLToPath} from "node:url";
import {buildExplainRequest, MAX_CODE_CHARACTERS, type ExplainDetails, type ExplainInput, type ExplainRequest, type OutlineSymbol} from "../../src/explain/buildExplainRequest.ts";
import {languageOf} from "../../src/explain/languages.ts";
import {maskCode} from "../../src/explain/maskCode.ts";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/code");
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), "utf8");

/** Explains the code at a 1-based line of a fixture (as the user counts lines), like a cursor put there. */
function explainAt(name: string, line: number, options: Partial<ExplainInput> = {}): {request: ExplainRequest; details: ExplainDetails} {
    const outcome = buildExplainRequest({text: fixture(name), languageId: "plaintext", fileName: name, cursor: {line: line - 1, character: 2}, ...options});
    if (!outcome.ok)
        assert.fail(`expected a request, got: ${outcome.problem.message}`);
    return outcome;
}

/** The 1-based line range explained, as the chip shows it. */
function range(details: ExplainDetails): string {
    return `${details.target.first + 1}-${details.target.last + 1}`;
}

function problemOf(input: ExplainInput) {
    const outcome = buildExplainRequest(input);
    if (outcome.ok)
        assert.fail(`expected a refusal, got a request for ${outcome.request.attachment.label}`);
    return outcome.problem;
}

describe("Python: functions by indentation, decorators included", () => {
    test("a method with a multi-line decorator, its definitions, imports and libraries", () => {
        const {request, details} = explainAt("photometry.py", 60);
        assert.equal(range(details), "50-68");
        assert.equal(details.name, "PointSource.fit_psf");
        assert.equal(request.prompt, "Explain `PointSource.fit_psf` in photometry.py (Python, astropy, numpy, scipy)");
        assert.equal(request.attachment.label, "photometry.py:50-68");
        assert.equal(request.title, "Explain PointSource.fit_psf in photometry.py (Python…");
        assert.deepEqual(details.imports, [
            "import functools",
            "import warnings",
            "import numpy as np",
            "from astropy import units as u",
            "from astropy.coordinates import SkyCoord",
            "from astropy.io import fits",
            "from astropy.wcs import WCS",
            "from scipy.optimize import (\n    curve_fit,  # PSF fit\n)"
        ]);
        // In the order the method first uses them; self.pixel_position is a method of its class.
        assert.deepEqual(details.definitions, ["PointSource.pixel_position", "gaussian_2d", "FWHM_TO_SIGMA"]);
        // astropy.coordinates and astropy.io.fits are imported by the file but not used here.
        assert.deepEqual(details.stacks, ["astropy.units", "wcs", "numpy", "scipy.optimize"]);
    });

    test("the cursor on the decorator or the def line gives the same method", () => {
        assert.equal(range(explainAt("photometry.py", 50).details), "50-68");
        assert.equal(range(explainAt("photometry.py", 53).details), "50-68");
    });

    test("a string closing in column 0 does not end the function", () => {
        const {details} = explainAt("photometry.py", 97);
        assert.equal(details.name, "gaia_neighbours_query");
        assert.equal(range(details), "93-100");
    });

    test("in a closure, the function it belongs to is explained, with what it uses from the module", () => {
        const {request, details} = explainAt("photometry.py", 110);
        assert.equal(details.name, "measure");
        assert.equal(range(details), "103-117");
        assert.deepEqual(details.definitions, ["load_image", "PointSource", "AB_ZEROPOINT", "APERTURE_RADII", "aperture_flux", "counts_to_ab_mag"]);
        // A long definition (the 30-line class) is cut to its first lines, with a count of the rest.
        assert.match(request.attachment.text, /\nclass PointSource:\n {4}"""A source at a sky position, measured on one image\."""\n\n {4}def __init__[^\n]*\n[^\n]*\n\n {4}def pixel_position\(self, wcs\):\n {8}"""[^\n]*"""\n {8}# … \(22 more lines\)\n/);
    });

    test("the cursor in a class but outside its methods explains the class", () => {
        const {request, details} = explainAt("photometry.py", 40);
        assert.equal(range(details), "39-68");
        assert.equal(request.prompt, "Explain `PointSource` in photometry.py (Python, astropy, numpy, scipy)");
    });

    test("outside any function, the lines around the cursor, stopping at the next function", () => {
        const {request, details} = explainAt("photometry.py", 18);
        assert.equal(details.target.source, "lines");
        assert.equal(range(details), "3-20");
        assert.equal(request.prompt, "Explain lines 3-20 of photometry.py (Python, astropy, numpy, scipy)");
    });

    test("the script's entry point: its own `import sys` is not one of the file's imports", () => {
        const {details} = explainAt("photometry.py", 123);
        assert.equal(range(details), "120-124");
        assert.ok(!details.imports.includes("import sys"));
        assert.deepEqual(details.definitions, ["measure"]);
    });
});

describe("IDL: pro and function up to their own END", () => {
    test("a procedure whose BEGIN blocks close with plain END, CASE with ENDCASE", () => {
        const {request, details} = explainAt("stamp_flux.pro", 45);
        assert.equal(details.name, "stamp_flux");
        assert.equal(range(details), "29-61");
        assert.equal(request.prompt, "Explain `stamp_flux` in stamp_flux.pro (IDL, IDL Astronomy Library)");
        assert.deepEqual(details.imports, ["@astro_defaults", "forward_function sky_annulus"]);
        assert.deepEqual(details.definitions, ["sky_annulus"]);
        assert.deepEqual(details.stacks, ["fits", "wcs", "idl-astrolib"]);
        // compile_opt idl2 changes IDL's integer and indexing rules; the checks say so.
        assert.match(request.attachment.text, /this code sets compile_opt idl2 \(or defint32\), so integers are 32-bit/);
        assert.match(request.attachment.text, /sxpar returns 0, not an error, for a missing keyword/);
    });

    test("a function with END in a string and in ENDIF", () => {
        assert.equal(range(explainAt("stamp_flux.pro", 23).details), "15-27");
    });

    test("names are case-insensitive: a call in capitals finds its definition", () => {
        const text = [
            "FUNCTION Flux_To_Mag, flux, zp",
            "  RETURN, -2.5*ALOG10(flux) + zp",
            "END",
            "",
            "PRO Show_Mags, fluxes",
            "  mags = FLUX_TO_MAG(fluxes, 25.0)",
            "  PRINT, mags",
            "END"
        ].join("\n");
        const outcome = buildExplainRequest({text, languageId: "idl", fileName: "mags.pro", cursor: {line: 5, character: 0}});
        assert.ok(outcome.ok);
        assert.equal(range(outcome.details), "5-8");
        assert.deepEqual(outcome.details.definitions, ["Flux_To_Mag"]);
        assert.match(outcome.request.attachment.text, /without compile_opt idl2, integers are 16-bit/);
    });
});

describe("Fortran: program units up to their END, case-insensitive", () => {
    test("a SUBROUTINE in capitals inside a module, with the module's parameters, type and function", () => {
        const {request, details} = explainAt("kepler_orbits.f90", 44);
        assert.equal(details.name, "orbit_position");
        assert.equal(range(details), "36-48");
        assert.equal(request.prompt, "Explain `orbit_position` in kepler_orbits.f90 (Fortran)");
        // The program's `use kepler_orbits` belongs to the program, not to this module.
        assert.deepEqual(details.imports, ["use, intrinsic :: iso_fortran_env, only: dp => real64", "use physical_constants, only: G_SI, M_SUN_SI"]);
        assert.deepEqual(details.definitions, ["orbit_t", "PI", "AU", "solve_kepler"]);
        // AU and DAY share one continued declaration: it is sent once, whole.
        assert.match(request.attachment.text, /real\(dp\), parameter :: AU = 1\.495978707e11_dp, & {2}! metres\n {25}DAY = 86400\.0_dp/);
        assert.match(request.attachment.text, /\n- Fortran: arrays are 1-based unless declared otherwise, and column-major;[^\n]*argument intent\.$/);
    });

    test("a typed pure function whose DO loop and IF end with END DO and END IF", () => {
        const {details} = explainAt("kepler_orbits.f90", 30);
        assert.equal(details.name, "solve_kepler");
        assert.equal(range(details), "23-34");
        assert.deepEqual(details.definitions, ["PI", "MAX_ITER"]);
    });

    test("an internal subroutine of a program; a local declaration hides the module's DAY", () => {
        const {details} = explainAt("kepler_orbits.f90", 69);
        assert.equal(details.name, "report");
        assert.equal(range(details), "67-71");
        assert.deepEqual(details.imports, ["use kepler_orbits"]);
        assert.deepEqual(details.definitions, []);
    });

    test("the program's own code explains the program; a derived type explains the type", () => {
        assert.equal(range(explainAt("kepler_orbits.f90", 60).details), "52-73");
        assert.equal(explainAt("kepler_orbits.f90", 16).details.name, "orbit_t");
    });

    test("fixed form: a C in column 1 is a comment; without IMPLICIT NONE the checks warn of implicit typing", () => {
        const text = [
            "C     Julian day number of a calendar date (Fliegel & Van Flandern 1968).",
            "      INTEGER FUNCTION JULDAY(IYYY, MM, ID)",
            "      JULDAY = ID - 32075 + 1461*(IYYY + 4800 + (MM - 14)/12)/4",
            "     &       + 367*(MM - 2 - (MM - 14)/12*12)/12",
            "     &       - 3*((IYYY + 4900 + (MM - 14)/12)/100)/4",
            "      RETURN",
            "      END"
        ].join("\n");
        const outcome = buildExplainRequest({text, languageId: "plaintext", fileName: "julday.f", cursor: {line: 3, character: 6}});
        assert.ok(outcome.ok);
        assert.equal(outcome.details.name, "JULDAY");
        assert.equal(range(outcome.details), "2-7");
        assert.match(outcome.request.attachment.text, /This file has no IMPLICIT NONE: names starting with I-N are integers\./);
    });
});

describe("C: functions by their braces, from the signature", () => {
    test("a function whose return type is on the line above its name, using CFITSIO", () => {
        const {request, details} = explainAt("read_image.c", 50);
        assert.equal(details.name, "read_image");
        assert.equal(range(details), "37-61");
        assert.equal(request.prompt, "Explain `read_image` in read_image.c (C, CFITSIO)");
        assert.deepEqual(details.imports, ["#include <stdio.h>", "#include <stdlib.h>", "#include <math.h>", "#include \"fitsio.h\""]);
        assert.deepEqual(details.definitions, ["image_t", "die"]);
        assert.deepEqual(details.stacks, ["fits", "cfitsio"]);
        assert.match(request.attachment.text, /CFITSIO: status must be 0 on entry/);
    });

    test("a function using macros, a static constant and a comparator", () => {
        const {request, details} = explainAt("read_image.c", 70);
        assert.equal(range(details), "63-79");
        assert.deepEqual(details.definitions, ["image_t", "compare_doubles", "CLIP_FRACTION", "MAD_TO_SIGMA"]);
        assert.equal(request.prompt, "Explain `median_background` in read_image.c (C)");
    });

    test("a typedef'd struct is named after its closing brace", () => {
        const {details} = explainAt("read_image.c", 19);
        assert.equal(details.name, "image_t");
        assert.equal(range(details), "18-22");
    });
});

describe("TypeScript and Julia", () => {
    test("a method around an anonymous callback; imports spanning lines", () => {
        const {request, details} = explainAt("airmass.ts", 19);
        assert.equal(details.name, "Observation.meanAirmass");
        assert.equal(range(details), "17-22");
        assert.deepEqual(details.imports, ["import {degreesToRadians} from \"./angles\";", "import type {\n    Site,\n} from \"./site\";"]);
        assert.deepEqual(details.definitions, ["airmass"]);
        assert.equal(request.prompt, "Explain `Observation.meanAirmass` in airmass.ts (TypeScript)");
    });

    test("an arrow function holding braces in a regular expression", () => {
        const {details} = explainAt("airmass.ts", 27);
        assert.equal(details.name, "extinguished");
        assert.equal(range(details), "25-28");
        assert.deepEqual(details.definitions, ["EXTINCTION_V", "airmass"]);
    });

    test("Julia: function … end around a for/if, a comprehension and `end` as an index", () => {
        const {request, details} = explainAt("distances.jl", 35);
        assert.equal(details.name, "distance_table");
        assert.equal(range(details), "31-39");
        assert.deepEqual(details.definitions, ["Cosmology", "luminosity_distance"]);
        assert.equal(request.prompt, "Explain `distance_table` in distances.jl (Julia, Unitful)");
    });

    test("Julia: a one-line method and a const are definitions; `end` in a docstring is not code", () => {
        const {details} = explainAt("distances.jl", 27);
        assert.equal(range(details), "24-29");
        assert.deepEqual(details.definitions, ["Cosmology", "E", "C_KM_S"]);
        assert.deepEqual(details.imports, ["using QuadGK", "using Unitful, UnitfulAstro", "import Base: show"]);
    });
});

describe("other languages and the editor's symbols", () => {
    const rScript = Array.from({length: 60}, (_, i) => `flux_${i} <- counts[${i}] / exptime`).join("\n");

    test("a language without a known structure: the 31 lines around the cursor", () => {
        const outcome = buildExplainRequest({text: rScript, languageId: "r", fileName: "calibrate.R", cursor: {line: 29, character: 0}});
        assert.ok(outcome.ok);
        assert.equal(range(outcome.details), "15-45");
        assert.equal(outcome.request.prompt, "Explain lines 15-45 of calibrate.R (r)");
        assert.match(outcome.request.attachment.text, /^Code from calibrate\.R \(r\): lines 15-45\.\n\nThe code to explain:\n```r\nflux_14 <- counts\[14\] \/ exptime\n/);
    });

    test("a language extension's symbols come first", () => {
        const symbols: OutlineSymbol[] = [{name: "calibrate", kind: "function", start: 20, end: 34}, {name: "flux_3", kind: "other", start: 3, end: 3}];
        const outcome = buildExplainRequest({text: rScript, languageId: "r", fileName: "calibrate.R", cursor: {line: 29, character: 0}, symbols});
        assert.ok(outcome.ok);
        assert.equal(range(outcome.details), "21-35");
        assert.equal(outcome.request.prompt, "Explain `calibrate` in calibrate.R (r)");
    });

    test("symbols that hold nothing around the cursor leave it to the file's own structure", () => {
        const symbols: OutlineSymbol[] = [{name: "gaussian_2d", kind: "function", start: 22, end: 26}];
        assert.equal(explainAt("photometry.py", 75, {symbols}).details.name, "aperture_flux");
    });

    test("a symbol starting at a decorated def is widened to its decorators", () => {
        const symbols: OutlineSymbol[] = [{name: "PointSource", kind: "class", start: 38, end: 67}, {name: "fit_psf", kind: "function", start: 52, end: 67}];
        const {details} = explainAt("photometry.py", 60, {symbols});
        assert.equal(range(details), "50-68");
        assert.equal(details.name, "PointSource.fit_psf");
    });

    test("the language comes from the file name when VS Code's id says nothing", () => {
        assert.equal(languageOf("plaintext", "stamp_flux.pro").family, "idl");
        assert.equal(languageOf("plaintext", "kepler_orbits.f90").fixedForm, false);
        assert.equal(languageOf("plaintext", "julday.F").fixedForm, true);
        assert.equal(languageOf("FortranFreeForm", "legacy.f").fixedForm, false);
        assert.equal(languageOf("cpp", "wcs_tool.h").displayName, "C++");
        assert.equal(languageOf("plaintext", "notes.txt").family, "other");
    });
});

describe("selections", () => {
    test("part of a method: its lines, with the method's signature for context", () => {
        // Lines 58-61, the selection ending at the start of line 62 (which is not included).
        const {request, details} = explainAt("photometry.py", 58, {selection: {start: {line: 57, character: 0}, end: {line: 61, character: 0}}});
        assert.equal(details.target.source, "selection");
        assert.equal(request.attachment.label, "photometry.py:58-61");
        assert.equal(request.prompt, "Explain lines 58-61 of photometry.py (Python, astropy)");
        assert.deepEqual(details.definitions, ["PointSource.pixel_position"]);
        assert.match(request.attachment.text, /^Code from photometry\.py \(Python\): lines 58-61, inside `PointSource\.fit_psf`\./);
        assert.match(request.attachment.text, /The code is inside this function:\n```python\n {4}@u\.quantity_input\(\n {8}pixel_scale=u\.arcsec,\n {4}\)\n {4}def fit_psf\(self, data, wcs, pixel_scale, box=15\):\n# …\n```/);
    });

    test("a selection of exactly a function is named after it", () => {
        const {request, details} = explainAt("photometry.py", 23, {selection: {start: {line: 22, character: 0}, end: {line: 26, character: 76}}});
        assert.equal(details.name, "gaussian_2d");
        assert.equal(request.prompt, "Explain `gaussian_2d` in photometry.py (Python, numpy)");
    });

    test("a selection inside one line is sent exactly", () => {
        const {request} = explainAt("photometry.py", 67, {selection: {start: {line: 66, character: 8}, end: {line: 66, character: 51}}});
        assert.equal(request.attachment.label, "photometry.py:67");
        assert.match(request.attachment.text, /The code to explain:\n```python\nfwhm = sigma \/ FWHM_TO_SIGMA \* pixel_scale\n```/);
    });

    test("code holding a fence gets a longer fence", () => {
        const text = "def show():\n    return '```python\\nprint(1)\\n```'\n";
        const outcome = buildExplainRequest({text, languageId: "python", fileName: "md.py", cursor: {line: 1, character: 4}});
        assert.ok(outcome.ok);
        assert.match(outcome.request.attachment.text, /The code to explain:\n````python\ndef show\(\):/);
    });
});

describe("the budget", () => {
    const longFunction = [
        "import numpy as np",
        "",
        "",
        "def reduce_night(frames):",
        ...Array.from({length: 400}, (_, i) => `    frame_${i} = np.median(frames[${i}], axis=0)  # bias level ${i}`),
        "    return frames",
        "",
        "",
        "def normalise(frame):",
        "    return frame / np.median(frame)"
    ].join("\n");

    test("the code, imports and definitions stay within the limit; the instructions add at most 2,000 characters", () => {
        for (const [name, line] of [["photometry.py", 60], ["photometry.py", 110], ["stamp_flux.pro", 45], ["kepler_orbits.f90", 44], ["read_image.c", 50]] as const) {
            const {request, details} = explainAt(name, line);
            assert.ok(details.codeCharacters <= MAX_CODE_CHARACTERS);
            const instructions = request.attachment.text.slice(request.attachment.text.indexOf("Explain this code to an astronomer"));
            assert.ok(instructions.length < 2_000, `${name}: ${instructions.length} characters of instructions`);
            assert.ok(request.attachment.text.length <= details.codeCharacters + 2_500, `${name}: ${request.attachment.text.length}`);
        }
    });

    test("a small budget keeps the code and leaves out what does not fit", () => {
        const whole = explainAt("photometry.py", 110).details;
        const {request, details} = explainAt("photometry.py", 110, {maxCodeCharacters: 800});
        assert.equal(details.target.text.length, 612);
        assert.ok(details.codeCharacters <= 800, `${details.codeCharacters}`);
        assert.ok(details.definitions.length < whole.definitions.length);
        assert.match(request.attachment.text, /from astropy\.io import fits\n# … and 2 more\n```/, "the imports that do not fit are counted");
        assert.equal(details.target.text.length, whole.target.text.length, "the code itself is whole");
    });

    test("a function too long to explain: its size, and smaller parts that fit", () => {
        const problem = problemOf({text: longFunction, languageId: "python", fileName: "night.py", cursor: {line: 200, character: 4}});
        assert.equal(problem.code, "tooLarge");
        assert.equal(problem.message, "reduce_night (lines 4-405) is too long to explain whole: 25,713 characters (402 lines), over the 12,000 AstroSage explains at a time. Select part of it, or explain:");
        assert.deepEqual(problem.choices.map((choice) => choice.label), ["First 190 lines", "31 lines around the cursor"]);

        // A choice is a selection that fits.
        for (const choice of problem.choices) {
            const outcome = buildExplainRequest({text: longFunction, languageId: "python", fileName: "night.py", cursor: {line: 200, character: 4}, selection: choice.selection});
            assert.ok(outcome.ok);
            assert.ok(outcome.details.target.text.length <= MAX_CODE_CHARACTERS);
        }
        assert.deepEqual(problem.choices[1]!.selection, {start: {line: 185, character: 0}, end: {line: 215, character: 64}});
    });

    test("a selection too long: the first lines that fit, or the function at the cursor", () => {
        const problem = problemOf({
            text: longFunction, languageId: "python", fileName: "night.py",
            cursor: {line: 408, character: 4}, selection: {start: {line: 0, character: 0}, end: {line: 408, character: 0}}
        });
        assert.equal(problem.message, "The selection is too long to explain: 25,759 characters (408 lines), over the 12,000 AstroSage explains at a time. Select less, or explain:");
        assert.deepEqual(problem.choices.map((choice) => choice.label), ["First 192 lines", "The function at the cursor"]);
        const atCursor = buildExplainRequest({text: longFunction, languageId: "python", fileName: "night.py", cursor: {line: 408, character: 4}, selection: problem.choices[1]!.selection});
        assert.ok(atCursor.ok);
        assert.equal(atCursor.request.prompt, "Explain `normalise` in night.py (Python, numpy)");
    });
});

describe("refusals that say what to do", () => {
    const at = (text: string, fileName: string, line = 0): ExplainInput => ({text, languageId: "plaintext", fileName, cursor: {line, character: 0}});

    test("an empty file", () => {
        const problem = problemOf(at("\n  \n", "empty.py"));
        assert.equal(problem.code, "empty");
        assert.equal(problem.message, "empty.py is empty: there is no code to explain.");
    });

    test("the cursor on a blank line outside any function", () => {
        const problem = problemOf(at(fixture("photometry.py"), "photometry.py", 21));
        assert.equal(problem.code, "noCode");
        assert.equal(problem.message, "Select code or put the cursor inside a function to explain it: there is no code at the cursor.");
    });

    test("a binary file", () => {
        const problem = problemOf(at("SIMPLE  =                    T\0\0\0\u0001", "image.fits"));
        assert.equal(problem.code, "binary");
        assert.match(problem.message, /^image\.fits looks like a binary file/);
    });

    test("minified code", () => {
        const problem = problemOf(at(`var a=1;${"f(a);".repeat(1000)}\n`, "viewer.min.js"));
        assert.equal(problem.code, "minified");
        assert.equal(problem.message, "viewer.min.js looks minified or generated (line 1 is 5,008 characters long), which AstroSage cannot explain usefully. Select a readable part, or open the original source.");
    });
});

describe("masking comments and strings", () => {
    const mask = (text: string, languageId: string, fileName: string) => maskCode(text, languageOf(languageId, fileName)).text;

    test("offsets and line breaks are kept; string delimiters stay", () => {
        const text = "x = 'a # b'  # comment\ny = \"\"\"\nend\n\"\"\"\n";
        const masked = mask(text, "python", "a.py");
        assert.equal(masked.length, text.length);
        assert.equal(masked, "x = '     '           \ny = \"\"\"\n   \n\"\"\"\n");
    });

    test("JavaScript: template literals with expressions, regular expressions, division", () => {
        assert.equal(mask("const s = `a{${b + '}'}c`; const r = /[{]/g; const q = x / 2 / y;", "javascript", "a.js"),
            "const s = `  ${b + ' '} `; const r = /   /g; const q = x / 2 / y;");
    });

    test("IDL: a \"-prefixed octal number is not a string; ; starts a comment", () => {
        assert.equal(mask("mask = \"777 & x ; 'note'", "idl", "a.pro"), "mask = \"777 & x         ");
    });

    test("Julia: an adjoint is not a character literal; block comments nest", () => {
        assert.equal(mask("y = A' * b'; c = 'e' #= a #= b =# c =# s = \"end\"", "julia", "a.jl"),
            `y = A' * b'; c = ' '${" ".repeat(19)}s = "   "`);
    });

    test("Fortran: ENDSUBROUTINE and ENDFUNCTION without a space end their unit", () => {
        const text = "module m\ncontains\nsubroutine a(x)\nx = 1\nendsubroutine a\nfunction b(x)\nb = x\nendfunction\nend module m\n";
        const outcome = buildExplainRequest({text, languageId: "fortran", fileName: "m.f90", cursor: {line: 6, character: 0}});
        assert.ok(outcome.ok);
        assert.equal(range(outcome.details), "6-8");
    });

    test("C: character literals, digit separators, preprocessor lines", () => {
        assert.equal(mask("#include \"x.h\"\nchar c = '{'; long n = 1'000'000;", "cpp", "a.cpp"),
            "              \nchar c = ' '; long n = 1'000'000;");
    });
});
