/**
 * The parts of a URL that messages name: its host, or its origin (a path may
 * carry a token; these never do). Text that is not a URL is returned as it is.
 */

/** `gpu.example.edu:8443`. */
export function hostOf(url: string): string {
    try {
        return new URL(url).host;
    } catch {
        return url;
    }
}

/** `https://gpu.example.edu:8443`. */
export function originOf(url: string): string {
    try {
        return new URL(url).origin;
    } catch {
        return url;
    }
}
