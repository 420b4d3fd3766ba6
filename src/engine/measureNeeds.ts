/**
 * What a model needs on this machine, from its GGUF header: node-llama-cpp's
 * insights resolve the GPU layers and context the way a load would, with the
 * real RAM, GPU and VRAM.
 */
import type * as NodeLlamaCpp from "node-llama-cpp";
import type {GgufFileInfo, Llama} from "node-llama-cpp";
import type {BuildNeeds} from "../core/hardwareFit.ts";

export async function measureNeeds(llamaCpp: typeof NodeLlamaCpp, llama: Llama, fileInfo: GgufFileInfo, contextSize: number): Promise<BuildNeeds> {
    const insights = await llamaCpp.GgufInsights.from(fileInfo, llama);
    const targetContextSize = Math.min(contextSize, insights.trainContextSize ?? contextSize);
    const {resolvedValues: resolved} = await insights.configurationResolver.resolveAndScoreConfig({targetContextSize});
    return {
        fileBytes: (fileInfo.infoEndOffset ?? 0) + insights.modelSize,
        contextSize: resolved.contextSize,
        modelRamBytes: resolved.modelRamUsage,
        contextRamBytes: resolved.contextRamUsage,
        modelVramBytes: resolved.modelVramUsage,
        contextVramBytes: resolved.contextVramUsage,
        gpuLayers: resolved.gpuLayers,
        totalLayers: insights.totalLayers
    };
}
