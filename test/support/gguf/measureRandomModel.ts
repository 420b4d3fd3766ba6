/**
 * Hand check for the benchmark model: writes the random Llama-3.2-1B-shaped
 * model, loads it in node-llama-cpp on the CPU and reports generation speed.
 * Not part of the test suite (it takes a minute); run it after changing the
 * writer or the model:
 *
 *     node --import tsx test/support/gguf/measureRandomModel.ts [q4_0|q8_0] [threads...]
 *
 * e.g. `… measureRandomModel.ts q4_0 1 2`. The model file is deleted afterwards.
 */
import {rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import path from "node:path";
import {GgmlType} from "./ggmlTypes.ts";
import {LLAMA_3_2_1B_SHAPE, writeRandomModel} from "./randomModel.ts";

const GENERATED_TOKENS = 64;

async function main() {
    const [quantizationArgument = "q4_0", ...threadArguments] = process.argv.slice(2);
    const quantization = quantizationArgument.toLowerCase() === "q8_0" ? GgmlType.Q8_0 : GgmlType.Q4_0;
    const threadCounts = threadArguments.length > 0 ? threadArguments.map(Number) : [1, 2];

    const modelPath = path.join(tmpdir(), `astrosage-random-1b-${quantizationArgument}.gguf`);
    let started = performance.now();
    const info = await writeRandomModel(modelPath, LLAMA_3_2_1B_SHAPE, {quantization});
    console.log(`wrote ${modelPath}: ${(info.fileBytes / 1e6).toFixed(0)} MB, ` +
        `${(info.parameterCount / 1e6).toFixed(0)}M weights, in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const {getLlama, LlamaChatSession, LlamaLogLevel, TokenBias} = await import("node-llama-cpp");
    try {
        for (const threads of threadCounts) {
            const llama = await getLlama({gpu: false, build: "never", maxThreads: threads, logLevel: LlamaLogLevel.error});
            started = performance.now();
            const model = await llama.loadModel({modelPath});
            const loadSeconds = (performance.now() - started) / 1000;
            const context = await model.createContext({threads, contextSize: 2048});
            const session = new LlamaChatSession({contextSequence: context.getSequence()});

            const tokenTimes: number[] = [];
            started = performance.now();
            const {responseText, stopReason} = await session.promptWithMeta("Explain the virial theorem for a cluster of galaxies.", {
                maxTokens: GENERATED_TOKENS,
                // The extension's sampling defaults (greedy decoding of random weights just repeats one token).
                temperature: 0.7,
                topP: 0.9,
                seed: 1,
                // Random weights may well pick an end token early; forbid them to measure a full run.
                tokenBias: () => {
                    const bias = new TokenBias(model.tokenizer);
                    for (const token of [model.tokens.eos, model.tokens.eot])
                        if (token != null)
                            bias.set(token, "never");
                    return bias;
                },
                onToken: (tokens) => tokenTimes.push(...tokens.map(() => performance.now()))
            });

            const firstTokenSeconds = (tokenTimes[0]! - started) / 1000;
            const generationSeconds = (tokenTimes.at(-1)! - tokenTimes[0]!) / 1000;
            const tokensPerSecond = (tokenTimes.length - 1) / generationSeconds;
            console.log(`threads ${threads}: load ${loadSeconds.toFixed(1)} s, first token ${firstTokenSeconds.toFixed(2)} s, ` +
                `${tokenTimes.length} tokens (${stopReason}), ${tokensPerSecond.toFixed(1)} tokens/s`);
            // NaN logits would make every token the same; varied gibberish shows the weights are sane.
            console.log(`  distinct tokens: ${new Set(model.tokenize(responseText)).size}, text: ${JSON.stringify(responseText.slice(0, 80))}`);

            await context.dispose();
            await model.dispose();
            await llama.dispose();
        }
    } finally {
        await rm(modelPath, {force: true});
    }
}

void main();
