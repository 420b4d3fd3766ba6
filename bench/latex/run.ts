/**
 * LaTeX benchmark: time to the manuscript model, cold and warm, through the
 * extension's worker (parse.ts), and time to the first token of a follow-up
 * question about an evaluated paper: cold, warm and from its saved state
 * (followUp.ts, on the 1B-shaped model; about three minutes). See each file for
 * what is measured and the goals.
 *
 *     npm run bench:latex              both
 *     npm run bench:latex -- --parse   the manuscript model only
 *
 * The report goes to stdout, the figures to bench-results/latex.json.
 */
import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {formatFollowUpReport, measureFollowUp} from "./followUp.ts";
import {measureLatexParsing} from "./parse.ts";

const RESULTS_PATH = path.resolve("bench-results/latex.json");

async function main(): Promise<void> {
    const parsing = await measureLatexParsing();
    process.stdout.write(`${parsing.report}\n`);
    const followUp = process.argv.includes("--parse")
        ? undefined
        : await measureFollowUp({progress: (line) => process.stderr.write(`${line}\n`)});
    if (followUp != null)
        process.stdout.write(`\n${formatFollowUpReport(followUp)}\n`);
    await mkdir(path.dirname(RESULTS_PATH), {recursive: true});
    await writeFile(RESULTS_PATH, `${JSON.stringify({parsing: parsing.results, followUp}, null, 2)}\n`);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
