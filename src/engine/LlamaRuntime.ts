/**
 * node-llama-cpp and its llama.cpp binding, loaded once per engine process and
 * shared by the model (LlamaEngine) and the model files (ModelFiles).
 */
import type * as NodeLlamaCpp from "node-llama-cpp";
import type {Llama} from "node-llama-cpp";
import type {EngineEvent} from "./protocol.ts";

export class LlamaRuntime {
    private module: typeof NodeLlamaCpp | undefined;
    private llama: {instance: Llama; gpu: "auto" | "off"} | undefined;
    /** llama.cpp's recent warnings and errors: a failed load's real reason is often only there. */
    private problems: string[] = [];

    public constructor(private readonly send: (event: EngineEvent) => void) {}

    public get recentProblems(): readonly string[] {
        return this.problems;
    }

    public clearProblems() {
        this.problems = [];
    }

    /** node-llama-cpp itself; ESM-only and carrying native code, so it is loaded here, in the engine process, and nowhere else. */
    public async llamaCpp(): Promise<typeof NodeLlamaCpp> {
        this.module ??= await import("node-llama-cpp");
        return this.module;
    }

    /** The llama.cpp binding with the GPU setting: the best GPU backend found, or the CPU. */
    public async getLlama(gpu: "auto" | "off"): Promise<Llama> {
        if (this.llama?.gpu === gpu)
            return this.llama.instance;

        const llamaCpp = await this.llamaCpp();
        await this.llama?.instance.dispose();
        this.llama = undefined;
        const instance = await llamaCpp.getLlama({
            gpu: gpu === "off" ? false : "auto",
            // Only the prebuilt binaries shipped with the extension are used; building
            // llama.cpp on a user's machine is never attempted.
            build: "never",
            logLevel: llamaCpp.LlamaLogLevel.warn,
            logger: (level, message) => {
                const line = message.trimEnd();
                const ourLevel = logLevelOf(level);
                if (ourLevel === "warn" || ourLevel === "error")
                    this.problems = [...this.problems.slice(-9), line];
                this.send({type: "log", level: ourLevel, message: line});
            }
        });
        this.llama = {instance, gpu};
        return instance;
    }
}

function logLevelOf(level: NodeLlamaCpp.LlamaLogLevel): "debug" | "info" | "warn" | "error" {
    switch (level) {
        case "fatal":
        case "error": return "error";
        case "warn": return "warn";
        case "info": return "info";
        default: return "debug";
    }
}
