/**
 * A server backend for the tests, its log kept: the settings a test names over
 * defaults (no model named, a 20 s timeout, no headers).
 */
import type {ServerSettings} from "../../src/server/OpenAiClient.ts";
import {ServerBackend} from "../../src/server/ServerBackend.ts";

export type Log = {info: string[]; warn: string[]};

export function backendFor(settings: Partial<ServerSettings> & {baseUrl: string}, log: Log = {info: [], warn: []}): ServerBackend {
    return new ServerBackend({
        settings: async () => ({model: "", timeoutMs: 20_000, headers: {}, ...settings}),
        log: {info: (line) => log.info.push(line), warn: (line) => log.warn.push(line)}
    });
}
