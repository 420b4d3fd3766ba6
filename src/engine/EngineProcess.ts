/**
 * The extension host's handle on the engine process: forks it, routes its events
 * to the requests that caused them, and restarts it after a crash.
 *
 * No `vscode` import: the engine tests drive this class from plain Node.
 */
import {fork, type ChildProcess} from "node:child_process";
import {parseEngineEvent, type EngineEvent, type EngineRequest} from "./protocol.ts";

/** The log this class writes to; VS Code's LogOutputChannel has this shape. */
export type Logger = {
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
    debug(message: string): void;
};

export type EngineProcessOptions = {
    /** Path of the bundled engine entry (`dist/engine.mjs`). */
    enginePath: string;
    logger: Logger;
    /** Told when the engine died unexpectedly; `willRestart` is false once restarts are given up. */
    onCrash?: (info: {reason: string; willRestart: boolean}) => void;
    /**
     * Delays before restarts after consecutive crashes, in milliseconds.
     *
     * Defaults to `[500, 2000, 8000]`: three attempts, then the user restarts it.
     */
    restartDelaysMs?: readonly number[];
};

type Pending = {
    onEvent: (event: EngineEvent) => void;
    resolve: (event: EngineEvent) => void;
};

/** Events that end a request. */
const finalEvents = new Set<EngineEvent["type"]>(["loaded", "done", "error", "unloaded", "status", "inspected", "downloaded", "tokenCount"]);

export class EngineProcess {
    private child: ChildProcess | undefined;
    private starting: Promise<ChildProcess> | undefined;
    private readonly pending = new Map<string, Pending>();
    private consecutiveCrashes = 0;
    private restartTimer: NodeJS.Timeout | undefined;
    private disposed = false;
    private generation = 0;

    public constructor(private readonly options: EngineProcessOptions) {}

    /**
     * Counts engine processes started so far. A model loaded in one generation is
     * gone in the next: callers compare it to know when to load again.
     */
    public get processGeneration(): number {
        return this.generation;
    }

    /** The engine's process id, while it runs. */
    public get pid(): number | undefined {
        return this.child?.pid;
    }

    /**
     * Sends a request and streams the events about it to `onEvent`; resolves with
     * the final event (`loaded`, `done`, `error`, `unloaded` or `status`). If the
     * engine dies first, the final event is an `engineCrashed` error.
     */
    public async request(request: Exclude<EngineRequest, {type: "abort"}>, onEvent: (event: EngineEvent) => void = () => {}): Promise<EngineEvent> {
        const child = await this.start();
        return new Promise<EngineEvent>((resolve) => {
            this.pending.set(request.id, {onEvent, resolve});
            child.send(request, (error) => {
                if (error != null)
                    this.finish({type: "error", id: request.id, code: "engineCrashed", message: `The engine could not be reached: ${error.message}`});
            });
        });
    }

    /** Asks the engine to stop a running request; a no-op when the engine is not running. */
    public abort(target: string) {
        if (this.child?.connected)
            this.child.send({type: "abort", id: `abort-${target}`, target} satisfies EngineRequest);
    }

    /** Starts the engine if it is not running, and waits until it is ready. */
    public start(): Promise<ChildProcess> {
        if (this.disposed)
            return Promise.reject(new Error("The AstroSage engine has been shut down."));
        if (this.child?.connected)
            return Promise.resolve(this.child);

        clearTimeout(this.restartTimer);
        this.restartTimer = undefined;
        this.starting ??= this.spawn().finally(() => {
            this.starting = undefined;
        });
        return this.starting;
    }

    /** Stops the engine (if running) and starts a fresh one; crash counting starts over. */
    public async restart(): Promise<void> {
        this.consecutiveCrashes = 0;
        await this.stop();
        await this.start();
    }

    /** Stops the engine; pending requests end with an error. */
    public async stop(): Promise<void> {
        clearTimeout(this.restartTimer);
        this.restartTimer = undefined;
        const child = this.child;
        this.child = undefined;
        if (child == null || child.exitCode != null || child.signalCode != null)
            return;

        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(timer);
    }

    public async dispose(): Promise<void> {
        this.disposed = true;
        await this.stop();
    }

    private spawn(): Promise<ChildProcess> {
        const {logger} = this.options;
        return new Promise((resolve, reject) => {
            const child = fork(this.options.enginePath, [], {
                // In desktop VS Code `process.execPath` is Electron; this makes it run as plain Node.
                env: {...process.env, ELECTRON_RUN_AS_NODE: "1"},
                execArgv: [],
                stdio: ["ignore", "pipe", "pipe", "ipc"],
                serialization: "json"
            });
            this.generation++;
            let ready = false;

            child.stdout?.on("data", (data: Buffer) => logger.debug(`engine: ${data.toString().trimEnd()}`));
            child.stderr?.on("data", (data: Buffer) => logger.warn(`engine: ${data.toString().trimEnd()}`));
            child.on("message", (raw: unknown) => {
                let event: EngineEvent;
                try {
                    event = parseEngineEvent(raw);
                } catch (error) {
                    logger.error(`Ignored a malformed message from the engine: ${String(error)}`);
                    return;
                }
                if (event.type === "ready") {
                    ready = true;
                    this.child = child;
                    logger.info(`Engine started (pid ${event.pid}).`);
                    resolve(child);
                } else
                    this.route(event);
            });
            child.on("error", (error) => {
                logger.error(`Engine process error: ${error.message}`);
                if (!ready)
                    reject(new Error(`The AstroSage engine could not start: ${error.message}`));
            });
            child.on("exit", (code, signal) => {
                const expected = this.child !== child;
                if (this.child === child)
                    this.child = undefined;
                const reason = signal != null ? `signal ${signal}` : `exit code ${code}`;
                if (!ready)
                    reject(new Error(`The AstroSage engine stopped while starting (${reason}). See "AstroSage: Show Log".`));
                this.onExit(reason, expected);
            });
        });
    }

    private route(event: EngineEvent) {
        if (event.type === "log") {
            this.options.logger[event.level](`engine: ${event.message}`);
            return;
        }
        if (event.type === "ready")
            return;
        if (finalEvents.has(event.type))
            this.finish(event);
        else
            this.pending.get(event.id)?.onEvent(event);
    }

    private finish(event: Exclude<EngineEvent, {type: "ready" | "log"}>) {
        const pending = this.pending.get(event.id);
        if (pending == null)
            return;
        this.pending.delete(event.id);
        if (event.type === "done" || event.type === "loaded")
            this.consecutiveCrashes = 0;
        pending.onEvent(event);
        pending.resolve(event);
    }

    private onExit(reason: string, expected: boolean) {
        const message = expected
            ? "The AstroSage engine was stopped."
            : `The AstroSage engine stopped unexpectedly (${reason}).`;
        for (const id of [...this.pending.keys()])
            this.finish({type: "error", id, code: "engineCrashed", message});

        if (expected || this.disposed)
            return;

        this.options.logger.error(message);
        const delays = this.options.restartDelaysMs ?? [500, 2000, 8000];
        const delay = delays[this.consecutiveCrashes];
        this.consecutiveCrashes++;
        this.options.onCrash?.({reason, willRestart: delay != null});
        if (delay == null)
            return;

        this.restartTimer = setTimeout(() => {
            this.restartTimer = undefined;
            this.start().catch((error: unknown) => this.options.logger.error(String(error)));
        }, delay);
    }
}
