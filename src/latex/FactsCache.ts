/**
 * Parsed facts per file content, so a warm build only reads and hashes files.
 * Keyed by a hash of the text (the same text in two places is parsed once; an
 * edit makes a new key), bounded by count with least-recently-used eviction.
 */
import {createHash} from "node:crypto";

export type FactsCacheOptions = {
    /** How many files' facts to keep. Defaults to 400: every source and .bib file of a few large manuscripts. */
    maxEntries?: number;
};

export class FactsCache {
    private readonly entries = new Map<string, unknown>();
    private readonly maxEntries: number;

    public constructor(options: FactsCacheOptions = {}) {
        this.maxEntries = options.maxEntries ?? 400;
    }

    public get size(): number {
        return this.entries.size;
    }

    /**
     * The facts of `text` under `kind` (what was parsed: "tex", "bib"), from the
     * cache or computed by `compute` and kept.
     */
    public get<T>(kind: string, text: string, compute: (text: string) => T): T {
        const key = `${kind}:${createHash("sha1").update(text).digest("base64")}`;
        const cached = this.entries.get(key);
        if (cached !== undefined) {
            // Map keeps insertion order: moving the entry to the end marks it recently used.
            this.entries.delete(key);
            this.entries.set(key, cached);
            return cached as T;
        }
        const value = compute(text);
        this.entries.set(key, value);
        if (this.entries.size > this.maxEntries)
            this.entries.delete(this.entries.keys().next().value!);
        return value;
    }
}
