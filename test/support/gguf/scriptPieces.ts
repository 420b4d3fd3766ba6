/**
 * Splits a script into the tokens a scripted model will emit, one after another.
 *
 * The model predicts the next token from the current token alone, so every
 * piece must be a different token: a piece that appeared twice would have two
 * successors. Pieces are "leading whitespace + word"; `<think>` and `</think>`
 * stand alone (they are their own tokens, as in AstroSage-70B's output); and a
 * piece seen before is merged with the pieces after it until it is new.
 */
import {THINK_TOKENS} from "./llama3Tokenizer.ts";

/**
 * The token that ends every Llama 3.1 generation prompt
 * (`<|start_header_id|>assistant<|end_header_id|>\n\n`). It has to stay outside
 * the script so that it predicts the script's first piece.
 */
export const PROMPT_END_TEXT = "\n\n";

const thinkTagPattern = /(<\/?think>)/;
const wordPattern = /\s*\S+/g;

/** The script's pieces, in order; they join back to `script` exactly and are all different. */
export function splitScriptIntoPieces(script: string): string[] {
    if (script === "")
        throw new Error("A scripted model needs a non-empty script");

    return makePiecesUnique(splitIntoAtoms(script));
}

function isThinkTag(piece: string): boolean {
    return (THINK_TOKENS as readonly string[]).includes(piece);
}

/** Think tags alone; other text as "whitespace + word", trailing whitespace kept on the last word. */
function splitIntoAtoms(script: string): string[] {
    const atoms: string[] = [];
    for (const segment of script.split(thinkTagPattern)) {
        if (segment === "")
            continue;
        if (isThinkTag(segment)) {
            atoms.push(segment);
            continue;
        }

        const words = segment.match(wordPattern) ?? [];
        const trailingWhitespace = segment.slice(words.join("").length);
        if (words.length === 0)
            atoms.push(trailingWhitespace);
        else {
            words[words.length - 1] += trailingWhitespace;
            atoms.push(...words);
        }
    }
    return atoms;
}

function makePiecesUnique(atoms: readonly string[]): string[] {
    const pieces: string[] = [];
    const used = new Set<string>();
    const isTaken = (piece: string) => used.has(piece) || piece === PROMPT_END_TEXT;

    let next = 0;
    while (next < atoms.length) {
        let piece = atoms[next++]!;

        // Grow forward: a repeated word takes the words after it along.
        while (isTaken(piece) && !isThinkTag(piece) && next < atoms.length && !isThinkTag(atoms[next]!))
            piece += atoms[next++]!;

        // At the end of the script (or against a think tag), grow backward instead.
        while (isTaken(piece) && !isThinkTag(piece) && pieces.length > 0 && !isThinkTag(pieces.at(-1)!)) {
            const previous = pieces.pop()!;
            used.delete(previous);
            piece = previous + piece;
        }

        if (isTaken(piece))
            throw new Error(`The script cannot be split into distinct tokens around ${JSON.stringify(piece)}: ` + (
                isThinkTag(piece)
                    ? "a scripted model can emit each think tag only once"
                    : "a piece may not repeat, nor be the \"\\n\\n\" that ends every Llama 3.1 prompt"
            ));

        used.add(piece);
        pieces.push(piece);
    }
    return pieces;
}
