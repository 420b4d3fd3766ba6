/**
 * The ggml tensor types the test models use, and how many bytes a tensor of
 * each takes in a GGUF file.
 */

/** ggml type ids as GGUF stores them (`ggml_type` in ggml.h). */
export const GgmlType = {
    F32: 0,
    F16: 1,
    Q4_0: 2,
    Q8_0: 8
} as const;
export type GgmlType = (typeof GgmlType)[keyof typeof GgmlType];

/** Quantized types store blocks of 32 values along a row: a float16 scale, then the packed values. */
export const QUANT_BLOCK_VALUES = 32;

const blockBytes: Record<GgmlType, {values: number; bytes: number}> = {
    [GgmlType.F32]: {values: 1, bytes: 4},
    [GgmlType.F16]: {values: 1, bytes: 2},
    // 2-byte scale + 32 four-bit values.
    [GgmlType.Q4_0]: {values: QUANT_BLOCK_VALUES, bytes: 2 + QUANT_BLOCK_VALUES / 2},
    // 2-byte scale + 32 signed bytes.
    [GgmlType.Q8_0]: {values: QUANT_BLOCK_VALUES, bytes: 2 + QUANT_BLOCK_VALUES}
};

/** Bytes of one block of `type` (one value for F32/F16, 32 values for Q4_0/Q8_0). */
export function ggmlBlockBytes(type: GgmlType): number {
    return blockBytes[type].bytes;
}

/**
 * Bytes a tensor of `type` and `dimensions` (row length first) occupies.
 * Throws when a quantized tensor's rows are not whole blocks, which ggml would reject.
 */
export function ggmlTensorBytes(type: GgmlType, dimensions: readonly number[]): number {
    const {values, bytes} = blockBytes[type];
    const rowLength = dimensions[0] ?? 1;
    if (rowLength % values !== 0)
        throw new Error(`A ${ggmlTypeName(type)} tensor needs rows that are a multiple of ${values} values, got ${rowLength}`);

    const elements = dimensions.reduce((product, dimension) => product * dimension, 1);
    return (elements / values) * bytes;
}

export function ggmlTypeName(type: GgmlType): string {
    return Object.entries(GgmlType).find(([, id]) => id === type)?.[0] ?? `type ${type}`;
}
