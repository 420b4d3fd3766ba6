/**
 * GPT-2's byte-level alphabet, which Llama 3 vocabularies use: every byte maps
 * to one printable character (a space becomes "Ġ", a newline "Ċ"), and a token
 * is stored as the characters of its UTF-8 bytes. llama.cpp decodes tokens of a
 * "gpt2" tokenizer this way, so any text, including "M_⊙" or "Å", can be a token.
 */

/** The 256 byte-level characters, indexed by byte value (GPT-2's `bytes_to_unicode`). */
export const BYTE_LEVEL_CHARACTERS: readonly string[] = buildByteLevelCharacters();

function buildByteLevelCharacters(): string[] {
    const printable = (byte: number) =>
        (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);

    const characters: string[] = [];
    let nextSubstitute = 256;
    for (let byte = 0; byte < 256; byte++)
        characters[byte] = String.fromCodePoint(printable(byte) ? byte : nextSubstitute++);

    return characters;
}

/** Text as a byte-level token string, e.g. `" Sun"` → `"ĠSun"`. */
export function toByteLevel(text: string): string {
    let result = "";
    for (const byte of Buffer.from(text, "utf8"))
        result += BYTE_LEVEL_CHARACTERS[byte];

    return result;
}
