/**
 * The AstroSage builds a user can download, pinned by repository and file name.
 *
 * Sizes are the hub's listings (decimal GB); the exact byte count comes from the
 * server when a download starts. No revision or checksum is pinned here because
 * none was published with the files: a download is checked against the
 * SHA-256 the source announces for it (Hugging Face sends one for every
 * large file), and a catalog entry can pin one when it is known.
 */

export type CatalogBuild = {
    /** Stable id, used in settings and messages: `"8b-q4_k_m"`. */
    id: string;
    /** Shown to users: `"AstroSage-8B Q4_K_M"`. */
    label: string;
    /** Hugging Face repository, `owner/name`. */
    repository: string;
    /** File name in the repository, and on disk after download. */
    fileName: string;
    /** Git revision of the repository; `"main"` follows the repository's latest. */
    revision: string;
    /** Lower-case hex SHA-256 of the file, when known in advance. */
    sha256?: string;
    /** Approximate download size in bytes, as the hub lists it. */
    approximateBytes: number;
    /** The quantization's trade-off in one line. */
    quality: string;
    /** The build offered first. */
    isDefault?: boolean;
};

/** Where downloads come from unless `astrosage.download.baseUrl` names a mirror. */
export const DEFAULT_DOWNLOAD_BASE_URL = "https://huggingface.co";

const gigabytes = (value: number) => Math.round(value * 1e9);

export const MODEL_CATALOG: readonly CatalogBuild[] = [
    {
        id: "8b-q4_k_m",
        label: "AstroSage-8B Q4_K_M",
        repository: "mradermacher/AstroSage-8B-GGUF",
        fileName: "AstroSage-8B.Q4_K_M.gguf",
        revision: "main",
        approximateBytes: gigabytes(4.92),
        quality: "Recommended: close to full quality at a third of the size; fast on laptops.",
        isDefault: true
    },
    {
        id: "8b-q5_k_m",
        label: "AstroSage-8B Q5_K_M",
        repository: "mradermacher/AstroSage-8B-GGUF",
        fileName: "AstroSage-8B.Q5_K_M.gguf",
        revision: "main",
        approximateBytes: gigabytes(5.73),
        quality: "Slightly closer to full quality than Q4_K_M; a little slower and larger."
    },
    {
        id: "8b-q6_k",
        label: "AstroSage-8B Q6_K",
        repository: "mradermacher/AstroSage-8B-GGUF",
        fileName: "AstroSage-8B.Q6_K.gguf",
        revision: "main",
        approximateBytes: gigabytes(6.6),
        quality: "Nearly indistinguishable from full quality; needs more memory."
    },
    {
        id: "8b-q8_0",
        label: "AstroSage-8B Q8_0 (official)",
        repository: "AstroMLab/AstroSage-8B-GGUF",
        fileName: "AstroSage-8B-Q8_0.gguf",
        revision: "main",
        approximateBytes: gigabytes(8.54),
        quality: "AstroMLab's own file, effectively full quality; the largest and slowest."
    },
    {
        id: "8b-q3_k_m",
        label: "AstroSage-8B Q3_K_M",
        repository: "mradermacher/AstroSage-8B-GGUF",
        fileName: "AstroSage-8B.Q3_K_M.gguf",
        revision: "main",
        approximateBytes: gigabytes(4.02),
        quality: "For machines with 8 GB of memory or less: noticeably less precise answers."
    }
];

export function defaultBuild(): CatalogBuild {
    return MODEL_CATALOG.find((build) => build.isDefault === true)!;
}

export function findBuild(id: string): CatalogBuild | undefined {
    return MODEL_CATALOG.find((build) => build.id === id);
}

/** The catalog build a file on disk is, judged by its file name. */
export function buildOfFile(fileName: string): CatalogBuild | undefined {
    return MODEL_CATALOG.find((build) => build.fileName === fileName);
}

/**
 * The file's URL at `baseUrl`, in Hugging Face's layout
 * (`<base>/<owner>/<name>/resolve/<revision>/<file>`), which mirrors of the hub keep.
 */
export function downloadUrl(build: CatalogBuild, baseUrl: string = DEFAULT_DOWNLOAD_BASE_URL): string {
    const base = baseUrl.replace(/\/+$/, "");
    return `${base}/${build.repository}/resolve/${encodeURIComponent(build.revision)}/${encodeURIComponent(build.fileName)}`;
}
