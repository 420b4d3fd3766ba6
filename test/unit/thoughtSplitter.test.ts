import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {ThoughtSplitter, type SplitPiece} from "../../src/core/ThoughtSplitter.ts";

/** Runs the splitter over chunks and joins what it says into thought and answer. */
function split(chunks: readonly string[], startInThought = false): {thought: string; answer: string; pieces: SplitPiece[]} {
    const splitter = new ThoughtSplitter({startInThought});
    const pieces = [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()];
    return {
        thought: pieces.filter((piece) => piece.kind === "thought").map((piece) => piece.text).join(""),
        answer: pieces.filter((piece) => piece.kind === "text").map((piece) => piece.text).join(""),
        pieces
    };
}

/** Every way of cutting `text` into two or three chunks, and into single characters. */
function* cuttings(text: string): Generator<string[]> {
    yield [text];
    yield [...text];
    for (let i = 0; i <= text.length; i++) {
        yield [text.slice(0, i), text.slice(i)];
        for (let j = i; j <= text.length; j++)
            yield [text.slice(0, i), text.slice(i, j), text.slice(j)];
    }
}

const transcripts: {name: string; text: string; startInThought?: boolean; thought: string; answer: string}[] = [
    {name: "think tags", text: "<think>Checking the units.</think>The answer is 42 parsecs.", thought: "Checking the units.", answer: "The answer is 42 parsecs."},
    {name: "thought tags", text: "<thought>Hubble flow</thought>H0 = 70", thought: "Hubble flow", answer: "H0 = 70"},
    {name: "thinking tags", text: "Intro <thinking>a < b</thinking> end", thought: "a < b", answer: "Intro  end"},
    {name: "prefilled opening tag", text: "No tag opened.</think>Answer.", startInThought: true, thought: "No tag opened.", answer: "Answer."},
    {name: "no reasoning", text: "Plain answer with <b>html</b> and x<y.", thought: "", answer: "Plain answer with <b>html</b> and x<y."},
    {name: "unclosed thought", text: "<think>still thinking", thought: "still thinking", answer: ""},
    {name: "stray closing tag", text: "Answer</think> more", thought: "", answer: "Answer more"},
    {name: "two thoughts", text: "<think>a</think>b<think>c</think>d", thought: "ac", answer: "bd"},
    {name: "text ending in a tag prefix", text: "ends with <thi", thought: "", answer: "ends with <thi"}
];

describe("ThoughtSplitter", () => {
    for (const transcript of transcripts) {
        test(`${transcript.name}: the same thought and answer for every way of cutting the stream`, () => {
            let cases = 0;
            for (const chunks of cuttings(transcript.text)) {
                const {thought, answer} = split(chunks, transcript.startInThought);
                assert.equal(thought, transcript.thought, `chunks ${JSON.stringify(chunks)}`);
                assert.equal(answer, transcript.answer, `chunks ${JSON.stringify(chunks)}`);
                cases++;
            }
            assert.ok(cases > transcript.text.length);
        });
    }

    test("pieces come in stream order and never mix kinds", () => {
        const {pieces} = split(["<think>one", "</think>two<thought>three</thought>four"]);
        assert.deepEqual(pieces, [
            {kind: "thought", text: "one"},
            {kind: "text", text: "two"},
            {kind: "thought", text: "three"},
            {kind: "text", text: "four"}
        ]);
    });

    test("holds back only what could still become a tag", () => {
        const splitter = new ThoughtSplitter();
        assert.deepEqual(splitter.push("a <thin"), [{kind: "text", text: "a "}]);
        assert.deepEqual(splitter.push("k"), []);
        assert.deepEqual(splitter.push("i"), []);
        assert.deepEqual(splitter.push("t"), [{kind: "text", text: "<thinkit"}]);
    });
});
