/** The part of bibtex-parse (which ships no types) the manuscript model uses. */
declare module "bibtex-parse" {
    export type BibValue =
        | {datatype: "number"; value: number | bigint | string}
        | {datatype: "quoted" | "braced" | "identifier" | "unenclosed"; value: string}
        | {datatype: "concatinate"; value: BibValue[]}
        | {datatype: "null"; value: null};

    export type BibField = BibValue & {name: string; raw?: string};

    export type BibItem =
        | {itemtype: "entry"; type: string; key: string; enclosed: "braces" | "parentheses"; fields: BibField[]}
        | ({itemtype: "string"; name: string} & BibValue)
        | ({itemtype: "preamble"} & BibValue)
        | {itemtype: "comment"; comment: string};

    /** Parses BibTeX into items; throws a SyntaxError (with `location`) on malformed input. */
    export function parse(text: string, options?: {number?: "auto" | "number" | "bigint" | "string"}): BibItem[];
}
