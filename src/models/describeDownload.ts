/**
 * A download's progress in words: "42% · 2.07 of 4.92 GB · 23.4 MB/s · 3 min left".
 */
import {formatBytes, formatDuration, formatRate} from "../core/units.ts";
import type {DownloadProgress} from "./DownloadService.ts";

export function describeDownloadProgress(progress: DownloadProgress | undefined): {progress: number; detail: string} {
    if (progress == null)
        return {progress: 0, detail: "contacting the download source…"};
    const fraction = progress.totalBytes > 0 ? progress.doneBytes / progress.totalBytes : 0;
    const percent = `${Math.floor(fraction * 100)}%`;
    if (progress.phase === "verifying")
        return {progress: 1, detail: `checking the file ${percent}`};
    const parts = [percent, `${formatBytes(progress.doneBytes)} of ${formatBytes(progress.totalBytes)}`];
    if (progress.bytesPerSecond > 0)
        parts.push(formatRate(progress.bytesPerSecond));
    if (progress.secondsLeft != null)
        parts.push(`${formatDuration(progress.secondsLeft)} left`);
    if (progress.resumedBytes > 0)
        parts.push(`resumed at ${formatBytes(progress.resumedBytes)}`);
    return {progress: fraction, detail: parts.join(" · ")};
}
