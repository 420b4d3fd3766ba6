/**
 * Turns failures inside the engine into messages a user can act on.
 */
import path from "node:path";
import type {ChatErrorCode} from "../core/chatTypes.ts";

/** An engine failure with a code the host can offer the right next step for. */
export class EngineError extends Error {
    public constructor(public readonly code: ChatErrorCode, message: string) {
        super(message);
    }
}

/**
 * Describes a failed model load: the code and a message that says what to do next.
 * `memoryAdvice` (which smaller build or context would fit) replaces the generic advice after an out-of-memory.
 */
export function describeLoadError(error: unknown, modelPath: string, llamaCppProblems: readonly string[] = [], memoryAdvice?: string): {code: ChatErrorCode; message: string} {
    const detail = [error instanceof Error ? error.message : String(error), ...llamaCppProblems].join("; ");
    const file = path.basename(modelPath);
    if (/out of memory|failed to allocate|cudaMalloc|ErrorOutOfDeviceMemory|unable to allocate/i.test(detail))
        return {
            code: "loadFailed",
            message: `Not enough memory to load ${file}. ${memoryAdvice ?? "Choose a smaller quantization (for example Q4_K_M) or lower \"astrosage.model.contextSize\"."} (${detail})`
        };
    if (/tensor|gguf|magic|invalid|corrupt|not within the file bounds|unknown model architecture|unexpected end of file/i.test(detail))
        return {
            code: "invalidModel",
            message: `${file} could not be loaded as a model: it may be damaged, incomplete, or not a Llama model. Download it again or choose another file. (${detail})`
        };
    return {code: "loadFailed", message: `Loading ${file} failed: ${detail}`};
}
