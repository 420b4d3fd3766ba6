/**
 * Entry point of the engine process, forked by the extension host.
 *
 * The model runs here, not in the extension host, so that a native crash or an
 * out-of-memory kills only this process; the host notices and restarts it.
 * Messages arrive over the IPC channel and are checked before anything acts on them.
 */
import {LlamaEngine} from "./LlamaEngine.ts";
import {LlamaRuntime} from "./LlamaRuntime.ts";
import {ModelFiles} from "./ModelFiles.ts";
import {parseEngineRequest, type EngineEvent, type EngineRequest} from "./protocol.ts";

function send(event: EngineEvent) {
    process.send?.(event);
}

const runtime = new LlamaRuntime(send);
const engine = new LlamaEngine(send, runtime);
const modelFiles = new ModelFiles(send, runtime);

async function handle(request: EngineRequest) {
    switch (request.type) {
        case "load": return engine.load(request);
        case "chat": return engine.chat(request);
        case "abort":
            engine.abort(request.target);
            return modelFiles.abort(request.target);
        case "unload":
            await engine.unload();
            return send({type: "unloaded", id: request.id});
        case "status": return send({type: "status", id: request.id, model: engine.model});
        case "countTokens": return engine.countTokens(request);
        case "inspect": return modelFiles.inspect(request);
        case "download": return modelFiles.download(request);
    }
}

process.on("message", (raw: unknown) => {
    let request: EngineRequest;
    try {
        request = parseEngineRequest(raw);
    } catch (error) {
        send({type: "log", level: "error", message: `Engine: rejected a malformed request: ${String(error)}`});
        const id = typeof raw === "object" && raw != null && "id" in raw && typeof raw.id === "string" ? raw.id : undefined;
        if (id != null && id !== "")
            send({type: "error", id: id.slice(0, 64), code: "internal", message: "The engine received a malformed request."});
        return;
    }
    handle(request).catch((error: unknown) => {
        send({type: "error", id: request.id, code: "internal", message: `Engine failure: ${error instanceof Error ? error.message : String(error)}`});
    });
});

// Without its host the engine has no purpose; leaving avoids an orphan holding gigabytes.
process.on("disconnect", () => process.exit(0));

send({type: "ready", pid: process.pid});
