/**
 * A tiny Llama 3.1-format model whose greedy output, after any chat prompt, is
 * a chosen script followed by `<|eot_id|>`: a real GGUF for tests of the real
 * node-llama-cpp path, written in milliseconds, with no download.
 *
 * How it works (a hand-set "bigram" model):
 * - One transformer block with all attention and feed-forward weights zero, so
 *   the residual stream leaving the block is the token embedding unchanged.
 * - Each script piece's token embeds as its own one-hot "state"; every other
 *   token shares state 0. RMSNorm (weights 1) turns a one-hot into sqrt(d) times it.
 * - The output matrix gives state 0 a logit of 40 for the script's first piece,
 *   piece i's state a logit of 40 for piece i + 1, and the last piece's state
 *   40 for `<|eot_id|>`; everything else gets 0. A margin of 40 makes the output
 *   the same at any sane temperature, not only greedy.
 * - So whatever the prompt ends with (outside the script), the model emits the script and stops.
 *   A prompt that ends inside the script continues from there: with the
 *   assistant turn prefilled with `<think>` and a script starting with `<think>`,
 *   the model emits the rest of the script.
 */
import {float16Bits} from "./float16.ts";
import {GgmlType} from "./ggmlTypes.ts";
import {GgufWriter} from "./GgufWriter.ts";
import {createLlama3Vocabulary, setLlama3TokenizerMetadata, THINK_TOKENS, TokenType, type Llama3Vocabulary} from "./llama3Tokenizer.ts";
import {addLlamaBlockTensors, normOfOnes, setLlamaHyperparameters, type LlamaShape} from "./llamaArchitecture.ts";
import {splitScriptIntoPieces} from "./scriptPieces.ts";

export {longScript} from "./longScript.ts";
export {splitScriptIntoPieces} from "./scriptPieces.ts";

export type ScriptedModelOptions = {
    /**
     * `general.name`. Avoid "Llama 3.2" with a 1B/3B size label: node-llama-cpp
     * would pick its Llama 3.2 lightweight wrapper.
     *
     * Defaults to "AstroSage scripted test model".
     */
    name?: string;
    /**
     * The trained context length the file declares (`llama.context_length`).
     *
     * Defaults to 131072, as Llama 3.1 and AstroSage-8B files declare.
     */
    contextLength?: number;
    /**
     * `tokenizer.chat_template`; `null` writes none, like AstroSage GGUF files that lack one.
     *
     * Defaults to LLAMA_3_1_CHAT_TEMPLATE, which node-llama-cpp resolves to Llama3_1ChatWrapper.
     */
    chatTemplate?: string | null;
};

export type ScriptedModelInfo = {
    path: string;
    /** The pieces of the script, one token each, in the order the model emits them. */
    pieces: readonly string[];
    /** Tokens the model emits for the script, not counting the final `<|eot_id|>`. */
    scriptTokenCount: number;
    vocabularySize: number;
    /** Width of the model (`llama.embedding_length`): one dimension per state, rounded up. */
    embeddingLength: number;
    fileBytes: number;
};

/** The logit a state gives its successor (written as 40 / sqrt(d), since RMSNorm scales by sqrt(d)). */
const SUCCESSOR_LOGIT = 40;

/**
 * The output matrix alone is d × vocabulary with d ≈ pieces, so the file grows
 * with the square of the script: ~30 MB at 2,000 pieces. Past this it gets silly.
 */
const MAX_PIECES = 8000;

/** Writes a model at `path` whose answer to any chat prompt is exactly `script`. */
export async function writeScriptedModel(path: string, script: string, options: ScriptedModelOptions = {}): Promise<ScriptedModelInfo> {
    const {name = "AstroSage scripted test model", contextLength = 131072, chatTemplate} = options;

    const pieces = splitScriptIntoPieces(script);
    if (pieces.length > MAX_PIECES)
        throw new Error(`The script has ${pieces.length} pieces; a scripted model supports at most ${MAX_PIECES}. Use fewer, longer pieces.`);

    const vocabulary = createLlama3Vocabulary();
    const pieceIds = pieces.map((piece) => addPieceToken(vocabulary, piece));
    const {eot} = vocabulary.specialTokenIds;

    // State 0 is the shared "not in the script" state; piece i owns state i + 1.
    const stateCount = pieces.length + 1;
    const embeddingLength = Math.max(64, Math.ceil(stateCount / 32) * 32);
    const shape: LlamaShape = {
        blockCount: 1,
        embeddingLength,
        feedForwardLength: 64,
        headCount: 1,
        headCountKv: 1,
        headDimension: 32,
        contextLength
    };

    const stateOfToken = new Map(pieceIds.map((id, index) => [id, index + 1]));
    const successorOfState = [...pieceIds, eot];

    const writer = new GgufWriter();
    writer.setString("general.name", name);
    writer.setUint32("general.file_type", 1); // mostly F16
    setLlamaHyperparameters(writer, shape, vocabulary.size);
    setLlama3TokenizerMetadata(writer, vocabulary, chatTemplate === undefined ? {} : {chatTemplate});

    writer.addTensor({
        name: "token_embd.weight",
        dimensions: [embeddingLength, vocabulary.size],
        type: GgmlType.F16,
        data: float16Matrix(embeddingLength, vocabulary.size, (row, set) => set(stateOfToken.get(row) ?? 0, 1))
    });
    addLlamaBlockTensors(writer, shape, (_name, dimensions) => ({
        type: GgmlType.F16,
        data: new Uint8Array(dimensions[0] * dimensions[1] * 2)
    }));
    writer.addTensor(normOfOnes("output_norm.weight", embeddingLength));

    const successorWeight = SUCCESSOR_LOGIT / Math.sqrt(embeddingLength);
    const statesPredictingToken = groupStatesBySuccessor(successorOfState);
    writer.addTensor({
        name: "output.weight",
        dimensions: [embeddingLength, vocabulary.size],
        type: GgmlType.F16,
        data: float16Matrix(embeddingLength, vocabulary.size, (row, set) => {
            for (const state of statesPredictingToken.get(row) ?? [])
                set(state, successorWeight);
        })
    });

    const {fileBytes} = await writer.write(path);
    return {path, pieces, scriptTokenCount: pieces.length, vocabularySize: vocabulary.size, embeddingLength, fileBytes};
}

/** The piece's token, new unless the vocabulary has it already; think tags map to their own tokens. */
function addPieceToken(vocabulary: Llama3Vocabulary, piece: string): number {
    if ((THINK_TOKENS as readonly string[]).includes(piece))
        return vocabulary.add(piece, TokenType.USER_DEFINED);

    const id = vocabulary.add(piece);
    // A byte-level piece of plain ASCII such as "<|eot_id|>" would be the control token itself.
    if (vocabulary.tokenTypes[id] !== TokenType.NORMAL)
        throw new Error(`The script piece ${JSON.stringify(piece)} is a special token's text; a scripted model cannot emit it as text`);

    return id;
}

function groupStatesBySuccessor(successorOfState: readonly number[]): Map<number, number[]> {
    const statesByToken = new Map<number, number[]>();
    successorOfState.forEach((token, state) => {
        const states = statesByToken.get(token) ?? [];
        states.push(state);
        statesByToken.set(token, states);
    });
    return statesByToken;
}

/** A zero F16 matrix of `rows` rows of `rowLength`, with entries set by `fillRow`. */
function float16Matrix(
    rowLength: number,
    rows: number,
    fillRow: (row: number, set: (column: number, value: number) => void) => void
): Uint8Array {
    const values = new Uint16Array(rowLength * rows);
    for (let row = 0; row < rows; row++)
        fillRow(row, (column, value) => {
            values[row * rowLength + column] = float16Bits(value);
        });

    return new Uint8Array(values.buffer);
}
