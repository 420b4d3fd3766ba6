/**
 * A model with a real architecture's shapes and random quantized weights, for
 * the engine benchmark. llama.cpp's speed does not depend on the weights'
 * values, so such a file measures real throughput without any download. Its
 * output is gibberish, but never NaN: block scales give each weight matrix
 * the spread of a trained one (standard deviation 1 / sqrt(input width)).
 */
import {toByteLevel} from "./byteLevel.ts";
import {GgmlType} from "./ggmlTypes.ts";
import {GgufWriter} from "./GgufWriter.ts";
import {createLlama3Vocabulary, setLlama3TokenizerMetadata} from "./llama3Tokenizer.ts";
import {addLlamaBlockTensors, normOfOnes, setLlamaHyperparameters, type LlamaShape} from "./llamaArchitecture.ts";
import {blockScaleForStd, randomQuantizedBlocks, type QuantizedType} from "./quantizedBlocks.ts";

export {randomQuantizedBlocks} from "./quantizedBlocks.ts";
export type {LlamaShape} from "./llamaArchitecture.ts";

/** Llama-3.2-1B's transformer (its vocabulary aside). */
export const LLAMA_3_2_1B_SHAPE: LlamaShape = {
    blockCount: 16,
    embeddingLength: 2048,
    feedForwardLength: 8192,
    headCount: 32,
    headCountKv: 8,
    contextLength: 131072
};

/** Llama 3's real vocabulary size, for when the output layer's cost should be realistic too. */
export const LLAMA_3_VOCABULARY_SIZE = 128256;

export type RandomModelOptions = {
    /**
     * How the weights are stored. Q4_0 is close to the ~4.5 bits per weight of
     * the Q4_K_M files users run; Q8_0 to the official AstroSage Q8_0 file.
     *
     * Defaults to Q4_0.
     */
    quantization?: QuantizedType;
    /**
     * Pads the vocabulary with filler tokens up to this size, so the embedding
     * and output layers cost what a real Llama 3 vocabulary (128256) costs.
     *
     * Defaults to the small test vocabulary (about 2,100 tokens).
     */
    vocabularySize?: number;
    /**
     * `general.name`. Avoid "Llama 3.2": node-llama-cpp would pick its Llama 3.2
     * lightweight chat wrapper instead of the Llama 3.1 one.
     *
     * Defaults to "AstroSage benchmark model (random weights)".
     */
    name?: string;
    /**
     * Writes only the GGUF header, without the tensor data: enough for
     * node-llama-cpp's GGUF insights to estimate what the model needs, in a few
     * MB instead of gigabytes. Such a file cannot be loaded.
     *
     * Defaults to false.
     */
    headerOnly?: boolean;
};

export type RandomModelInfo = {
    path: string;
    vocabularySize: number;
    /** Matrix weights in the file (norms aside), embedding and output layers included. */
    parameterCount: number;
    fileBytes: number;
};

/** ggml's `llama_ftype` for files that are mostly of one quantized type. */
const FILE_TYPE: Record<QuantizedType, number> = {
    [GgmlType.Q4_0]: 2,
    [GgmlType.Q8_0]: 7
};

/** Writes a random-weight model of `shape` at `path`, streaming its tensors to disk. */
export async function writeRandomModel(
    path: string,
    shape: LlamaShape = LLAMA_3_2_1B_SHAPE,
    options: RandomModelOptions = {}
): Promise<RandomModelInfo> {
    const {quantization = GgmlType.Q4_0, name = "AstroSage benchmark model (random weights)", headerOnly = false} = options;

    const vocabulary = createLlama3Vocabulary();
    const vocabularySize = options.vocabularySize ?? vocabulary.size;
    if (vocabularySize < vocabulary.size)
        throw new Error(`vocabularySize must be at least the test vocabulary's ${vocabulary.size} tokens`);
    // Fillers as normal tokens: the pre-tokenizer splits "<unused12>" apart, so
    // prompts never contain them, and they add no special-token matching cost.
    for (let filler = 0; vocabulary.size < vocabularySize; filler++)
        vocabulary.addStored(toByteLevel(`<unused${filler}>`));

    const writer = new GgufWriter();
    writer.setString("general.name", name);
    writer.setUint32("general.file_type", FILE_TYPE[quantization]);
    setLlamaHyperparameters(writer, shape, vocabulary.size);
    setLlama3TokenizerMetadata(writer, vocabulary);

    let parameterCount = 0;
    const randomMatrix = (dimensions: readonly [number, number]) => {
        const [inputWidth, outputWidth] = dimensions;
        parameterCount += inputWidth * outputWidth;
        const scale = blockScaleForStd(quantization, 1 / Math.sqrt(inputWidth));
        return {type: quantization, data: () => randomQuantizedBlocks(quantization, inputWidth * outputWidth, scale)};
    };
    const embeddingDimensions = [shape.embeddingLength, vocabulary.size] as const;

    writer.addTensor({name: "token_embd.weight", dimensions: embeddingDimensions, ...randomMatrix(embeddingDimensions)});
    addLlamaBlockTensors(writer, shape, (_name, dimensions) => randomMatrix(dimensions));
    writer.addTensor(normOfOnes("output_norm.weight", shape.embeddingLength));
    writer.addTensor({name: "output.weight", dimensions: embeddingDimensions, ...randomMatrix(embeddingDimensions)});

    const {fileBytes} = await writer.write(path, {headerOnly});
    return {path, vocabularySize: vocabulary.size, parameterCount, fileBytes};
}
