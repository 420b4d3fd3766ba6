// Finding the referee's quote in the file reviewed: exact first, then tolerant of
// the differences between the file and the text the model read (line breaks,
// comments, `~`, TeX dashes and quotes). Every answer is checked by slicing the
// file's text, so offsets are exact.
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, test} from "node:test";
import {lineOfOffset, locateQuote, QuoteLocator} from "../../src/review/locateQuote.ts";

/** The text a quote was found at, or undefined. */
function found(text: string, quote: string, options?: Parameters<typeof locateQuote>[2]): string | undefined {
    const span = locateQuote(text, quote, options);
    return span == null ? undefined : text.slice(span.start, span.end);
}

const photometry = [
    "\\subsection{Photometry}",
    "We measured fluxes in a 3\\arcsec\\ aperture and corrected them",
    "for Galactic extinction % using SFD98, see below",
    "with the \\citet{2011ApJ...737..103S} recalibration.",
    "Magnitudes are in the AB system; 50\\% of the sources have S/N > 10.",
    "The spectral energy distribution of the host is shown in Figure~\\ref{fig:sed}.",
    ""
].join("\n");

describe("locateQuote", () => {
    test("an exact quote: its offsets", () => {
        const quote = "corrected them";
        const span = locateQuote(photometry, quote);
        assert.deepEqual(span, {start: photometry.indexOf(quote), end: photometry.indexOf(quote) + quote.length});
    });

    test("a quote whose lines the file wraps differently, with extra spaces and tabs in the quote", () => {
        assert.equal(found(photometry, "aperture and corrected them for Galactic"), "aperture and corrected them\nfor Galactic");
        assert.equal(found(photometry, "  a 3\\arcsec\\ aperture \t and\n corrected  "), "a 3\\arcsec\\ aperture and corrected");
    });

    test("a comment inside the file's span counts as whitespace; an escaped \\% is text", () => {
        assert.equal(found(photometry, "for Galactic extinction with the \\citet{2011ApJ...737..103S} recalibration"),
            "for Galactic extinction % using SFD98, see below\nwith the \\citet{2011ApJ...737..103S} recalibration");
        assert.equal(found(photometry, "AB system; 50\\% of the sources"), "AB system; 50\\% of the sources");
        // The comment's own words are not text the model read in place of the comment.
        assert.equal(found(photometry, "extinction using SFD98, see below with"), undefined);
    });

    test("~ and a space are the same; so is a non-breaking space", () => {
        assert.equal(found(photometry, "is shown in Figure \\ref{fig:sed}"), "is shown in Figure~\\ref{fig:sed}");
        assert.equal(found(photometry, "is shown in Figure\u00a0\\ref{fig:sed}"), "is shown in Figure~\\ref{fig:sed}");
        const tied = "as in Section 3 of the paper";
        assert.equal(found("Results, as in Section~3 of~the paper.", tied), "as in Section~3 of~the paper");
    });

    test("TeX dashes and quotes match the typographic ones the model may write", () => {
        const text = "the 1--10\\,keV band of the so-called ``hard state'' --- see below";
        assert.equal(found(text, "the 1–10\\,keV band of the so-called “hard state” — see"), "the 1--10\\,keV band of the so-called ``hard state'' --- see");
        assert.equal(found(text, "so-called \"hard state\""), "so-called ``hard state''");
        // A single hyphen is not a dash.
        assert.equal(found(text, "the 1-10\\,keV band"), undefined);
    });

    test("several occurrences: the one inside `within` wins, then the one nearest `near`", () => {
        const sentence = "the stellar mass function";
        const text = `Intro: ${sentence}.\nMethods: ${sentence}.\nResults: ${sentence}.\n`;
        const second = text.indexOf("Methods");
        const third = text.indexOf("Results");
        assert.equal(locateQuote(text, sentence)?.start, text.indexOf(sentence));
        assert.equal(locateQuote(text, sentence, {within: {start: second, end: third}})?.start, text.indexOf(sentence, second));
        assert.equal(locateQuote(text, sentence, {near: text.length})?.start, text.indexOf(sentence, third));
        // `within` first, `near` among what is inside it.
        assert.equal(locateQuote(text, sentence, {within: {start: second, end: text.length}, near: 0})?.start, text.indexOf(sentence, second));
        // Nothing inside `within`: the nearest elsewhere.
        assert.equal(locateQuote(text, sentence, {within: {start: 0, end: 5}, near: third})?.start, text.indexOf(sentence, third));
    });

    test("a re-wrapped occurrence inside `within` wins over an exact one outside it", () => {
        const text = "Abstract: we find a strong correlation.\n\\section{Results}\nWe find a strong\ncorrelation.\n";
        const results = text.indexOf("\\section");
        const span = locateQuote(text, "find a strong correlation", {within: {start: results, end: text.length}});
        assert.equal(span?.start, text.indexOf("find a strong\n"));
        assert.equal(text.slice(span!.start, span!.end), "find a strong\ncorrelation");
    });

    test("a quote that is not there, an empty one, a whitespace-only one", () => {
        assert.equal(locateQuote(photometry, "for Galactic reddening"), undefined);
        assert.equal(locateQuote(photometry, ""), undefined);
        assert.equal(locateQuote(photometry, " \n\t "), undefined);
        assert.equal(locateQuote(photometry, "~ ~"), undefined);
    });

    test("a quote shorter than 8 characters: only exact, only inside `within`", () => {
        const subsection = {start: 0, end: photometry.length};
        assert.equal(found(photometry, "AB  system"), "AB system", "8 characters and more: searched anywhere, loosely");
        assert.equal(found(photometry, "S/N > 10"), "S/N > 10");
        assert.equal(locateQuote(photometry, "AB sys"), undefined, "no `within`");
        assert.equal(found(photometry, " AB sys ", {within: subsection}), "AB sys");
        const tail = {start: photometry.indexOf("Magnitudes"), end: photometry.length};
        assert.equal(locateQuote(photometry, "fluxes", {within: tail}), undefined, "outside `within`");
        assert.equal(locateQuote(photometry, "Fig. \\ref", {within: subsection}), undefined);
        assert.equal(locateQuote(photometry, "in\nthe", {within: subsection}), undefined, "short quotes are not searched loosely");
    });

    test("one QuoteLocator serves several quotes of one file", () => {
        const locator = new QuoteLocator(photometry);
        for (const quote of ["aperture and corrected them for Galactic", "Figure \\ref{fig:sed}", "recalibration. Magnitudes"])
            assert.deepEqual(locator.locate(quote), locateQuote(photometry, quote), quote);
    });

    test("lineOfOffset: 1-based; a newline belongs to the line it ends", () => {
        const text = "a\nbc\n\nd";
        assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((offset) => lineOfOffset(text, offset)), [1, 1, 2, 2, 2, 3, 4, 4]);
    });

    test("the 117 KB celerite source: a long quote across a comment, a blank line and TeX ties and dashes; a worst case", (t) => {
        const text = readFileSync(path.resolve("test/fixtures/latex/dfm-celerite-paper/paper/ms.tex"), "utf8");
        assert.ok(text.length > 110_000);
        // As the model read it: comment gone, lines joined, `~--~` written as a dash.
        const quote = "This calculation, using \\celerite\\ with the model in \\eq{rot-kernel}, only takes $\\sim 1.5\\,\\mathrm{ms}$ – " +
            "a speed-up of more than three orders of magnitude per model evaluation. We set the mean function $\\mu_\\bvec{\\theta}$ to zero " +
            "and the remaining parameters $\\bvec{\\alpha}$ and their priors are listed in Table \\ref{tab:example-3-params}.";
        const started = performance.now();
        const span = locateQuote(text, quote);
        const elapsed = performance.now() - started;
        assert.ok(span != null);
        assert.equal(text.slice(span.start, span.end), [
            "This calculation, using \\celerite\\ with the model in \\eq{rot-kernel}, only",
            "    takes $\\sim 1.5\\,\\mathrm{ms}$~--~a speed-up of more than three orders of",
            "    magnitude per model evaluation. % :) closer to four orders of magnitude!",
            "",
            "    We set the mean function $\\mu_\\bvec{\\theta}$ to zero and the remaining",
            "    parameters $\\bvec{\\alpha}$ and their priors are listed in",
            "    Table~\\ref{tab:example-3-params}."
        ].join("\n"));
        assert.equal(lineOfOffset(text, span.start), 1422);
        assert.equal(lineOfOffset(text, span.end - 1), 1428);
        // Worst case: a long run the quote almost matches everywhere, and no match.
        const run = "a ".repeat(60_000);
        const nearMiss = `${"a ".repeat(200)}b`;
        const worstStarted = performance.now();
        assert.equal(locateQuote(run, nearMiss), undefined);
        t.diagnostic(`${text.length} characters: ${elapsed.toFixed(1)} ms; near-miss worst case: ${(performance.now() - worstStarted).toFixed(1)} ms`);
    });
});
