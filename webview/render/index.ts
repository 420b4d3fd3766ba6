/**
 * The chat page's renderer for model text: markdown with math and code to safe
 * HTML (`renderMarkdown`, `MarkdownRenderer`), streamed (`StreamingRenderer`),
 * and reasoning sections (`ThoughtSection`). Styles: media/render.css, plus
 * KaTeX's katex.min.css and fonts.
 */
export {MarkdownRenderer, renderMarkdown, type MarkdownBlock, type RenderOptions} from "./MarkdownRenderer.ts";
export {StreamingRenderer, type FrameScheduler, type StreamingRendererOptions} from "./StreamingRenderer.ts";
export {ThoughtSection, type ThoughtDisplay, type ThoughtSectionOptions} from "./ThoughtSection.ts";
export {describeThought, type ThoughtStats} from "./describeThought.ts";
export type {MathOutput} from "./renderMath.ts";
