/**
 * A small GGUF v3 writer: metadata key/values and tensors, written to disk with
 * the tensor data streamed, so a model of hundreds of MB never sits in memory.
 *
 * The layout follows ggml's gguf.h. The one rule llama.cpp is strict about:
 * each tensor's offset must be the running total of the earlier tensors' sizes,
 * each padded to the alignment. Offsets that are merely aligned are rejected.
 */
import {open} from "node:fs/promises";
import {ggmlTensorBytes, type GgmlType} from "./ggmlTypes.ts";

/** GGUF metadata value type ids (`gguf_type` in gguf.h). */
const GgufValueType = {
    UINT32: 4,
    INT32: 5,
    FLOAT32: 6,
    BOOL: 7,
    STRING: 8,
    ARRAY: 9
} as const;

/** The metadata value kinds the test models need. */
export type GgufMetadataValue =
    | {type: "uint32"; value: number}
    | {type: "int32"; value: number}
    | {type: "float32"; value: number}
    | {type: "bool"; value: boolean}
    | {type: "string"; value: string}
    | {type: "stringArray"; value: readonly string[]}
    | {type: "int32Array"; value: readonly number[]}
    | {type: "float32Array"; value: readonly number[]};

/** Tensor bytes: whole, or as chunks made on demand so a large tensor is never held at once. */
export type GgufTensorData = Uint8Array | (() => Iterable<Uint8Array>);

export type GgufTensor = {
    /** The name llama.cpp looks up, e.g. `blk.0.attn_q.weight`. */
    name: string;
    /** Row length first, as GGUF stores them: `[n_embd, n_vocab]` for `token_embd.weight`. */
    dimensions: readonly number[];
    type: GgmlType;
    data: GgufTensorData;
};

export type GgufWriteResult = {
    /** Size of the written file in bytes. */
    fileBytes: number;
    /** Where the tensor data section starts. */
    dataOffset: number;
};

/** The alignment llama.cpp assumes when `general.alignment` is absent; we always write it. */
export const DEFAULT_GGUF_ALIGNMENT = 32;

export class GgufWriter {
    readonly #metadata = new Map<string, GgufMetadataValue>();
    readonly #tensors: GgufTensor[] = [];
    readonly #alignment: number;

    /**
     * @param alignment Alignment of the data section and of every tensor in it,
     * recorded as `general.alignment` (a uint32, as llama.cpp requires). Defaults to 32.
     */
    public constructor(alignment: number = DEFAULT_GGUF_ALIGNMENT) {
        if (!Number.isInteger(alignment) || alignment <= 0 || alignment % 8 !== 0)
            throw new Error(`GGUF alignment must be a positive multiple of 8, got ${alignment}`);

        this.#alignment = alignment;
        this.set("general.alignment", {type: "uint32", value: alignment});
    }

    /** Sets a metadata key; setting a key again replaces its value. */
    public set(key: string, value: GgufMetadataValue): this {
        this.#metadata.set(key, value);
        return this;
    }

    public setUint32(key: string, value: number): this {
        return this.set(key, {type: "uint32", value});
    }

    public setInt32(key: string, value: number): this {
        return this.set(key, {type: "int32", value});
    }

    public setFloat32(key: string, value: number): this {
        return this.set(key, {type: "float32", value});
    }

    public setBool(key: string, value: boolean): this {
        return this.set(key, {type: "bool", value});
    }

    public setString(key: string, value: string): this {
        return this.set(key, {type: "string", value});
    }

    public setStringArray(key: string, value: readonly string[]): this {
        return this.set(key, {type: "stringArray", value});
    }

    public setInt32Array(key: string, value: readonly number[]): this {
        return this.set(key, {type: "int32Array", value});
    }

    public setFloat32Array(key: string, value: readonly number[]): this {
        return this.set(key, {type: "float32Array", value});
    }

    /** Adds a tensor; tensors are written in the order they were added. */
    public addTensor(tensor: GgufTensor): this {
        if (this.#tensors.some((existing) => existing.name === tensor.name))
            throw new Error(`Duplicate tensor name: ${tensor.name}`);
        if (tensor.dimensions.length < 1 || tensor.dimensions.length > 4)
            throw new Error(`Tensor ${tensor.name} must have 1 to 4 dimensions`);

        const expectedBytes = ggmlTensorBytes(tensor.type, tensor.dimensions);
        if (tensor.data instanceof Uint8Array && tensor.data.byteLength !== expectedBytes)
            throw new Error(`Tensor ${tensor.name} has ${tensor.data.byteLength} bytes of data, expected ${expectedBytes}`);

        this.#tensors.push(tensor);
        return this;
    }

    /**
     * Writes the file, replacing any file at `path`.
     *
     * @param options.headerOnly Writes only the header (metadata and tensor
     * descriptions), not the tensor data: what node-llama-cpp reads to size up a
     * model before downloading it, at a few MB for an 8B model's shapes. Such a
     * file describes tensors it does not hold, so it cannot be loaded.
     * Defaults to false.
     */
    public async write(path: string, {headerOnly = false}: {headerOnly?: boolean} = {}): Promise<GgufWriteResult> {
        const header = this.#encodeHeader();
        const file = await open(path, "w");
        try {
            let position = 0;
            const writeBytes = async (bytes: Uint8Array) => {
                await file.write(bytes, 0, bytes.byteLength, position);
                position += bytes.byteLength;
            };

            await writeBytes(header);
            const dataOffset = position;

            for (const tensor of headerOnly ? [] : this.#tensors) {
                const expectedBytes = ggmlTensorBytes(tensor.type, tensor.dimensions);
                const start = position;
                const chunks = tensor.data instanceof Uint8Array ? [tensor.data] : tensor.data();
                for (const chunk of chunks)
                    await writeBytes(chunk);

                if (position - start !== expectedBytes)
                    throw new Error(`Tensor ${tensor.name} produced ${position - start} bytes, expected ${expectedBytes}`);

                await writeBytes(new Uint8Array(this.#paddingAfter(expectedBytes)));
            }

            return {fileBytes: position, dataOffset};
        } finally {
            await file.close();
        }
    }

    #paddingAfter(byteCount: number): number {
        return (this.#alignment - (byteCount % this.#alignment)) % this.#alignment;
    }

    #encodeHeader(): Uint8Array {
        const out = new ByteListWriter();
        out.bytes(Buffer.from("GGUF", "ascii"));
        out.uint32(3);
        out.uint64(this.#tensors.length);
        out.uint64(this.#metadata.size);

        for (const [key, value] of this.#metadata) {
            out.string(key);
            encodeMetadataValue(out, value);
        }

        // Offsets are relative to the data section: a running total of padded sizes.
        let offset = 0;
        for (const tensor of this.#tensors) {
            out.string(tensor.name);
            out.uint32(tensor.dimensions.length);
            for (const dimension of tensor.dimensions)
                out.uint64(dimension);
            out.uint32(tensor.type);
            out.uint64(offset);

            const bytes = ggmlTensorBytes(tensor.type, tensor.dimensions);
            offset += bytes + this.#paddingAfter(bytes);
        }

        out.bytes(new Uint8Array(this.#paddingAfter(out.length)));
        return out.toBytes();
    }
}

function encodeMetadataValue(out: ByteListWriter, value: GgufMetadataValue) {
    switch (value.type) {
        case "uint32":
            out.uint32(GgufValueType.UINT32);
            out.uint32(value.value);
            return;
        case "int32":
            out.uint32(GgufValueType.INT32);
            out.int32(value.value);
            return;
        case "float32":
            out.uint32(GgufValueType.FLOAT32);
            out.float32(value.value);
            return;
        case "bool":
            out.uint32(GgufValueType.BOOL);
            out.bytes(Uint8Array.of(value.value ? 1 : 0));
            return;
        case "string":
            out.uint32(GgufValueType.STRING);
            out.string(value.value);
            return;
        case "stringArray":
            out.uint32(GgufValueType.ARRAY);
            out.uint32(GgufValueType.STRING);
            out.uint64(value.value.length);
            for (const item of value.value)
                out.string(item);
            return;
        case "int32Array":
            out.uint32(GgufValueType.ARRAY);
            out.uint32(GgufValueType.INT32);
            out.uint64(value.value.length);
            for (const item of value.value)
                out.int32(item);
            return;
        case "float32Array":
            out.uint32(GgufValueType.ARRAY);
            out.uint32(GgufValueType.FLOAT32);
            out.uint64(value.value.length);
            for (const item of value.value)
                out.float32(item);
            return;
    }
}

/** Little-endian encoder that collects the header's pieces and joins them once. */
class ByteListWriter {
    readonly #chunks: Uint8Array[] = [];
    #length = 0;

    public get length(): number {
        return this.#length;
    }

    public bytes(bytes: Uint8Array) {
        this.#chunks.push(bytes);
        this.#length += bytes.byteLength;
    }

    public uint32(value: number) {
        const buffer = Buffer.alloc(4);
        buffer.writeUInt32LE(value);
        this.bytes(buffer);
    }

    public int32(value: number) {
        const buffer = Buffer.alloc(4);
        buffer.writeInt32LE(value);
        this.bytes(buffer);
    }

    public float32(value: number) {
        const buffer = Buffer.alloc(4);
        buffer.writeFloatLE(value);
        this.bytes(buffer);
    }

    public uint64(value: number) {
        const buffer = Buffer.alloc(8);
        buffer.writeBigUInt64LE(BigInt(value));
        this.bytes(buffer);
    }

    /** GGUF strings: a uint64 byte length, then UTF-8 without a terminator. */
    public string(value: string) {
        const encoded = Buffer.from(value, "utf8");
        this.uint64(encoded.byteLength);
        this.bytes(encoded);
    }

    public toBytes(): Uint8Array {
        return Buffer.concat(this.#chunks, this.#length);
    }
}
