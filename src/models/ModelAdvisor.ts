/**
 * Which AstroSage build suits this machine: reads the default build's GGUF
 * header remotely through the engine (before anything is downloaded), lets
 * node-llama-cpp's insights say what it needs here, and judges the catalog.
 * One header is read, not one per build: the builds share the architecture and
 * context, and differ in weight size (hardwareFit.scaleNeeds). No `vscode` import.
 */
import {randomUUID} from "node:crypto";
import {judgeCatalog, recommendBuild, type BuildFit, type MachineFacts} from "../core/hardwareFit.ts";
import {defaultBuild, downloadUrl} from "../core/modelCatalog.ts";
import type {EngineProcess} from "../engine/EngineProcess.ts";

export type CatalogAdvice =
    | {ok: true; machine: MachineFacts; fits: BuildFit[]; recommended: BuildFit | undefined}
    | {ok: false; problem: string};

export type AdvisorSettings = {baseUrl: string; contextSize: number; gpu: "auto" | "off"; storageDirectory: string};

export class ModelAdvisor {
    private cached: {key: string; advice: Promise<CatalogAdvice>} | undefined;

    public constructor(
        private readonly engine: EngineProcess,
        private readonly settings: () => AdvisorSettings
    ) {}

    /** The advice for the current settings; computed once, again after a failure or a settings change. */
    public advise(): Promise<CatalogAdvice> {
        const settings = this.settings();
        const key = JSON.stringify(settings);
        if (this.cached?.key !== key) {
            const advice = this.compute(settings).then((result) => {
                if (!result.ok && this.cached?.advice === advice)
                    this.cached = undefined;
                return result;
            });
            this.cached = {key, advice};
        }
        return this.cached.advice;
    }

    /** Forgets the advice (after the disk filled or freed up, say). */
    public forget() {
        this.cached = undefined;
    }

    private async compute(settings: AdvisorSettings): Promise<CatalogAdvice> {
        const build = defaultBuild();
        try {
            await this.engine.start();
            const answer = await this.engine.request({
                type: "inspect",
                id: randomUUID(),
                source: downloadUrl(build, settings.baseUrl),
                contextSize: settings.contextSize,
                gpu: settings.gpu,
                storageDirectory: settings.storageDirectory
            });
            if (answer.type === "error")
                return {ok: false, problem: answer.message};
            if (answer.type !== "inspected")
                return {ok: false, problem: `The engine answered with an unexpected "${answer.type}".`};
            const fits = judgeCatalog({buildId: build.id, needs: answer.needs}, answer.machine);
            return {ok: true, machine: answer.machine, fits, recommended: recommendBuild(fits)};
        } catch (error) {
            return {ok: false, problem: error instanceof Error ? error.message : String(error)};
        }
    }
}
