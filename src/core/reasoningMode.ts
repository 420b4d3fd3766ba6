/**
 * AstroSage's reasoning mode, as the AstroSage-70B paper switches it on: this
 * system prompt, and the answer prefilled with `<think>`. Every backend sends it
 * the same way (the engine through its chat wrapper, a server as a continued
 * assistant turn).
 */
export const REASONING_SYSTEM_PROMPT = "detailed thinking on";
