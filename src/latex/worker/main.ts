/**
 * The LaTeX worker thread (bundled to dist/latexWorker.js): builds manuscript
 * models off the extension host's main thread, and keeps the parsed facts of
 * every file it has read (`FactsCache`) between requests, so a second request
 * about the same manuscript only reads and hashes its files.
 */
import {parentPort} from "node:worker_threads";
import {buildManuscript} from "../buildManuscript.ts";
import {FactsCache} from "../FactsCache.ts";
import {findRoot} from "../findRoot.ts";
import {parseLatexRequest, type LatexEvent, type LatexRequest} from "../latexProtocol.ts";
import {diskSourceReader} from "../SourceReader.ts";

class LatexWorker {
    private readonly cache = new FactsCache();
    private readonly running = new Map<string, AbortController>();

    public constructor(private readonly send: (event: LatexEvent) => void) {}

    public receive(message: unknown): void {
        let request: LatexRequest;
        try {
            request = parseLatexRequest(message);
        } catch (error) {
            // Without a valid request there may be no id to answer; one that has an id gets an answer.
            const id = (message as {id?: unknown} | null)?.id;
            if (typeof id === "string" && id.length > 0 && id.length <= 64)
                this.send({type: "error", id, code: "failed", message: `The LaTeX worker received a malformed request: ${String(error)}`});
            return;
        }
        if (request.type === "cancel")
            this.running.get(request.target)?.abort();
        else
            void this.build(request);
    }

    private async build(request: Extract<LatexRequest, {type: "manuscript"}>): Promise<void> {
        const controller = new AbortController();
        this.running.set(request.id, controller);
        try {
            const reader = diskSourceReader(request.overrides);
            const root = await findRoot(request.file, reader);
            const manuscript = await buildManuscript(root, reader, {cache: this.cache, signal: controller.signal});
            this.send({type: "manuscript", id: request.id, manuscript});
        } catch (error) {
            const aborted = controller.signal.aborted;
            this.send({type: "error", id: request.id, code: aborted ? "aborted" : "failed", message: aborted ? "Cancelled." : error instanceof Error ? error.message : String(error)});
        } finally {
            this.running.delete(request.id);
        }
    }
}

function main(): void {
    const port = parentPort;
    if (port == null)
        throw new Error("dist/latexWorker.js runs as a worker thread of the extension host, not on its own.");
    const worker = new LatexWorker((event) => port.postMessage(event));
    port.on("message", (message: unknown) => worker.receive(message));
}

main();
