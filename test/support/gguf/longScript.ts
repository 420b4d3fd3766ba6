/**
 * Long scripts whose every word is its own token, for tests that need many
 * tokens streaming (stopping mid-answer, scrolling, throughput).
 *
 * Ordinary long text repeats words, and a scripted model must merge repeats
 * into longer pieces (lorem ipsum repeated 400 times comes out as ~150 tokens,
 * not 2,000). Numbering the words keeps every piece distinct, so `nWords`
 * words are exactly `nWords` tokens.
 */

const ASTRONOMY_WORDS = [
    "stars", "form", "in", "cold", "molecular", "clouds", "that", "collapse", "under", "gravity",
    "until", "hydrogen", "fusion", "ignites", "their", "cores", "and", "the", "luminosity", "scales",
    "roughly", "as", "mass", "cubed", "along", "main", "sequence", "while", "radius", "grows",
    "slowly", "galaxies", "assemble", "through", "mergers", "accretion", "dark", "matter", "halos", "redshift"
];

const WORDS_PER_SENTENCE = 12;
const SENTENCES_PER_PARAGRAPH = 5;

/**
 * `nWords` numbered, astronomy-flavoured words in sentences and paragraphs,
 * e.g. "Stars1 form2 in3 cold4 … gravity10 until11 hydrogen12.\n\n…".
 */
export function longScript(nWords: number): string {
    if (!Number.isInteger(nWords) || nWords < 1)
        throw new Error(`longScript needs a positive whole number of words, got ${nWords}`);

    let script = "";
    for (let index = 0; index < nWords; index++) {
        const positionInSentence = index % WORDS_PER_SENTENCE;
        const sentence = Math.floor(index / WORDS_PER_SENTENCE);
        const startsParagraph = positionInSentence === 0 && sentence > 0 && sentence % SENTENCES_PER_PARAGRAPH === 0;

        let word = ASTRONOMY_WORDS[index % ASTRONOMY_WORDS.length]! + (index + 1);
        if (positionInSentence === 0)
            word = word.charAt(0).toUpperCase() + word.slice(1);

        const separator = index === 0 ? "" : startsParagraph ? "\n\n" : " ";
        const ending = positionInSentence === WORDS_PER_SENTENCE - 1 || index === nWords - 1 ? "." : "";
        script += separator + word + ending;
    }
    return script;
}
