/**
 * The protocol between the extension host and the LaTeX worker thread.
 *
 * Every message is declared here once, as a valibot schema with a doc comment,
 * and checked on arrival on either side. Requests carry an id; the answer about
 * a request carries it back. The manuscript's schema mirrors `Manuscript.ts`
 * (a compile-time check below keeps the two the same).
 */
import * as v from "valibot";
import type {Manuscript, ManuscriptSection} from "./Manuscript.ts";

const requestId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const line = v.pipe(v.number(), v.integer(), v.minValue(1));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

const locationSchema = v.object({file: v.string(), line});
const spanSchema = v.object({file: v.string(), startLine: line, endLine: line});
const sourceTextSchema = v.object({file: v.string(), startLine: line, endLine: line, text: v.string()});

const sectionSchema: v.GenericSchema<ManuscriptSection> = v.object({
    id: v.string(),
    command: v.picklist(["part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph"]),
    depth: count,
    starred: v.boolean(),
    title: v.string(),
    number: v.optional(v.string()),
    label: v.optional(v.string()),
    heading: locationSchema,
    body: v.array(sourceTextSchema),
    children: v.array(v.lazy(() => sectionSchema))
});

export const manuscriptSchema = v.object({
    root: v.string(),
    rootDirectory: v.string(),
    files: v.array(v.object({path: v.string(), bytes: count})),
    title: v.optional(v.string()),
    abstract: v.optional(sourceTextSchema),
    preface: v.array(sourceTextSchema),
    sections: v.array(sectionSchema),
    equations: v.array(v.object({environment: v.string(), label: v.optional(v.string()), tex: v.string(), at: spanSchema})),
    floats: v.array(v.object({kind: v.picklist(["figure", "table"]), environment: v.string(), caption: v.string(), label: v.optional(v.string()), at: spanSchema})),
    labels: v.array(v.object({name: v.string(), at: locationSchema})),
    references: v.array(v.object({name: v.string(), command: v.string(), at: locationSchema})),
    citations: v.array(v.object({key: v.string(), command: v.string(), at: locationSchema})),
    bibFiles: v.array(v.object({path: v.string(), found: v.boolean()})),
    bibEntries: v.array(v.object({
        key: v.string(), type: v.string(), title: v.optional(v.string()), author: v.optional(v.string()), year: v.optional(v.string()), at: locationSchema
    })),
    macros: v.array(v.object({
        name: v.string(), command: v.string(), parameters: count, optionalDefault: v.optional(v.string()), body: v.string(), at: locationSchema
    })),
    missing: v.array(v.object({
        target: v.string(), command: v.picklist(["input", "include", "subfile", "bibliography", "addbibresource"]), from: locationSchema, tried: v.array(v.string())
    })),
    problems: v.array(v.object({message: v.string(), at: v.optional(locationSchema)}))
});

// The schema and the type must describe the same thing: this fails to compile when they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const schemaMatchesType: Same<v.InferOutput<typeof manuscriptSchema>, Manuscript> = true;
void schemaMatchesType;

/** Messages the extension host sends to the LaTeX worker. */
export const latexRequestSchema = v.variant("type", [
    /**
     * The manuscript `file` belongs to: its root is found (`findRoot`), then every
     * file it inputs is read. `overrides` (absolute path → text) stand in for the
     * files on disk: editors' unsaved text. Answered by `manuscript` or `error`.
     */
    v.object({type: v.literal("manuscript"), id: requestId, file: v.pipe(v.string(), v.minLength(1)), overrides: v.record(v.string(), v.string())}),
    /** Stop request `target`; it ends with an `error` of code `aborted`, or its answer if that was already on its way. */
    v.object({type: v.literal("cancel"), id: requestId, target: requestId})
]);
export type LatexRequest = v.InferOutput<typeof latexRequestSchema>;

/** Messages the LaTeX worker sends to the extension host. */
export const latexEventSchema = v.variant("type", [
    /** The manuscript asked for by request `id`. */
    v.object({type: v.literal("manuscript"), id: requestId, manuscript: manuscriptSchema}),
    /** Request `id` failed (`failed`: the root could not be read, say) or was cancelled (`aborted`). */
    v.object({type: v.literal("error"), id: requestId, code: v.picklist(["failed", "aborted"]), message: v.string()})
]);
export type LatexEvent = v.InferOutput<typeof latexEventSchema>;

/** Checks a message from the host; throws with the reason when it does not match. */
export function parseLatexRequest(message: unknown): LatexRequest {
    return v.parse(latexRequestSchema, message);
}

/** Checks a message from the worker; throws with the reason when it does not match. */
export function parseLatexEvent(message: unknown): LatexEvent {
    return v.parse(latexEventSchema, message);
}
