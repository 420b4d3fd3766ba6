/**
 * How many characters of this manuscript make a token for this model, measured
 * by tokenizing a sample of it: LaTeX heavy with math or tables packs fewer
 * characters per token than prose, and each model's tokenizer differs. The
 * summary's parts are sized with it, so they fit the context without wasting
 * it. No `vscode` import.
 */
import type {ChatBackend} from "../core/chatTypes.ts";
import type {Manuscript, ManuscriptSection} from "../latex/Manuscript.ts";
import {DEFAULT_CHARACTERS_PER_TOKEN} from "./planSummary.ts";

/** Enough text to average over prose, math and tables; tokenizing it takes milliseconds. */
const SAMPLE_CHARACTERS = 24_000;

/**
 * Characters per token, rounded down a little (parts differ from the sample);
 * the default when the backend cannot count or the manuscript has no text.
 */
export async function measureCharactersPerToken(backend: ChatBackend, manuscript: Manuscript, signal: AbortSignal): Promise<number> {
    const sample = sampleText(manuscript);
    if (backend.countTokens == null || sample.length < 200)
        return DEFAULT_CHARACTERS_PER_TOKEN;
    const tokens = await backend.countTokens(sample, signal);
    if (tokens == null || tokens === 0)
        return DEFAULT_CHARACTERS_PER_TOKEN;
    // 10% below the sample's ratio: a part denser than the sample must still fit.
    return Math.min(6, Math.max(1, (sample.length / tokens) * 0.9));
}

/** Text from across the manuscript: a slice of every section in turn, up to the sample size. */
function sampleText(manuscript: Manuscript): string {
    const texts = [...manuscript.preface, ...flatten(manuscript.sections).flatMap((section) => section.body)]
        .map((text) => text.text).filter((text) => text.trim() !== "");
    if (texts.length === 0)
        return "";
    const share = Math.ceil(SAMPLE_CHARACTERS / texts.length);
    return texts.map((text) => text.slice(0, share)).join("\n").slice(0, SAMPLE_CHARACTERS);
}

function flatten(sections: readonly ManuscriptSection[]): ManuscriptSection[] {
    return sections.flatMap((section) => [section, ...flatten(section.children)]);
}
