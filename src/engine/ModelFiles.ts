/**
 * The engine's model-file requests: inspecting a model before it is downloaded
 * or loaded, and downloading one. They run beside the loaded model, each with
 * its own abort controller.
 */
import {DownloadError} from "./downloadErrors.ts";
import {downloadModel} from "./downloadModel.ts";
import {inspectModel} from "./inspectModel.ts";
import type {LlamaRuntime} from "./LlamaRuntime.ts";
import type {EngineEvent, EngineRequest} from "./protocol.ts";

type InspectRequest = Extract<EngineRequest, {type: "inspect"}>;
type DownloadRequest = Extract<EngineRequest, {type: "download"}>;

export class ModelFiles {
    private readonly controllers = new Map<string, AbortController>();

    public constructor(
        private readonly send: (event: EngineEvent) => void,
        private readonly runtime: LlamaRuntime
    ) {}

    public abort(target: string) {
        this.controllers.get(target)?.abort();
    }

    public async inspect(request: InspectRequest): Promise<void> {
        await this.run(request.id, async (signal) => {
            const llamaCpp = await this.runtime.llamaCpp();
            const llama = await this.runtime.getLlama(request.gpu);
            const {machine, needs} = await inspectModel(request, {llamaCpp, llama, signal});
            this.send({type: "inspected", id: request.id, machine, needs});
        });
    }

    public async download(request: DownloadRequest): Promise<void> {
        await this.run(request.id, async (signal) => {
            const llamaCpp = await this.runtime.llamaCpp();
            const result = await downloadModel(request, {
                llamaCpp,
                signal,
                onProgress: (progress) => this.send({type: "downloadProgress", id: request.id, progress})
            });
            this.send({type: "downloaded", id: request.id, ...result});
        });
    }

    private async run(id: string, work: (signal: AbortSignal) => Promise<void>) {
        const controller = new AbortController();
        this.controllers.set(id, controller);
        try {
            await work(controller.signal);
        } catch (error) {
            if (error instanceof DownloadError)
                this.send({type: "error", id, code: error.code, message: error.message});
            else if (controller.signal.aborted)
                this.send({type: "error", id, code: "cancelled", message: "Cancelled."});
            else
                this.send({type: "error", id, code: "internal", message: error instanceof Error ? error.message : String(error)});
        } finally {
            this.controllers.delete(id);
        }
    }
}
