/**
 * Sizes, rates and durations as people read them: files and downloads in
 * decimal units (GB, MB/s), as the model hub and disk tools show them; memory
 * in binary units (GiB), as memory is sold and operating systems count it.
 */

/** `4.92 GB`, `512 MB`, `12 KB`. */
export function formatBytes(bytes: number): string {
    if (bytes >= 1e9)
        return `${trim(bytes / 1e9)} GB`;
    if (bytes >= 1e6)
        return `${trim(bytes / 1e6)} MB`;
    if (bytes >= 1e3)
        return `${trim(bytes / 1e3)} KB`;
    return `${Math.round(bytes)} bytes`;
}

/** Memory: `24 GiB`, `5.9 GiB`, `10.6 MiB`. */
export function formatMemory(bytes: number): string {
    const gib = 1024 ** 3;
    const mib = 1024 ** 2;
    if (bytes >= gib)
        return `${trim(bytes / gib)} GiB`;
    return `${trim(Math.max(bytes, 1) / mib)} MiB`;
}

/** `23.4 MB/s`. */
export function formatRate(bytesPerSecond: number): string {
    return `${formatBytes(bytesPerSecond)}/s`;
}

/** `3 min left` style durations: `45 s`, `3 min`, `1 h 20 min`. */
export function formatDuration(seconds: number): string {
    if (!Number.isFinite(seconds))
        return "unknown";
    if (seconds < 60)
        return `${Math.max(1, Math.round(seconds))} s`;
    const minutes = Math.round(seconds / 60);
    if (minutes < 60)
        return `${minutes} min`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Three significant figures at most, without trailing zeros: 4.92, 12.5, 512. */
function trim(value: number): string {
    const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
    return String(Number(value.toFixed(digits)));
}
