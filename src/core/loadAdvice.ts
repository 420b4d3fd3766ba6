/**
 * What to tell a user whose model does not fit: which smaller AstroSage build or
 * shorter context would, from the model's measured needs. Used before loading
 * (a model larger than the machine's memory is refused rather than left to
 * swap the machine to a halt) and after llama.cpp runs out of memory.
 */
import {adviseInstead, availableBytes, judgeCatalog, judgeMemory, memoryText, neededBytes, type BuildNeeds, type MachineFacts} from "./hardwareFit.ts";
import {buildOfFile, type CatalogBuild} from "./modelCatalog.ts";
import {formatMemory} from "./units.ts";

/** True when the model needs more memory than the machine has in all (RAM, plus VRAM when a GPU is used). */
export function exceedsMachine(needs: BuildNeeds, machine: MachineFacts): boolean {
    return neededBytes(needs) > availableBytes(machine);
}

/** "AstroSage-8B-Q8_0.gguf needs about 9.9 GB with a 8192-token context; this machine has 8 GB memory. Instead, …" */
export function memoryAdvice(fileName: string, needs: BuildNeeds, machine: MachineFacts): string {
    const build: CatalogBuild = buildOfFile(fileName) ?? {
        id: "file", label: fileName, repository: "", fileName, revision: "", approximateBytes: needs.fileBytes, quality: ""
    };
    const fits = judgeCatalog({buildId: build.id, needs}, machine);
    const own = fits.find((fit) => fit.build.id === build.id) ?? {build, needs, verdict: judgeMemory(needs, machine), diskOk: true, measured: true};
    const instead = adviseInstead({...own, verdict: "tooBig"}, fits.filter((fit) => fit.build.id !== build.id), machine);
    return `${fileName} needs about ${formatMemory(neededBytes(needs))} with a ${needs.contextSize}-token context; this machine has ${memoryText(machine)}. ${instead ?? ""}`.trim();
}
