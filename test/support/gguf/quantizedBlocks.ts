/**
 * Random Q4_0 / Q8_0 tensor data, made in chunks so a benchmark model of
 * hundreds of MB streams to disk instead of being built in memory.
 *
 * Q4_0 block: float16 scale d, then 32 four-bit values q; weight = d × (q − 8).
 * Q8_0 block: float16 scale d, then 32 signed bytes q; weight = d × q.
 */
import {randomFillSync} from "node:crypto";
import {float16Bits} from "./float16.ts";
import {ggmlBlockBytes, GgmlType, QUANT_BLOCK_VALUES} from "./ggmlTypes.ts";

export type QuantizedType = typeof GgmlType.Q4_0 | typeof GgmlType.Q8_0;

/** Standard deviation of the quantized integers when their bits are uniformly random. */
const RANDOM_QUANT_STD: Record<QuantizedType, number> = {
    // q − 8 uniform on −8…7
    [GgmlType.Q4_0]: Math.sqrt((16 ** 2 - 1) / 12),
    // q uniform on −128…127
    [GgmlType.Q8_0]: Math.sqrt((256 ** 2 - 1) / 12)
};

/** The block scale that gives random weights of standard deviation `weightStd`. */
export function blockScaleForStd(type: QuantizedType, weightStd: number): number {
    return weightStd / RANDOM_QUANT_STD[type];
}

/**
 * `valueCount` random values of `type`, every block with scale `scale`, as
 * chunks of up to `blocksPerChunk` blocks.
 *
 * @param blocksPerChunk Defaults to 65536 (about 1–2 MB per chunk).
 */
export function* randomQuantizedBlocks(
    type: QuantizedType,
    valueCount: number,
    scale: number,
    blocksPerChunk: number = 65536
): Generator<Uint8Array> {
    if (valueCount % QUANT_BLOCK_VALUES !== 0)
        throw new Error(`Quantized data needs a multiple of ${QUANT_BLOCK_VALUES} values, got ${valueCount}`);

    const blockBytes = ggmlBlockBytes(type);
    const scaleBits = float16Bits(scale);
    let blocksLeft = valueCount / QUANT_BLOCK_VALUES;

    while (blocksLeft > 0) {
        const blocks = Math.min(blocksLeft, blocksPerChunk);
        // A fresh buffer per chunk: the writer may still hold the previous one.
        const chunk = Buffer.allocUnsafe(blocks * blockBytes);
        randomFillSync(chunk);
        for (let offset = 0; offset < chunk.byteLength; offset += blockBytes)
            chunk.writeUInt16LE(scaleBits, offset);

        yield chunk;
        blocksLeft -= blocks;
    }
}
