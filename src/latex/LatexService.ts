/**
 * The extension host's handle on the LaTeX worker thread (dist/latexWorker.js):
 * starts it on first use, routes answers to requests by id, and starts a new
 * one after a crash. Parsing a manuscript takes around a second of CPU; in the
 * worker it never blocks the extension host's event loop.
 *
 * No `vscode` import: the engine tests drive this class from plain Node.
 */
import {Worker, type ResourceLimits} from "node:worker_threads";
import type {Manuscript} from "./Manuscript.ts";
import {parseLatexEvent, type LatexRequest} from "./latexProtocol.ts";

export type LatexServiceOptions = {
    /** Path of the bundled worker (`dist/latexWorker.js`). */
    workerPath: string;
    /**
     * Memory limits of the worker thread: a runaway parse ends the worker (its
     * requests reject; the next one starts a new worker), never the extension
     * host. Defaults to a 512 MB heap, about 20 times what the Rubin paper's
     * 22 files need.
     */
    resourceLimits?: ResourceLimits;
};

export type ManuscriptRequestOptions = {
    /** Absolute path → text that stands in for the file on disk (editors' unsaved text). */
    overrides?: Record<string, string>;
    /** Aborting rejects the request at once (with the signal's reason) and stops the worker's work on it. */
    signal?: AbortSignal;
};

type Pending = {worker: Worker; resolve: (manuscript: Manuscript) => void; reject: (error: unknown) => void; settle: () => void};

export class LatexService {
    private worker: Worker | undefined;
    private readonly pending = new Map<string, Pending>();
    private nextId = 1;
    private disposed = false;

    public constructor(private readonly options: LatexServiceOptions) {}

    /** The manuscript model of the manuscript `file` belongs to (its root is found first). */
    public manuscriptFor(file: string, options: ManuscriptRequestOptions = {}): Promise<Manuscript> {
        const {signal} = options;
        if (this.disposed)
            return Promise.reject(new Error("The LaTeX service has been disposed."));
        if (signal?.aborted)
            return Promise.reject(signal.reason);
        const worker = this.startWorker();
        const id = `m${this.nextId++}`;
        return new Promise<Manuscript>((resolve, reject) => {
            const onAbort = () => {
                this.finish(id)?.reject(signal!.reason);
                this.post(worker, {type: "cancel", id: `m${this.nextId++}`, target: id});
            };
            signal?.addEventListener("abort", onAbort, {once: true});
            this.pending.set(id, {worker, resolve, reject, settle: () => signal?.removeEventListener("abort", onAbort)});
            // A busy worker keeps Node running; an idle one does not hold the extension host open.
            worker.ref();
            this.post(worker, {type: "manuscript", id, file, overrides: options.overrides ?? {}});
        });
    }

    public dispose(): void {
        this.disposed = true;
        const worker = this.worker;
        this.worker = undefined;
        this.rejectAll(undefined, new Error("The LaTeX service has been disposed."));
        void worker?.terminate();
    }

    private startWorker(): Worker {
        if (this.worker != null)
            return this.worker;
        const worker = new Worker(this.options.workerPath, {resourceLimits: this.options.resourceLimits ?? {maxOldGenerationSizeMb: 512}});
        worker.unref();
        worker.on("message", (message: unknown) => this.receive(message));
        worker.on("error", (error: Error & {code?: string}) => this.crashed(worker, error.code === "ERR_WORKER_OUT_OF_MEMORY" ? "it ran out of memory" : error.message));
        worker.on("exit", (code) => this.crashed(worker, `it exited with code ${code}`));
        this.worker = worker;
        return worker;
    }

    private receive(message: unknown): void {
        let event;
        try {
            event = parseLatexEvent(message);
        } catch (error) {
            // The worker is our own code: a malformed answer is a bug; the request it was meant for fails.
            const id = (message as {id?: unknown} | null)?.id;
            if (typeof id === "string")
                this.finish(id)?.reject(new Error(`The LaTeX worker sent a malformed answer: ${String(error)}`));
            return;
        }
        const pending = this.finish(event.id);
        if (pending == null)
            return; // aborted meanwhile: its promise has already been rejected
        if (event.type === "manuscript")
            pending.resolve(event.manuscript);
        else if (event.code === "aborted")
            pending.reject(new DOMException(event.message, "AbortError"));
        else
            pending.reject(new Error(event.message));
    }

    private crashed(worker: Worker, reason: string): void {
        if (this.worker === worker)
            this.worker = undefined;
        this.rejectAll(worker, new Error(`The LaTeX worker stopped (${reason}) while reading the manuscript. Try again: a new worker starts.`));
    }

    /** Rejects the requests in flight on `worker` (all of them when undefined). */
    private rejectAll(worker: Worker | undefined, error: Error): void {
        for (const [id, pending] of this.pending)
            if (worker == null || pending.worker === worker)
                this.finish(id)?.reject(error);
    }

    /** Removes request `id` from the ones in flight and returns it, or undefined when it is not in flight. */
    private finish(id: string): Pending | undefined {
        const pending = this.pending.get(id);
        if (pending == null)
            return undefined;
        this.pending.delete(id);
        pending.settle();
        if (![...this.pending.values()].some((other) => other.worker === pending.worker))
            pending.worker.unref();
        return pending;
    }

    private post(worker: Worker, request: LatexRequest): void {
        worker.postMessage(request);
    }
}
