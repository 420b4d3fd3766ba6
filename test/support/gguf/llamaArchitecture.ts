/**
 * The "llama" architecture as llama.cpp loads it: its hyperparameter keys and
 * the tensors of each transformer block.
 */
import {GgmlType} from "./ggmlTypes.ts";
import type {GgufTensor, GgufTensorData, GgufWriter} from "./GgufWriter.ts";

export type LlamaShape = {
    /** Transformer blocks (`llama.block_count`). */
    blockCount: number;
    /** Width of the residual stream (`llama.embedding_length`). */
    embeddingLength: number;
    /** Hidden width of each feed-forward network (`llama.feed_forward_length`). */
    feedForwardLength: number;
    /** Query heads (`llama.attention.head_count`). */
    headCount: number;
    /** Key/value heads (`llama.attention.head_count_kv`); fewer than headCount is grouped-query attention. */
    headCountKv: number;
    /**
     * Width of one head, also the RoPE dimension. When it differs from
     * embeddingLength / headCount it is written as `llama.attention.key_length`/`value_length`.
     *
     * Defaults to embeddingLength / headCount.
     */
    headDimension?: number;
    /** Trained context length (`llama.context_length`); node-llama-cpp caps context sizes at it. */
    contextLength: number;
};

/** Llama 3.x's RoPE base and RMSNorm epsilon. */
const ROPE_FREQUENCY_BASE = 500000;
const RMS_NORM_EPSILON = 1e-5;

export function headDimensionOf(shape: LlamaShape): number {
    return shape.headDimension ?? shape.embeddingLength / shape.headCount;
}

/** Writes `general.architecture` and the `llama.*` hyperparameters. */
export function setLlamaHyperparameters(writer: GgufWriter, shape: LlamaShape, vocabularySize: number) {
    const headDimension = headDimensionOf(shape);
    if (!Number.isInteger(headDimension))
        throw new Error(`embeddingLength ${shape.embeddingLength} is not a multiple of headCount ${shape.headCount}`);

    writer
        .setString("general.architecture", "llama")
        .setUint32("llama.vocab_size", vocabularySize)
        .setUint32("llama.context_length", shape.contextLength)
        .setUint32("llama.embedding_length", shape.embeddingLength)
        .setUint32("llama.block_count", shape.blockCount)
        .setUint32("llama.feed_forward_length", shape.feedForwardLength)
        .setUint32("llama.attention.head_count", shape.headCount)
        .setUint32("llama.attention.head_count_kv", shape.headCountKv)
        .setUint32("llama.rope.dimension_count", headDimension)
        .setFloat32("llama.rope.freq_base", ROPE_FREQUENCY_BASE)
        .setFloat32("llama.attention.layer_norm_rms_epsilon", RMS_NORM_EPSILON);

    if (headDimension * shape.headCount !== shape.embeddingLength) {
        writer.setUint32("llama.attention.key_length", headDimension);
        writer.setUint32("llama.attention.value_length", headDimension);
    }
}

/** A matrix's type and bytes, chosen by the model being written. */
export type MatrixSource = (name: string, dimensions: readonly [number, number]) => {type: GgmlType; data: GgufTensorData};

/**
 * Adds every block's tensors: RMSNorm weights of 1 (F32, as llama.cpp expects
 * norms), and attention and feed-forward matrices from `matrix`.
 */
export function addLlamaBlockTensors(writer: GgufWriter, shape: LlamaShape, matrix: MatrixSource) {
    const headDimension = headDimensionOf(shape);
    const queryWidth = headDimension * shape.headCount;
    const keyValueWidth = headDimension * shape.headCountKv;
    const {embeddingLength: embedding, feedForwardLength: feedForward} = shape;

    const matrices: [string, [number, number]][] = [
        ["attn_q", [embedding, queryWidth]],
        ["attn_k", [embedding, keyValueWidth]],
        ["attn_v", [embedding, keyValueWidth]],
        ["attn_output", [queryWidth, embedding]],
        ["ffn_gate", [embedding, feedForward]],
        ["ffn_up", [embedding, feedForward]],
        ["ffn_down", [feedForward, embedding]]
    ];

    for (let block = 0; block < shape.blockCount; block++) {
        writer.addTensor(normOfOnes(`blk.${block}.attn_norm.weight`, embedding));
        writer.addTensor(normOfOnes(`blk.${block}.ffn_norm.weight`, embedding));
        for (const [kind, dimensions] of matrices) {
            const name = `blk.${block}.${kind}.weight`;
            writer.addTensor({name, dimensions, ...matrix(name, dimensions)});
        }
    }
}

/** An RMSNorm weight vector of ones, so the norm only rescales. */
export function normOfOnes(name: string, length: number): GgufTensor {
    const ones = new Float32Array(length).fill(1);
    return {name, dimensions: [length], type: GgmlType.F32, data: new Uint8Array(ones.buffer)};
}
