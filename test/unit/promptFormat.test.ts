/**
 * The golden prompt test: the exact text AstroSage receives for a conversation,
 * in both modes, checked three ways — against the stored golden files, against
 * the official Llama 3.1 Instruct template rendered by a Jinja engine, and as
 * tokens through a real model's tokenizer.
 */
import assert from "node:assert/strict";
import {readFile} from "node:fs/promises";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {Template} from "@huggingface/jinja";
import type {Llama, LlamaModel} from "node-llama-cpp";
import {createAstroSageChatWrapper, REASONING_SYSTEM_PROMPT} from "../../src/engine/AstroSageChatWrapper.ts";
import {buildHistory} from "../../src/engine/LlamaEngine.ts";
import {LLAMA_3_1_CHAT_TEMPLATE} from "../support/gguf/llama3Tokenizer.ts";
import {writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {makeTempDir} from "../support/tempDir.ts";

const todayDate = new Date("2024-07-26T12:00:00Z"); // the official template's default date_string
const systemPrompt = "You are AstroSage, a research assistant for professional astronomers.";
const messages = [
    {role: "user", text: "What is the Eddington luminosity of a 10 $M_\\odot$ black hole?"},
    {role: "assistant", text: "About $1.3 \\times 10^{39}$ erg/s."},
    {role: "user", text: "And in solar luminosities?"}
] as const;

/** The official template's rendering, with the generation prompt; plus `<think>` for reasoning. */
function officialRendering(reasoning: boolean): string {
    const rendered = new Template(LLAMA_3_1_CHAT_TEMPLATE).render({
        messages: [
            {role: "system", content: reasoning ? REASONING_SYSTEM_PROMPT : systemPrompt},
            ...messages.map((message) => ({role: message.role, content: message.text}))
        ],
        bos_token: "<|begin_of_text|>",
        add_generation_prompt: true,
        date_string: "26 Jul 2024"
    });
    // The paper's prefill: the assistant turn starts with `<think>`.
    return reasoning ? `${rendered}<think>` : rendered;
}

describe("AstroSage prompt format (Llama 3.1)", () => {
    let llamaCpp: typeof import("node-llama-cpp");
    let llama: Llama;
    let model: LlamaModel;
    let temp: Awaited<ReturnType<typeof makeTempDir>>;

    before(async () => {
        llamaCpp = await import("node-llama-cpp");
        llama = await llamaCpp.getLlama({gpu: false, build: "never", maxThreads: 1});
        temp = await makeTempDir("prompt");
        const file = await writeScriptedModel(path.join(temp.dir, "tokenizer.gguf"), "ok");
        model = await llama.loadModel({modelPath: file.path});
    });
    after(async () => {
        await model?.dispose();
        await llama?.dispose();
        await temp?.remove();
    });

    /** The text the model receives: our history through our wrapper, tokenized and read back. */
    function promptText(reasoning: boolean): string {
        const wrapper = createAstroSageChatWrapper(llamaCpp, {todayDate});
        const history = buildHistory({messages: [...messages], systemPrompt, reasoning});
        const {contextText} = wrapper.generateContextState({chatHistory: history});
        return model.detokenize(contextText.tokenize(model.tokenizer), true);
    }

    for (const [mode, reasoning, golden] of [["chat", false, "llama31-chat.txt"], ["reasoning", true, "llama31-reasoning.txt"]] as const) {
        test(`${mode} mode: the model receives exactly the golden prompt, which is the official template's rendering`, async () => {
            const expected = await readFile(path.join("test/fixtures/prompts", golden), "utf8");
            assert.equal(officialRendering(reasoning), expected, "the golden file is the official template's rendering");
            assert.equal(promptText(reasoning), expected);
        });
    }

    test("special tokens are tokens, not text", () => {
        const wrapper = createAstroSageChatWrapper(llamaCpp, {todayDate});
        const {contextText} = wrapper.generateContextState({chatHistory: buildHistory({messages: [...messages], systemPrompt, reasoning: true})});
        const tokens = contextText.tokenize(model.tokenizer);
        const eot = model.tokens.eot ?? model.tokens.eos;
        assert.equal(tokens[0], model.tokens.bos);
        assert.equal(tokens.filter((token) => token === eot).length, 4, "system, user, assistant, user turns end with <|eot_id|>");
        assert.equal(model.detokenize([tokens.at(-1)!], true), "<think>", "the prefill is the <think> token itself");
    });

    test("the wrapper declares AstroSage's thought segment", () => {
        const wrapper = createAstroSageChatWrapper(llamaCpp);
        assert.deepEqual(wrapper.settings.segments?.thought, {prefix: "<think>", suffix: "</think>"});
        assert.ok(wrapper instanceof llamaCpp.Llama3_1ChatWrapper);
    });
});
