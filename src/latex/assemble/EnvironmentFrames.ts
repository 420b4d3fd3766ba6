/**
 * The environments open at a point of the manuscript, innermost last. They are
 * paired here, across chunks and files, rather than by the parser, so an
 * unclosed environment is reported where it begins and the rest still counts.
 */
import type {SourceLocation, SourceSpan} from "../Manuscript.ts";
import {EQUATION_ENVIRONMENTS, FLOAT_ENVIRONMENTS, NEUTRAL_ENVIRONMENTS, SUBFLOAT_ENVIRONMENTS} from "../parse/latexCommands.ts";
import {cleanText, spanOf, type LoadedFile} from "./LoadedFile.ts";

export type FrameKind = "document" | "abstract" | "backMatter" | "appendix" | "equation" | "float" | "subfloat" | "neutral" | "other";

/** Environments whose text is not the manuscript's body: it is cut out of the section they sit in. */
const BACK_MATTER_ENVIRONMENTS = new Set(["acknowledgments", "acknowledgements", "contribution", "thebibliography"]);

export class Frame {
    public label: string | undefined;
    public readonly captions: string[] = [];
    /** Captions of the float's subfigures, used when it has none of its own. */
    public readonly subCaptions: string[] = [];

    public constructor(
        public readonly name: string,
        public readonly kind: FrameKind,
        public readonly file: LoadedFile,
        private readonly at: number,
        private readonly contentAt: number,
        public readonly begin: SourceLocation,
        /** The text target when it opened (restored when an abstract or back matter closes). */
        public readonly outerTarget: unknown,
        public readonly floatKind?: "figure" | "table"
    ) {}

    /** The environment's content up to `end` in its own file, comments removed. */
    public text(end: number): string {
        return cleanText(this.file, this.contentAt, end).trim();
    }

    /** From the `\begin` line to the line of `end` (in `endFile`; the `\begin` file's end when that differs). */
    public span(endFile: LoadedFile, end: number): SourceSpan {
        if (endFile !== this.file)
            return spanOf(this.file, this.at, this.file.text.length);
        return spanOf(this.file, this.at, end);
    }
}

export class EnvironmentFrames {
    private readonly frames: Frame[] = [];

    public open(name: string, file: LoadedFile, at: number, contentAt: number, begin: SourceLocation, outerTarget: unknown): Frame {
        const frame = new Frame(name, this.kindOf(name), file, at, contentAt, begin, outerTarget, FLOAT_ENVIRONMENTS.get(name));
        this.frames.push(frame);
        return frame;
    }

    private kindOf(name: string): FrameKind {
        if (name === "document" || name === "abstract" || name === "appendix")
            return name;
        if (BACK_MATTER_ENVIRONMENTS.has(name))
            return "backMatter";
        if (EQUATION_ENVIRONMENTS.has(name) || name === "display")
            // An `aligned` block inside an equation is part of it, not another equation.
            return this.frames.some((frame) => frame.kind === "equation") ? "other" : "equation";
        if (FLOAT_ENVIRONMENTS.has(name))
            return "float";
        if (SUBFLOAT_ENVIRONMENTS.has(name))
            return "subfloat";
        return NEUTRAL_ENVIRONMENTS.has(name) ? "neutral" : "other";
    }

    /**
     * Closes the innermost environment called `name`; those opened inside it and
     * still open are closed with it and returned as `unclosed`. Undefined when no
     * such environment is open.
     */
    public close(name: string): {frame: Frame; unclosed: Frame[]} | undefined {
        const index = this.frames.findLastIndex((frame) => frame.name === name);
        if (index < 0)
            return undefined;
        const unclosed = this.frames.splice(index + 1).reverse();
        const frame = this.frames.pop()!;
        return {frame, unclosed};
    }

    /**
     * Closes the equations and floats still open (and what opened inside them):
     * a heading cannot stand in one, so one seen there was never closed. Returns
     * them, outermost first.
     */
    public closeBeforeHeading(): Frame[] {
        const index = this.frames.findIndex((frame) => frame.kind === "equation" || frame.kind === "float" || frame.kind === "subfloat");
        return index < 0 ? [] : this.frames.splice(index);
    }

    /** Every environment still open, innermost first; leaves none open. */
    public drain(): Frame[] {
        return this.frames.splice(0).reverse();
    }

    /** The float or subfloat a caption here belongs to. */
    public innermostFloat(): {captions: string[]} | undefined {
        for (let index = this.frames.length - 1; index >= 0; index--) {
            const frame = this.frames[index]!;
            if (frame.kind === "float")
                return frame;
            if (frame.kind === "subfloat") {
                const float = this.frames.slice(0, index).findLast((outer) => outer.kind === "float");
                return {captions: float?.subCaptions ?? frame.captions};
            }
        }
        return undefined;
    }

    /**
     * What a `\label` here names: the innermost equation, float or subfloat;
     * "section" when only environments that step no counter are open; undefined
     * inside anything else (a list item, a theorem, the abstract).
     */
    public labelOwner(): Frame | "section" | undefined {
        for (let index = this.frames.length - 1; index >= 0; index--) {
            const frame = this.frames[index]!;
            if (frame.kind === "equation" || frame.kind === "float" || frame.kind === "subfloat")
                return frame;
            if (frame.kind !== "neutral" && frame.kind !== "document" && frame.kind !== "appendix")
                return undefined;
        }
        return "section";
    }
}
