/**
 * The languages Explain Code knows the structure of. VS Code gives a language id,
 * but without a language extension IDL, Fortran and Julia files arrive as
 * "plaintext" (or as whatever an unrelated extension claims `.pro` is), so the
 * file name's extension decides when the id says nothing useful.
 */

/** A family of languages that share a block structure and comment syntax. */
export type LanguageFamily = "python" | "idl" | "fortran" | "c" | "javascript" | "julia" | "other";

export type Language = {
    family: LanguageFamily;
    /** What the user calls it: "Python", "C++", "Fortran". */
    displayName: string;
    /** The Markdown fence's info string, for the model: "python", "cpp". */
    fence: string;
    /** What starts a line comment, to mark elided lines in the prompt. */
    lineComment: string;
    /** Fortran 77 fixed form: a C, c, * or ! in column 1 starts a comment. */
    fixedForm: boolean;
};

type Known = Omit<Language, "fixedForm">;

const python: Known = {family: "python", displayName: "Python", fence: "python", lineComment: "#"};
const idl: Known = {family: "idl", displayName: "IDL", fence: "idl", lineComment: ";"};
const fortran: Known = {family: "fortran", displayName: "Fortran", fence: "fortran", lineComment: "!"};
const c: Known = {family: "c", displayName: "C", fence: "c", lineComment: "//"};
const cpp: Known = {family: "c", displayName: "C++", fence: "cpp", lineComment: "//"};
const cuda: Known = {family: "c", displayName: "CUDA C++", fence: "cpp", lineComment: "//"};
const javascript: Known = {family: "javascript", displayName: "JavaScript", fence: "javascript", lineComment: "//"};
const typescript: Known = {family: "javascript", displayName: "TypeScript", fence: "typescript", lineComment: "//"};
const julia: Known = {family: "julia", displayName: "Julia", fence: "julia", lineComment: "#"};

/** Language ids from VS Code and the common language extensions. */
const byLanguageId: Record<string, Known> = {
    python: python,
    idl: idl,
    fortran: fortran,
    "fortran90": fortran,
    "fortran-modern": fortran,
    "fortranfreeform": fortran,
    "fortran_free-form": fortran,
    "fortranfixedform": fortran,
    "fortran_fixed-form": fortran,
    c: c,
    cpp: cpp,
    "cuda-cpp": cuda,
    javascript: javascript,
    javascriptreact: javascript,
    typescript: typescript,
    typescriptreact: typescript,
    julia: julia
};

const byExtension: Record<string, Known> = {
    ".py": python, ".pyw": python, ".pyi": python,
    ".pro": idl,
    ".f90": fortran, ".f95": fortran, ".f03": fortran, ".f08": fortran,
    ".f": fortran, ".for": fortran, ".f77": fortran, ".ftn": fortran,
    ".c": c, ".h": c,
    ".cc": cpp, ".cpp": cpp, ".cxx": cpp, ".hpp": cpp, ".hh": cpp, ".hxx": cpp,
    ".cu": cuda, ".cuh": cuda,
    ".js": javascript, ".mjs": javascript, ".cjs": javascript, ".jsx": javascript,
    ".ts": typescript, ".mts": typescript, ".cts": typescript, ".tsx": typescript,
    ".jl": julia
};

const fixedFormExtensions = new Set([".f", ".for", ".f77", ".ftn"]);

/** The language of a document, from its language id and, failing that, its file name. */
export function languageOf(languageId: string, fileName: string): Language {
    const extension = /\.[^./\\]+$/.exec(fileName)?.[0].toLowerCase() ?? "";
    const id = languageId.toLowerCase();
    const known = byLanguageId[id] ?? byExtension[extension];
    if (known == null) {
        const name = languageId === "" || languageId === "plaintext" ? "plain text" : languageId;
        return {family: "other", displayName: name, fence: languageId === "plaintext" ? "" : languageId, lineComment: "", fixedForm: false};
    }
    const fixedForm = known.family === "fortran" && (id.includes("fixed") || (!id.includes("free") && fixedFormExtensions.has(extension)));
    return {...known, fixedForm};
}
