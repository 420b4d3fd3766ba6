/**
 * LaTeX's section counters: what number `\section`, `\subsection`… print, as
 * the standard classes (and AASTeX, which keeps article's) compute them.
 *
 * - A numbered heading steps its counter and resets the deeper ones; a starred
 *   one, or one deeper than `secnumdepth`, prints no number and steps nothing.
 * - `\appendix` restarts the top counter (chapter in book-like classes, section
 *   otherwise) and letters it: A, B…, so subsections become A.1.
 * - In book-like classes sections are numbered within chapters ("2.3") and
 *   `secnumdepth` defaults to 2; elsewhere it is 3.
 */
import type {SectionCommand} from "../Manuscript.ts";
import {SECTION_LEVELS} from "../parse/latexCommands.ts";

const CHAPTER_CLASSES = new Set(["book", "report", "memoir", "scrbook", "scrreprt", "amsbook"]);
const ORDER: SectionCommand[] = ["part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph"];

export class SectionNumbering {
    private readonly counters: Record<SectionCommand, number> = {part: 0, chapter: 0, section: 0, subsection: 0, subsubsection: 0, paragraph: 0, subparagraph: 0};
    private chapterClass = false;
    private secnumdepth: number | undefined;
    private inAppendix = false;
    private unnumbered = 0;
    private readonly ids = new Set<string>();

    /** Sets the document class (`\documentclass{book}` numbers sections within chapters). */
    public setDocumentClass(name: string): void {
        this.chapterClass = CHAPTER_CLASSES.has(name);
    }

    /** `\setcounter{secnumdepth}{n}`. */
    public setDepth(value: number): void {
        this.secnumdepth = value;
    }

    public appendix(): void {
        this.inAppendix = true;
        this.reset(this.chapterClass ? "chapter" : "section", true);
    }

    /** Steps the counters for a heading; returns its number (undefined when it prints none) and a unique id. */
    public open(command: SectionCommand, starred: boolean): {number?: string; id: string} {
        // A \chapter in an unknown class (a fragment, say) means a book-like class.
        if (command === "chapter")
            this.chapterClass = true;
        const depth = this.secnumdepth ?? (this.chapterClass ? 2 : 3);
        if (starred || SECTION_LEVELS[command] > depth)
            return {id: this.uniqueId(`sec-u${++this.unnumbered}`)};
        this.counters[command]++;
        if (command !== "part")
            this.reset(command, false);
        const number = this.format(command);
        return {number, id: this.uniqueId(`sec-${number}`)};
    }

    /** Resets the counters below `command` (and `command` itself when `inclusive`). */
    private reset(command: SectionCommand, inclusive: boolean): void {
        for (const other of ORDER.slice(ORDER.indexOf(command) + (inclusive ? 0 : 1)))
            if (other !== "part")
                this.counters[other] = 0;
    }

    private format(command: SectionCommand): string {
        const value = this.counters[command];
        switch (command) {
            case "part":
                return roman(value);
            case "chapter":
                return this.inAppendix ? alphabetic(value) : String(value);
            case "section":
                if (this.chapterClass)
                    return `${this.format("chapter")}.${value}`;
                return this.inAppendix ? alphabetic(value) : String(value);
            default:
                return `${this.format(ORDER[ORDER.indexOf(command) - 1]!)}.${value}`;
        }
    }

    private uniqueId(id: string): string {
        let unique = id;
        for (let copy = 2; this.ids.has(unique); copy++)
            unique = `${id}-${copy}`;
        this.ids.add(unique);
        return unique;
    }
}

function alphabetic(value: number): string {
    return value >= 1 && value <= 26 ? String.fromCharCode(64 + value) : String(value);
}

function roman(value: number): string {
    const numerals: [number, string][] = [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];
    let rest = value;
    let text = "";
    for (const [amount, numeral] of numerals)
        for (; rest >= amount; rest -= amount)
            text += numeral;
    return text || "0";
}
