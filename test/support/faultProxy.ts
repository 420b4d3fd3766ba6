/**
 * A small HTTP proxy in front of a real llama-server, for what the real server
 * cannot be made to do on demand: answer 429 with `Retry-After`, go silent,
 * ignore the structured-output option, or echo a request's secrets into its
 * error. Every request is recorded (path, headers, JSON body) so a test can
 * check what the extension sent. With no fault set, it forwards unchanged.
 */
import http from "node:http";
import type {AddressInfo} from "node:net";

export type ProxyFault =
    /** Answers with this status (and `Retry-After` when given) instead of forwarding; `times` requests, then forwards again. */
    | {kind: "status"; status: number; retryAfter?: string; location?: string; body?: string; times?: number}
    /** Accepts the request and never answers. */
    | {kind: "silent"}
    /** Forwards without `response_format`, as a server that ignores structured output does. */
    | {kind: "dropSchema"}
    /** Answers 500 with the request's headers in the body, as a careless gateway's error page does. */
    | {kind: "echoHeaders"};

export type RecordedRequest = {method: string; path: string; headers: http.IncomingHttpHeaders; body: unknown};

export type FaultProxy = {
    /** `http://127.0.0.1:<port>/v1`. */
    baseUrl: string;
    requests: RecordedRequest[];
    fault: ProxyFault | undefined;
    close: () => Promise<void>;
};

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
    const proxy: FaultProxy = {baseUrl: "", requests: [], fault: undefined, close: async () => {}};
    const server = http.createServer(async (request, response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of request)
            chunks.push(chunk as Buffer);
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text;
        try {
            body = text === "" ? undefined : JSON.parse(text);
        } catch {
            // Not JSON: recorded as text.
        }
        proxy.requests.push({method: request.method ?? "GET", path: request.url ?? "/", headers: request.headers, body});

        const fault = proxy.fault;
        if (fault?.kind === "status") {
            if (fault.times != null && --fault.times <= 0)
                proxy.fault = undefined;
            response.writeHead(fault.status, {
                "Content-Type": "application/json",
                ...(fault.retryAfter == null ? {} : {"Retry-After": fault.retryAfter}),
                ...(fault.location == null ? {} : {Location: fault.location})
            });
            response.end(fault.body ?? JSON.stringify({error: {message: `proxy: status ${fault.status}`}}));
            return;
        }
        if (fault?.kind === "silent")
            return;
        if (fault?.kind === "echoHeaders") {
            response.writeHead(500, {"Content-Type": "text/plain"});
            response.end(`Internal error while handling ${JSON.stringify(request.headers)}`);
            return;
        }
        let forwarded = text;
        if (fault?.kind === "dropSchema" && body != null && typeof body === "object") {
            const {response_format: _dropped, ...rest} = body as Record<string, unknown>;
            forwarded = JSON.stringify(rest);
        }
        const upstream = http.request({
            // A fresh connection each time: a kept-alive one the server has since closed would fail the request.
            host: "127.0.0.1", port: targetPort, path: request.url, method: request.method, agent: false,
            headers: {...request.headers, host: `127.0.0.1:${targetPort}`, "content-length": Buffer.byteLength(forwarded)}
        }, (answer) => {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(response);
        });
        upstream.on("error", () => response.destroy());
        // The client closing its side (an abort) closes the upstream request too, as a real gateway does.
        response.on("close", () => upstream.destroy());
        upstream.end(forwarded);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const {port} = server.address() as AddressInfo;
    proxy.baseUrl = `http://127.0.0.1:${port}/v1`;
    proxy.close = () => new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
    });
    return proxy;
}
