/**
 * AstroSage's prompt format: Llama 3.1 Instruct, chosen explicitly.
 *
 * AstroSage GGUF files may carry no chat template, so the format is never left
 * to detection. The only change to node-llama-cpp's Llama 3.1 wrapper is a
 * declared thought segment, so `<think>…</think>` (AstroSage-70B's reasoning)
 * streams as thought chunks instead of answer text.
 */
import type {ChatWrapperSettings} from "node-llama-cpp";
import type * as NodeLlamaCpp from "node-llama-cpp";

export {REASONING_SYSTEM_PROMPT} from "../core/reasoningMode.ts";

export type AstroSageChatWrapperOptions = {
    /**
     * The "Today Date" line of the Llama 3.1 system preamble; a function is asked
     * each time a prompt is rendered.
     *
     * Defaults to the current date.
     */
    todayDate?: Date | (() => Date);
};

/**
 * Builds the wrapper class from the loaded node-llama-cpp module: the engine
 * loads node-llama-cpp with a dynamic `import()` (it is ESM-only), so its
 * classes exist only at run time.
 */
export function createAstroSageChatWrapper(llamaCpp: typeof NodeLlamaCpp, options: AstroSageChatWrapperOptions = {}) {
    const llama31Settings = new llamaCpp.Llama3_1ChatWrapper().settings;
    class AstroSageChatWrapper extends llamaCpp.Llama3_1ChatWrapper {
        public override readonly wrapperName = "AstroSage (Llama 3.1)";
        public override readonly settings: ChatWrapperSettings = {
            ...llama31Settings,
            segments: {
                thought: {prefix: "<think>", suffix: "</think>"}
            }
        };
    }
    return new AstroSageChatWrapper({
        todayDate: options.todayDate ?? (() => new Date()),
        // The official template adds tool instructions only when tools are given;
        // AstroSage is given none, so the preamble must not mention them.
        noToolInstructions: true
    });
}
