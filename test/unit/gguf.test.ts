// The GGUF test-model toolkit (test/support/gguf): the writer's files read back
// through node-llama-cpp's own parser, and scripted models run through the real
// node-llama-cpp / llama.cpp chat path.
import assert from "node:assert/strict";
import {createHash} from "node:crypto";
import {mkdtemp, readFile, rm, stat} from "node:fs/promises";
import {tmpdir} from "node:os";
import path from "node:path";
import {after, before, describe, test} from "node:test";
// node-llama-cpp is ESM-only with top-level await, so it is loaded with import():
// a static import fails when tsx compiles this file as CommonJS.
import type * as NodeLlamaCpp from "node-llama-cpp";
import {BYTE_LEVEL_CHARACTERS, toByteLevel} from "../support/gguf/byteLevel.ts";
import {float16Bits, float16Value} from "../support/gguf/float16.ts";
import {GgmlType} from "../support/gguf/ggmlTypes.ts";
import {GgufWriter} from "../support/gguf/GgufWriter.ts";
import {LLAMA_3_1_CHAT_TEMPLATE, LLAMA_3_1_CHAT_TEMPLATE_SHA256} from "../support/gguf/llama3Tokenizer.ts";
import {randomQuantizedBlocks} from "../support/gguf/quantizedBlocks.ts";
import {longScript, splitScriptIntoPieces, writeScriptedModel} from "../support/gguf/scriptedModel.ts";

let workDir = "";
before(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), "astrosage-gguf-test-"));
});
after(async () => {
    await rm(workDir, {recursive: true, force: true});
});

describe("float16 and byte-level helpers", () => {
    test("float16Bits rounds to the nearest half", () => {
        assert.equal(float16Bits(1), 0x3c00);
        assert.equal(float16Bits(-2), 0xc000);
        assert.equal(float16Bits(65504), 0x7bff);
        assert.equal(float16Bits(1e6), 0x7c00);
        assert.equal(float16Bits(2 ** -24), 0x0001);
        assert.equal(float16Bits(1e-9), 0);
        assert.equal(float16Value(float16Bits(40 / Math.sqrt(64))), 5);
        assert.ok(Math.abs(float16Value(float16Bits(0.1)) - 0.1) < 1e-4);
    });

    test("the byte-level alphabet has 256 distinct characters, as GPT-2's", () => {
        assert.equal(new Set(BYTE_LEVEL_CHARACTERS).size, 256);
        assert.equal(toByteLevel(" Sun\n"), "ĠSunĊ");
        assert.equal(toByteLevel("Å").length, 2);
    });
});

describe("GgufWriter", () => {
    test("node-llama-cpp reads back the metadata and tensor layout it wrote", async () => {
        const {readGgufFileInfo} = await loadNodeLlamaCpp();
        const filePath = path.join(workDir, "roundtrip.gguf");
        const f32 = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
        const f16 = new Uint8Array(new Uint16Array(64 * 2).fill(float16Bits(0.5)).buffer);

        const writer = new GgufWriter()
            .setString("general.architecture", "llama")
            .setString("general.name", "Round trip: M_⊙ and Å")
            .setUint32("test.uint32", 4_000_000_000)
            .setInt32("test.int32", -7)
            .setFloat32("test.float32", 0.25)
            .setBool("test.bool", true)
            .setStringArray("test.strings", ["a", "ĠSun", "<think>"])
            .setInt32Array("test.int32s", [1, -2, 3])
            .setFloat32Array("test.float32s", [0.5, -1.5])
            .addTensor({name: "f32", dimensions: [3], type: GgmlType.F32, data: f32})
            .addTensor({name: "f16", dimensions: [64, 2], type: GgmlType.F16, data: f16})
            .addTensor({name: "q8", dimensions: [64, 3], type: GgmlType.Q8_0, data: () => randomQuantizedBlocks(GgmlType.Q8_0, 64 * 3, 0.01, 2)})
            .addTensor({name: "q4", dimensions: [32, 5], type: GgmlType.Q4_0, data: () => randomQuantizedBlocks(GgmlType.Q4_0, 32 * 5, 0.01, 2)});
        const {fileBytes, dataOffset} = await writer.write(filePath);

        const info = await readGgufFileInfo(filePath, {logWarnings: false});
        const metadata = info.metadata as unknown as Record<string, Record<string, unknown>>;
        assert.equal(info.version, 3);
        assert.equal(info.metadata.general.alignment, 32);
        assert.equal(info.metadata.general.name, "Round trip: M_⊙ and Å");
        assert.deepEqual(metadata.test, {
            uint32: 4_000_000_000,
            int32: -7,
            float32: 0.25,
            bool: true,
            strings: ["a", "ĠSun", "<think>"],
            int32s: [1, -2, 3],
            float32s: [0.5, -1.5]
        });

        // Offsets are the running total of padded sizes: 12 → 32, 256, 204 → 224, 90.
        const tensors = (info.tensorInfo ?? []).map((tensor) => ({
            name: tensor.name,
            dimensions: tensor.dimensions.map(Number),
            type: tensor.ggmlType as number,
            offset: Number(tensor.offset)
        }));
        assert.deepEqual(tensors, [
            {name: "f32", dimensions: [3], type: GgmlType.F32, offset: 0},
            {name: "f16", dimensions: [64, 2], type: GgmlType.F16, offset: 32},
            {name: "q8", dimensions: [64, 3], type: GgmlType.Q8_0, offset: 288},
            {name: "q4", dimensions: [32, 5], type: GgmlType.Q4_0, offset: 512}
        ]);
        assert.equal(info.infoEndOffset, dataOffset);
        assert.equal(dataOffset % 32, 0);
        assert.equal(fileBytes, dataOffset + 512 + 96);
        assert.equal((await stat(filePath)).size, fileBytes);

        const bytes = await readFile(filePath);
        assert.deepEqual(new Float32Array(bytes.buffer.slice(bytes.byteOffset + dataOffset, bytes.byteOffset + dataOffset + 12)), new Float32Array([1, 2, 3]));
    });

    test("rejects a quantized tensor whose rows are not whole blocks", () => {
        assert.throws(
            () => new GgufWriter().addTensor({name: "bad", dimensions: [48, 2], type: GgmlType.Q8_0, data: new Uint8Array(0)}),
            /multiple of 32/
        );
    });
});

describe("script pieces", () => {
    test("pieces rejoin to the script, are distinct, and keep think tags alone", () => {
        const script = "<think>\nThe Sun, the Sun.\n</think>\n\nThe Sun is a G2V star.\n\n- mass: $1\\,M_\\odot$\n";
        const pieces = splitScriptIntoPieces(script);
        assert.equal(pieces.join(""), script);
        assert.equal(new Set(pieces).size, pieces.length);
        assert.equal(pieces[0], "<think>");
        assert.ok(pieces.includes("</think>"));
    });

    test("repeated text merges into longer, distinct pieces", () => {
        const script = "lorem ipsum dolor sit amet ".repeat(400);
        const pieces = splitScriptIntoPieces(script);
        assert.equal(pieces.join(""), script);
        assert.equal(new Set(pieces).size, pieces.length);
        assert.ok(pieces.length < 400, `${pieces.length} pieces`);
    });

    test("impossible scripts are refused with a reason", () => {
        assert.throws(() => splitScriptIntoPieces("<think>a</think><think>b</think>"), /each think tag only once/);
        assert.throws(() => splitScriptIntoPieces("<think>\n\n</think>"), /ends every Llama 3.1 prompt/);
    });

    test("longScript(n) is n distinct pieces", () => {
        const script = longScript(500);
        assert.equal(splitScriptIntoPieces(script).length, 500);
        assert.match(script, /^Stars1 form2 in3 /);
    });
});

describe("LLAMA_3_1_CHAT_TEMPLATE", () => {
    test("is byte for byte llama.cpp's copy of the official template", () => {
        assert.equal(createHash("sha256").update(LLAMA_3_1_CHAT_TEMPLATE).digest("hex"), LLAMA_3_1_CHAT_TEMPLATE_SHA256);
    });
});

describe("scripted models in node-llama-cpp", () => {
    let llamaCpp: typeof NodeLlamaCpp;
    let llama: NodeLlamaCpp.Llama;

    before(async () => {
        llamaCpp = await loadNodeLlamaCpp();
        // One thread: node-llama-cpp's default of at least 4 crawls on a 2-core machine.
        llama = await llamaCpp.getLlama({gpu: false, build: "never", maxThreads: 1, logLevel: llamaCpp.LlamaLogLevel.error});
    });
    after(async () => {
        await llama?.dispose();
    });

    type AskOptions = {
        history?: NodeLlamaCpp.ChatHistoryItem[];
        promptOptions?: NodeLlamaCpp.LLamaChatPromptOptions;
    };

    /** Loads the model, asks one question after `history`, and returns what came back. */
    async function ask(modelPath: string, {history = [], promptOptions = {}}: AskOptions = {}) {
        const model = await llama.loadModel({modelPath});
        try {
            const context = await model.createContext({threads: 1, contextSize: 4096});
            const session = new llamaCpp.LlamaChatSession({contextSequence: context.getSequence()});
            if (history.length > 0)
                session.setChatHistory(history);

            let tokenCount = 0;
            // prompt() is promptWithMeta().responseText; the meta adds the stop reason.
            const {responseText, stopReason} = await session.promptWithMeta("What is the mass of the Sun?", {
                ...promptOptions,
                onToken: (tokens) => {
                    tokenCount += tokens.length;
                }
            });
            return {text: responseText, stopReason, tokenCount, chatWrapper: session.chatWrapper};
        } finally {
            await model.dispose();
        }
    }

    test("resolveChatWrapper picks Llama3_1ChatWrapper for the file", async () => {
        const {path: modelPath} = await writeScriptedModel(path.join(workDir, "wrapper.gguf"), "Hello.");
        const model = await llama.loadModel({modelPath});
        try {
            assert.ok(llamaCpp.resolveChatWrapper(model) instanceof llamaCpp.Llama3_1ChatWrapper);
            assert.equal(model.fileInfo.metadata.tokenizer.chat_template, LLAMA_3_1_CHAT_TEMPLATE);
        } finally {
            await model.dispose();
        }
    });

    test("answers exactly its script after a chat history, then stops", async () => {
        const script = "The Sun's mass is $M_\\odot \\approx 1.989 \\times 10^{30}$ kg (1 M_⊙).\n\n" +
            "| quantity | value |\n|---|---|\n| radius | 6.96e8 m |\n\n" +
            "```python\nfrom astropy import constants as c\nprint(c.M_sun)\n```\n" +
            "Wavelengths in Å; **bold**, _italic_ and emoji 🌞 survive.";
        const info = await writeScriptedModel(path.join(workDir, "markdown.gguf"), script);

        const {text, stopReason, tokenCount, chatWrapper} = await ask(info.path, {
            history: [
                {type: "system", text: "You are AstroSage, a research assistant for professional astronomers."},
                {type: "user", text: "Hello"},
                {type: "model", response: ["Hello! Ask me about astronomy."]}
            ]
        });
        assert.equal(text, script);
        assert.equal(stopReason, "eogToken");
        assert.equal(tokenCount, info.scriptTokenCount);
        assert.ok(chatWrapper instanceof llamaCpp.Llama3_1ChatWrapper);
    });

    test("AstroSage's sampling settings give the same answer as greedy decoding", async () => {
        const script = "Greedy or sampled, the margin of 40 logits decides.";
        const info = await writeScriptedModel(path.join(workDir, "sampled.gguf"), script);
        const {text} = await ask(info.path, {promptOptions: {temperature: 0.7, topP: 0.9, topK: 40, seed: 1}});
        assert.equal(text, script);
    });

    const thinkingScript = "<think>\nThe user asks for the solar mass.\n</think>\n\nAbout $2\\times10^{30}$ kg.";

    test("think tags come out as their own tokens, verbatim with Llama3_1ChatWrapper", async () => {
        const info = await writeScriptedModel(path.join(workDir, "think.gguf"), thinkingScript);
        assert.equal(info.pieces[0], "<think>");

        const {text} = await ask(info.path);
        assert.equal(text, thinkingScript);
    });

    test("an answer prefilled with <think> continues the script after it", async () => {
        const info = await writeScriptedModel(path.join(workDir, "prefilled.gguf"), thinkingScript);
        // Had the model started over, the text would hold "<think>" twice.
        const {text} = await ask(info.path, {promptOptions: {responsePrefix: "<think>"}});
        assert.equal(text, thinkingScript);
    });

    test("long scripts work, repeated or not", async () => {
        const lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(250).trim();
        assert.equal((await ask((await writeScriptedModel(path.join(workDir, "lorem.gguf"), lorem)).path)).text, lorem);

        const long = longScript(2000);
        const info = await writeScriptedModel(path.join(workDir, "long.gguf"), long);
        const {text, tokenCount} = await ask(info.path);
        assert.equal(tokenCount, 2000);
        assert.equal(text, long);
    });

    test("chatTemplate: null writes a file without one", async () => {
        const info = await writeScriptedModel(path.join(workDir, "no-template.gguf"), "Hi.", {chatTemplate: null});
        const fileInfo = await llamaCpp.readGgufFileInfo(info.path, {logWarnings: false});
        assert.equal(fileInfo.metadata.tokenizer.chat_template, undefined);
    });
});

function loadNodeLlamaCpp(): Promise<typeof NodeLlamaCpp> {
    return import("node-llama-cpp");
}
