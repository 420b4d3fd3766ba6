/**
 * Why a model download failed, in a way the host can offer the right next step for.
 */

/**
 * - `network`: the source could not be reached (offline, DNS, TLS, timeout, stalled);
 * - `sourceRefused`: the source answered with an error status;
 * - `notEnoughDisk`: the file would not fit on the disk;
 * - `badDownload`: the finished file is not the model (not GGUF, wrong size, wrong checksum);
 * - `cancelled`: the user cancelled.
 */
export const downloadErrorCodes = ["network", "sourceRefused", "notEnoughDisk", "badDownload", "cancelled"] as const;
export type DownloadErrorCode = typeof downloadErrorCodes[number];

export class DownloadError extends Error {
    public constructor(public readonly code: DownloadErrorCode, message: string) {
        super(message);
    }
}

/** node-llama-cpp's InvalidGgufMagicError, which it does not export: the file does not start with "GGUF". */
export function isNotGguf(error: unknown): boolean {
    return error instanceof Error && /Invalid GGUF magic/i.test(error.message);
}
