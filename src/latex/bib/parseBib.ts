/**
 * A .bib file's entries with the line each starts on.
 *
 * bibtex-parse gives no positions and stops at the first malformed entry, so
 * entries are located by their `@type{key,` opening, the file is parsed whole
 * when it can be, and entry by entry when it cannot: one broken entry costs that
 * entry's fields, not the file.
 */
import {parse, type BibItem, type BibValue} from "bibtex-parse";
import type {OffsetProblem} from "../parse/sourceRegions.ts";

export type ParsedBibEntry = {key: string; type: string; title?: string; author?: string; year?: string; offset: number};

const NOT_ENTRIES = new Set(["comment", "string", "preamble"]);
/** BibTeX's predefined month strings. */
const MONTHS: Record<string, string> = {
    jan: "January", feb: "February", mar: "March", apr: "April", may: "May", jun: "June",
    jul: "July", aug: "August", sep: "September", oct: "October", nov: "November", dec: "December"
};

type Opening = {type: string; key: string; offset: number};

export function parseBib(text: string): {entries: ParsedBibEntry[]; problems: OffsetProblem[]} {
    const openings = entryOpenings(text);
    const problems: OffsetProblem[] = [];
    let items: BibItem[];
    try {
        items = parse(text, {number: "string"});
    } catch {
        items = [];
        const strings = stringDefinitions(text, openings);
        for (const [index, opening] of openings.entries()) {
            const end = openings[index + 1]?.offset ?? text.length;
            try {
                items.push(...parse(strings + text.slice(opening.offset, end), {number: "string"}));
            } catch (error) {
                problems.push({message: `This entry could not be read (${error instanceof Error ? error.message : String(error)}); only its key is kept.`, offset: opening.offset});
                items.push({itemtype: "entry", type: opening.type, key: opening.key, enclosed: "braces", fields: []});
            }
        }
    }
    return {entries: toEntries(items, openings), problems};
}

/** Where each entry starts, in order: `@article{key,`. */
function entryOpenings(text: string): Opening[] {
    const openings: Opening[] = [];
    for (const match of text.matchAll(/@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t\r\n]*([^,\s})]*)/g)) {
        const type = match[1]!.toLowerCase();
        if (!NOT_ENTRIES.has(type))
            openings.push({type, key: match[2]!, offset: match.index});
    }
    return openings;
}

/** The file's `@string` definitions, for parsing its entries one at a time. */
function stringDefinitions(text: string, openings: Opening[]): string {
    const definitions: string[] = [];
    for (const match of text.matchAll(/@[ \t]*string[ \t]*[{(]/gi)) {
        const end = openings.find((opening) => opening.offset > match.index)?.offset ?? text.length;
        const candidate = text.slice(match.index, end);
        try {
            parse(candidate);
            definitions.push(candidate);
        } catch {
            // A malformed @string only costs the entries that use it their value.
        }
    }
    return definitions.join("\n");
}

function toEntries(items: BibItem[], openings: Opening[]): ParsedBibEntry[] {
    const strings: Record<string, string> = {...MONTHS};
    const entries: ParsedBibEntry[] = [];
    let nextOpening = 0;
    for (const item of items) {
        if (item.itemtype === "string") {
            strings[item.name.toLowerCase()] = evaluate(item, strings);
            continue;
        }
        if (item.itemtype !== "entry")
            continue;
        // Entries come in file order, so each one's opening is the next with its key.
        let found = nextOpening;
        while (found < openings.length && openings[found]!.key !== item.key)
            found++;
        const offset = openings[found]?.offset ?? openings[nextOpening]?.offset ?? 0;
        if (found < openings.length)
            nextOpening = found + 1;
        const fields: Record<string, string> = {};
        for (const field of item.fields)
            fields[field.name.toLowerCase()] = evaluate(field, strings);
        entries.push({
            key: item.key,
            type: item.type.toLowerCase(),
            ...(fields.title == null ? {} : {title: fields.title}),
            ...(fields.author == null ? {} : {author: fields.author}),
            ...(fields.year == null ? {} : {year: fields.year}),
            offset
        });
    }
    return entries;
}

/** A field's value as text: strings resolved, concatenations joined, braces removed, blanks collapsed. */
function evaluate(value: BibValue, strings: Record<string, string>): string {
    switch (value.datatype) {
        case "number":
            return String(value.value);
        case "identifier":
            return strings[value.value.toLowerCase()] ?? value.value;
        case "concatinate":
            return value.value.map((part) => evaluate(part, strings)).join("");
        case "null":
            return "";
        default:
            return value.value.replace(/(?<!\\)[{}]/g, "").replace(/\\([&%$#_{}])/g, "$1").replace(/\s+/g, " ").trim();
    }
}
