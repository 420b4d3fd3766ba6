/**
 * A small Llama 3.1-style vocabulary and the tokenizer metadata that goes with
 * it, so test models exercise the same path as a real AstroSage (Llama 3.1) file:
 * the "gpt2"/"llama-bpe" tokenizer, Llama 3.1's control tokens, and the official
 * chat template, which node-llama-cpp resolves to its Llama3_1ChatWrapper.
 */
import {BYTE_LEVEL_CHARACTERS, toByteLevel} from "./byteLevel.ts";
import {COMMON_WORDS} from "./commonWords.ts";
import type {GgufWriter} from "./GgufWriter.ts";
import {LLAMA_3_1_CHAT_TEMPLATE} from "./llama31ChatTemplate.ts";

export {LLAMA_3_1_CHAT_TEMPLATE, LLAMA_3_1_CHAT_TEMPLATE_SHA256} from "./llama31ChatTemplate.ts";

/** llama.cpp's token types (`llama_token_type`). */
export const TokenType = {
    NORMAL: 1,
    CONTROL: 3,
    USER_DEFINED: 4
} as const;
export type TokenType = (typeof TokenType)[keyof typeof TokenType];

/** Llama 3.1's control tokens. */
export const LLAMA_3_1_CONTROL_TOKENS = [
    "<|begin_of_text|>",
    "<|end_of_text|>",
    "<|start_header_id|>",
    "<|end_header_id|>",
    "<|eot_id|>",
    "<|eom_id|>",
    "<|python_tag|>",
    "<|finetune_right_pad_id|>"
] as const;

/**
 * AstroSage-70B's reasoning markers. USER_DEFINED, so llama.cpp matches them
 * whole in any text and prints them when detokenizing (control tokens it hides).
 */
export const THINK_TOKENS = ["<think>", "</think>"] as const;

/** Ids of the tokens a Llama 3.1 Instruct file names in its metadata. */
export type Llama3SpecialTokenIds = {
    /** `<|begin_of_text|>` */
    bos: number;
    /** `<|eot_id|>`: Llama 3.1 Instruct files use the end-of-turn token as EOS. */
    eos: number;
    /** `<|eot_id|>` */
    eot: number;
    /** `<|eom_id|>`. It must be one control token, or node-llama-cpp falls back to Llama3ChatWrapper. */
    eom: number;
};

/** An ordered token list with unique texts (llama.cpp aborts on a duplicate). */
export class Llama3Vocabulary {
    readonly #texts: string[] = [];
    readonly #types: TokenType[] = [];
    readonly #ids = new Map<string, number>();

    public get size(): number {
        return this.#texts.length;
    }

    public get tokens(): readonly string[] {
        return this.#texts;
    }

    public get tokenTypes(): readonly TokenType[] {
        return this.#types;
    }

    public get specialTokenIds(): Llama3SpecialTokenIds {
        const eot = this.#requireId("<|eot_id|>");
        return {bos: this.#requireId("<|begin_of_text|>"), eos: eot, eot, eom: this.#requireId("<|eom_id|>")};
    }

    /** The id of a token given in its stored (byte-level, or special) form. */
    public idOf(storedText: string): number | undefined {
        return this.#ids.get(storedText);
    }

    /** The id of the token for plain `text` (a special token's text is used as is). */
    public idOfText(text: string): number | undefined {
        return this.#ids.get(storedForm(text));
    }

    /**
     * Adds a token for plain `text`, or returns the id it already has.
     * Special tokens (control, user-defined) are stored as written; normal ones in byte-level form.
     */
    public add(text: string, type: TokenType = TokenType.NORMAL): number {
        return this.addStored(type === TokenType.NORMAL ? toByteLevel(text) : text, type);
    }

    /** Adds a token already in stored form, or returns the id it already has. */
    public addStored(storedText: string, type: TokenType = TokenType.NORMAL): number {
        const existing = this.#ids.get(storedText);
        if (existing != null)
            return existing;

        const id = this.#texts.length;
        this.#texts.push(storedText);
        this.#types.push(type);
        this.#ids.set(storedText, id);
        return id;
    }

    #requireId(storedText: string): number {
        const id = this.#ids.get(storedText);
        if (id == null)
            throw new Error(`The vocabulary has no ${storedText} token`);

        return id;
    }
}

function storedForm(text: string): string {
    const isSpecial = (LLAMA_3_1_CONTROL_TOKENS as readonly string[]).includes(text) ||
        (THINK_TOKENS as readonly string[]).includes(text);
    return isSpecial ? text : toByteLevel(text);
}

/**
 * The base test vocabulary: the 256 byte-level characters (so any text
 * tokenizes), Llama 3.1's control tokens, `<think>`/`</think>`, newline runs,
 * and COMMON_WORDS whole, with and without a leading space and capitalized.
 * Callers may add more tokens (a scripted model adds its script's pieces).
 */
export function createLlama3Vocabulary(): Llama3Vocabulary {
    const vocabulary = new Llama3Vocabulary();
    for (const character of BYTE_LEVEL_CHARACTERS)
        vocabulary.addStored(character);
    for (const token of LLAMA_3_1_CONTROL_TOKENS)
        vocabulary.add(token, TokenType.CONTROL);
    for (const token of THINK_TOKENS)
        vocabulary.add(token, TokenType.USER_DEFINED);

    // Llama 3's pre-tokenizer keeps runs of newlines together ("\n\n" ends every header).
    for (const whitespace of ["\n\n", "\n\n\n", " \n", " \n\n", "  ", "   ", "    "])
        vocabulary.add(whitespace);

    for (const word of COMMON_WORDS) {
        const capitalized = word.charAt(0).toUpperCase() + word.slice(1);
        for (const form of [word, " " + word, capitalized, " " + capitalized])
            vocabulary.add(form);
    }

    return vocabulary;
}

/**
 * Merges for the two-character tokens, so `tokenizer.ggml.merges` is a real
 * (if tiny) merge table. With the "llama-bpe" pre-tokenizer llama.cpp takes a
 * pre-split word straight from the vocabulary when it is there, so merges
 * barely matter, but llama.cpp refuses a "gpt2" tokenizer without the key.
 */
function twoCharacterMerges(vocabulary: Llama3Vocabulary): string[] {
    return vocabulary.tokens
        .filter((token, id) => vocabulary.tokenTypes[id] === TokenType.NORMAL && [...token].length === 2)
        .map((token) => [...token].join(" "));
}

export type Llama3TokenizerMetadataOptions = {
    /**
     * The Jinja chat template to store as `tokenizer.chat_template`; `null` stores none
     * (AstroSage GGUF files may have none, so the extension must not depend on it).
     *
     * Defaults to LLAMA_3_1_CHAT_TEMPLATE.
     */
    chatTemplate?: string | null;
};

/** Writes the `tokenizer.*` keys a Llama 3.1 Instruct GGUF has, for `vocabulary`. */
export function setLlama3TokenizerMetadata(
    writer: GgufWriter,
    vocabulary: Llama3Vocabulary,
    {chatTemplate = LLAMA_3_1_CHAT_TEMPLATE}: Llama3TokenizerMetadataOptions = {}
) {
    const ids = vocabulary.specialTokenIds;
    writer
        .setString("tokenizer.ggml.model", "gpt2")
        .setString("tokenizer.ggml.pre", "llama-bpe")
        .setStringArray("tokenizer.ggml.tokens", vocabulary.tokens)
        .setInt32Array("tokenizer.ggml.token_type", vocabulary.tokenTypes)
        .setStringArray("tokenizer.ggml.merges", twoCharacterMerges(vocabulary))
        .setUint32("tokenizer.ggml.bos_token_id", ids.bos)
        .setUint32("tokenizer.ggml.eos_token_id", ids.eos)
        .setUint32("tokenizer.ggml.eot_token_id", ids.eot)
        .setUint32("tokenizer.ggml.eom_token_id", ids.eom)
        .setBool("tokenizer.ggml.add_bos_token", true);

    if (chatTemplate != null)
        writer.setString("tokenizer.chat_template", chatTemplate);
}
