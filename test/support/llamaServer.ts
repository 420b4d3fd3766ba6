/**
 * llama.cpp's real `llama-server` (built by scripts/setup-llama-server.sh from
 * the llama.cpp source node-llama-cpp carries) serving a GGUF file on
 * 127.0.0.1, for the server backend's tests, the end-to-end test and the
 * benchmark. A free port is chosen by the OS; the server is ready when its
 * `/health` says so.
 */
import {execFileSync, spawn, type ChildProcess} from "node:child_process";
import {existsSync} from "node:fs";
import net from "node:net";
import path from "node:path";
import {setTimeout as sleep} from "node:timers/promises";

const root = path.resolve(import.meta.dirname, "../..");

/** The cached binary's path (built when the cache is empty: several minutes on 2 cores). */
export function llamaServerBinary(): string {
    const bundle = path.join(root, "node_modules/node-llama-cpp/llama/gitRelease.bundle");
    const commit = execFileSync("git", ["bundle", "list-heads", bundle], {encoding: "utf8"})
        .split("\n").find((line) => line.endsWith(" HEAD"))?.split(" ")[0];
    const binary = path.join(root, ".cache/llama-server", commit ?? "unknown", "llama-server");
    if (!existsSync(binary))
        execFileSync("bash", [path.join(root, "scripts/setup-llama-server.sh")], {stdio: ["ignore", "ignore", "inherit"]});
    return binary;
}

export type LlamaServerOptions = {
    model: string;
    /** The id `/v1/models` lists (`--alias`). Defaults to "astrosage-test". */
    alias?: string;
    /** Defaults to 1: a scripted model is fastest on one thread, and the tests share 2 cores. */
    threads?: number;
    /** Defaults to 4096. */
    contextSize?: number;
    /** `--reasoning-format`; defaults to the server's own (auto). */
    reasoningFormat?: "none" | "deepseek" | "auto";
    /** Requires `Authorization: Bearer <apiKey>`. */
    apiKey?: string;
    /** More arguments. */
    args?: string[];
};

export type LlamaServer = {
    /** `http://127.0.0.1:<port>/v1`: what astrosage.server.url takes. */
    baseUrl: string;
    port: number;
    process: ChildProcess;
    /** What the server printed (its log). */
    log: () => string;
    /** SIGKILL, as a crash or an administrator's kill does. Resolves when it has exited. */
    kill: () => Promise<void>;
    stop: () => Promise<void>;
};

export async function startLlamaServer(options: LlamaServerOptions): Promise<LlamaServer> {
    const port = await freePort();
    const args = [
        "-m", options.model, "--alias", options.alias ?? "astrosage-test",
        "--host", "127.0.0.1", "--port", String(port),
        "-t", String(options.threads ?? 1), "-c", String(options.contextSize ?? 4096),
        // One slot: the tests ask one question at a time, and the context is not split.
        "-np", "1", "--no-webui",
        ...(options.reasoningFormat == null ? [] : ["--reasoning-format", options.reasoningFormat]),
        ...(options.apiKey == null ? [] : ["--api-key", options.apiKey]),
        ...(options.args ?? [])
    ];
    const child = spawn(llamaServerBinary(), args, {stdio: ["ignore", "pipe", "pipe"]});
    let output = "";
    child.stdout!.on("data", (data: Buffer) => output += data.toString());
    child.stderr!.on("data", (data: Buffer) => output += data.toString());
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const baseUrl = `http://127.0.0.1:${port}/v1`;

    const deadline = Date.now() + 60_000;
    for (;;) {
        if (child.exitCode != null || child.signalCode != null)
            throw new Error(`llama-server exited before it was ready:\n${output.slice(-3000)}`);
        try {
            const health = await fetch(`http://127.0.0.1:${port}/health`);
            if (health.ok)
                break;
        } catch {
            // Not listening yet.
        }
        if (Date.now() > deadline) {
            child.kill("SIGKILL");
            throw new Error(`llama-server was not ready within 60 s:\n${output.slice(-3000)}`);
        }
        await sleep(50);
    }
    const end = async (signal: NodeJS.Signals) => {
        if (child.exitCode == null && child.signalCode == null)
            child.kill(signal);
        await exited;
    };
    return {baseUrl, port, process: child, log: () => output, kill: () => end("SIGKILL"), stop: () => end("SIGTERM")};
}

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const {port} = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}
