/**
 * "Chat with this paper" without paying for the paper again: the real engine
 * process on a scripted model, with the extension's ChatSession, backend and
 * prompt state cache. Prompt token counts are exact: a tokenizer in this process
 * (the same model file, vocabulary only) says how many tokens each turn adds.
 */
import assert from "node:assert/strict";
import {createHash} from "node:crypto";
import {existsSync} from "node:fs";
import {readdir, readFile, rm, stat, truncate, writeFile} from "node:fs/promises";
import path from "node:path";
import {crc32} from "node:zlib";
import {after, before, describe, test} from "node:test";
import type {ChatWrapper, LlamaModel, Token} from "node-llama-cpp";
import {ChatSession} from "../../src/chat/ChatSession.ts";
import type {StoredConversation} from "../../src/chat/Conversation.ts";
import type {HostMessage} from "../../src/chat/webviewProtocol.ts";
import type {ChatMessage, ChatTurn, StreamFrame, TurnStats} from "../../src/core/chatTypes.ts";
import {createAstroSageChatWrapper} from "../../src/engine/AstroSageChatWrapper.ts";
import {buildHistory} from "../../src/engine/LlamaEngine.ts";
import {LocalEngineBackend, type PromptStateEvent} from "../../src/engine/LocalEngineBackend.ts";
import {PromptStateCache} from "../../src/models/PromptStateCache.ts";
import {longScript, writeScriptedModel} from "../support/gguf/scriptedModel.ts";
import {makeTempDir} from "../support/tempDir.ts";
import {startHarness, type Harness} from "./engineHarness.ts";

/** Every word is a whole token of the test vocabulary, so the answer tokenizes back to what was generated. */
const SCRIPT = "The mass is about a million solar masses";

/** A manuscript of about 1,500 tokens. */
function paper(topic: string, extra = ""): string {
    const sentences = [
        `This paper is about ${topic} and the dark matter halo of the milky way.`,
        "We use data from a large survey of stars with a telescope in the infrared and the optical.",
        "The mass of the cluster is measured from the velocity dispersion of its stars, with the virial theorem.",
        "The distance to each star is found from its parallax, and the luminosity from its apparent magnitude.",
        "Our results show that the dark matter halo has a low density in the core and a high density in the disk.",
        "We estimate the uncertainty of each value, and we state our assumptions about the initial mass function.",
        "The spectra of the stars give their metallicity, temperature and radial velocity.",
        "In the last section we explain how these results fit the formation and evolution of the galaxy."
    ];
    const paragraphs: string[] = [];
    for (let i = 0; i < 9; i++)
        paragraphs.push(sentences.map((sentence, j) => (i + j) % 3 === 0 ? sentence.replace("The ", "Then the ") : sentence).join(" "));
    return `${paragraphs.join("\n\n")}${extra}`;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The header node-llama-cpp's Llama 3.1 format puts before each message, with the end of the one before it. */
const endThenUser = "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n";
const endThenAssistant = "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
const systemPrompt = "You are AstroSage, an astronomy research assistant.";

describe("engine process: saved prompt states for paper chats", () => {
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    let harness: Harness;
    let vocabulary: LlamaModel;
    let chatWrapper: ChatWrapper;
    let disposeVocabulary: () => Promise<void>;
    let statesDir: string;
    let modelPath: string;
    let events: PromptStateEvent[];
    let maxBytes = 1024 ** 3;

    /** A window's worth of host objects on the shared engine: a fresh cache and backend read the disk again. */
    function openWindow(clock: {now?: () => Date} = {}) {
        events = [];
        const cache = new PromptStateCache(statesDir, {maxBytes: () => maxBytes, log: {info: () => {}, warn: (message) => assert.fail(message)}, ...clock});
        const backend = new LocalEngineBackend(harness.engine, () => harness.settings, undefined, {
            promptStates: cache,
            onPromptState: (event) => events.push(event)
        });
        const posted: HostMessage[] = [];
        const session = new ChatSession({
            backend,
            turnSettings: () => ({systemPrompt, sampling: {temperature: 0, topP: 1, maxTokens: 64}}),
            post: (message) => posted.push(message),
            log: {error: (message) => assert.fail(message)}
        });
        /** Asks and returns the answer's text and stats. */
        const ask = async (prompt: string, attachment?: {label: string; text: string; document?: string}) => {
            posted.length = 0;
            await session.ask(prompt, {reasoning: false, ...(attachment == null ? {} : {attachment})});
            const frames = posted.flatMap((message) => message.type === "frame" ? [message.frame] : []);
            const final = frames.at(-1);
            assert.equal(final?.kind, "done", JSON.stringify(final));
            const text = frames.map((frame) => frame.kind === "text" ? frame.text : "").join("");
            return {text, stats: (final as {stats: TurnStats}).stats};
        };
        return {cache, backend, session, ask};
    }

    /** Tokens a turn must evaluate when the context already holds everything before `text` (see `promptTokens`). */
    function evaluatedTokens(text: string): number {
        // node-llama-cpp meters the prompt's last token, whose logits give the first
        // answer token, as output: `usedInputTokens` is one less than the tokens evaluated.
        return vocabulary.tokenize(text, true).length - 1;
    }

    /**
     * Tokens a turn must evaluate when the context holds nothing of its prompt (all
     * of them), or the prompt of `held` (those after the prefix they share).
     */
    function wholePromptTokens(messages: ChatMessage[], held?: ChatMessage[]): number {
        const tokens = promptOf(messages);
        const heldTokens = held == null ? [] : promptOf(held);
        let shared = 0;
        while (shared < tokens.length && tokens[shared] === heldTokens[shared])
            shared++;
        return tokens.length - shared - 1;
    }

    function promptOf(messages: ChatMessage[]) {
        const history = buildHistory({messages, systemPrompt, reasoning: false});
        return chatWrapper.generateContextState({chatHistory: history}).contextText.tokenize(vocabulary.tokenizer);
    }

    async function stateFiles(): Promise<string[]> {
        return (await readdir(statesDir)).filter((name) => name.endsWith(".state")).sort();
    }

    before(async () => {
        temp = await makeTempDir("prompt-state");
        statesDir = path.join(temp.dir, "prompt-states");
        modelPath = (await writeScriptedModel(path.join(temp.dir, "paper.gguf"), SCRIPT)).path;
        harness = startHarness(modelPath);
        harness.settings.contextSize = 4096;
        const llamaCpp = await import("node-llama-cpp");
        const {getLlama} = llamaCpp;
        chatWrapper = createAstroSageChatWrapper(llamaCpp);
        const llama = await getLlama({gpu: false, maxThreads: 1, build: "never"});
        vocabulary = await llama.loadModel({modelPath, vocabOnly: true});
        disposeVocabulary = async () => {
            await vocabulary.dispose();
            await llama.dispose();
        };
    });
    after(async () => {
        await harness?.engine.dispose();
        await disposeVocabulary?.();
        await temp.remove();
    });

    let firstSaved: {bytes: number; tokens: number} | undefined;
    let storedChat: StoredConversation | undefined;
    const disk = {label: "disk.tex", text: paper("the stellar disk"), document: "/papers/disk.tex"};

    test("within one engine, a follow-up evaluates only its new turn: LlamaChat reuses the prefix our history renders", async () => {
        maxBytes = 0;
        const window = openWindow();
        const first = await window.ask("What is the mass of the halo?", disk);
        assert.equal(first.stats.promptTokens, wholePromptTokens([{role: "user", text: `${disk.text}\n\nWhat is the mass of the halo?`}]));
        const followUp = await window.ask("And the distance?");
        assert.equal(followUp.stats.promptTokens, evaluatedTokens(`${endThenUser}And the distance?${endThenAssistant}`));
        const third = await window.ask("Why?");
        assert.equal(third.stats.promptTokens, evaluatedTokens(`${endThenUser}Why?${endThenAssistant}`));
        assert.deepEqual(events, []);
        assert.equal(existsSync(statesDir), false, "with a bound of 0 nothing is saved");
        maxBytes = 1024 ** 3;
    });

    test("the first turn saves the paper's state, with the start of the next question; a follow-up evaluates only its words", async () => {
        const window = openWindow();
        const paperTokens = vocabulary.tokenize(disk.text).length;
        assert.ok(paperTokens > 1200 && paperTokens < 2000, `the paper has ${paperTokens} tokens`);

        const first = await window.ask("What is the mass of the halo?", disk);
        assert.equal(first.text, SCRIPT);
        assert.equal(first.stats.promptTokens, wholePromptTokens([{role: "user", text: `${disk.text}\n\nWhat is the mass of the halo?`}]));
        assert.ok(first.stats.promptTokens > paperTokens);
        const saved = events.find((event) => event.type === "stateSaved");
        assert.ok(saved?.type === "stateSaved", `events: ${JSON.stringify(events)}`);
        // The first turn and the start of the next one: before saving, the engine evaluates the
        // answer as the host sends it back and the next user header, which every follow-up starts with.
        const [firstMessage] = window.session.conversation.toModelMessages();
        assert.equal(saved.saved.tokens, promptOf([firstMessage!, {role: "assistant", text: SCRIPT}, {role: "user", text: ""}]).length - vocabulary.tokenize(endThenAssistant, true).length);
        assert.equal((await stat(path.join(statesDir, (await stateFiles())[0]!))).size, saved.saved.bytes);
        assert.deepEqual(events.map((event) => event.type), ["stateSaved"]);
        firstSaved = saved.saved;

        events.length = 0;
        const followUp = await window.ask("And the distance?");
        assert.equal(followUp.stats.promptTokens, evaluatedTokens(`And the distance?${endThenAssistant}`));
        assert.ok(followUp.stats.promptTokens < 15, `follow-up: ${followUp.stats.promptTokens} prompt tokens`);
        assert.deepEqual(events, [], "the sequence holds the paper: nothing to load or save");
        assert.deepEqual(window.session.conversation.toStored().promptCache?.document, "/papers/disk.tex");
        storedChat = window.session.conversation.toStored();
    });

    test("after an engine restart, in a new window, the saved state is loaded: only the new question is evaluated", async () => {
        const pidBefore = harness.engine.pid;
        await harness.engine.restart();
        assert.notEqual(harness.engine.pid, pidBefore);

        const window = openWindow();
        const answer = await window.ask("How old are the stars?", disk);
        assert.equal(answer.text, SCRIPT);
        assert.equal(answer.stats.promptTokens, evaluatedTokens(`How old are the stars?${endThenAssistant}`));
        assert.deepEqual(events.map((event) => event.type), ["stateLoaded"]);
        const loaded = events[0]?.type === "stateLoaded" ? events[0] : undefined;
        assert.deepEqual(loaded && {bytes: loaded.bytes, tokens: loaded.tokens}, {bytes: firstSaved?.bytes, tokens: firstSaved?.tokens});
        assert.equal((await stateFiles()).length, 1, "one paper, one state");
    });

    test("a saved chat reopened after a restart loads the state: only the turns after the first are evaluated", async () => {
        await harness.engine.restart();
        const window = openWindow();
        await window.session.open(storedChat!);
        const answer = await window.ask("Why?");
        assert.equal(answer.stats.promptTokens, evaluatedTokens(`And the distance?${endThenAssistant}${SCRIPT}${endThenUser}Why?${endThenAssistant}`));
        assert.deepEqual(events.map((event) => event.type), ["stateLoaded"]);
    });

    test("an edited paper gets a new key: it is evaluated in full and the old state is deleted", async () => {
        const [oldState] = await stateFiles();
        const window = openWindow();
        const edited = {...disk, text: paper("the stellar disk", "\n\nWe thank the referee.")};
        const answer = await window.ask("What is the mass of the halo?", edited);
        assert.equal(answer.text, SCRIPT);
        assert.equal(answer.stats.promptTokens, wholePromptTokens([{role: "user", text: `${edited.text}\n\nWhat is the mass of the halo?`}]));
        assert.deepEqual(events.map((event) => event.type), ["stateSaved"]);
        const files = await stateFiles();
        assert.equal(files.length, 1);
        assert.notEqual(files[0], oldState, "the old version's state is gone, the new one saved");
    });

    /** Makes the sequence forget the paper (another conversation), so the next paper turn loads its file. */
    async function askSomethingElse(window: ReturnType<typeof openWindow>) {
        await window.session.startNew();
        await window.ask("Hello?");
    }

    const damages: [string, (file: string, record: string) => Promise<void>, RegExp][] = [
        ["truncated", async (file) => truncate(file, Math.floor((await stat(file)).size / 2)), /bytes/],
        ["with damaged data of the same size", async (file) => {
            const bytes = await readFile(file);
            bytes.fill(0xff, bytes.length - 2000, bytes.length - 100);
            await writeFile(file, bytes);
        }, /checksum/],
        ["not a state file", async (file) => {
            const bytes = await readFile(file);
            bytes.write("not a state", 0);
            await writeFile(file, bytes);
        }, /not a llama\.cpp sequence state/],
        ["whose header llama.cpp refuses although its record matches", async (file, record) => {
            // A state the engine's own checks pass: it reaches llama.cpp, which must refuse it without a crash.
            const bytes = await readFile(file);
            bytes.writeUInt32LE(100, 8);
            await writeFile(file, bytes);
            const stored = JSON.parse(await readFile(record, "utf8"));
            stored.saved = {...stored.saved, tokens: 100, crc32: crc32(bytes)};
            await writeFile(record, JSON.stringify(stored));
        }, /llama\.cpp could not restore it/],
        ["whose record claims more tokens than the context holds", async (_file, record) => {
            const stored = JSON.parse(await readFile(record, "utf8"));
            stored.saved = {...stored.saved, tokens: 5000};
            await writeFile(record, JSON.stringify(stored));
        }, /5000 tokens exceed the context size of 4096/]
    ];
    for (const [name, damage, reason] of damages)
        test(`a state file ${name} is deleted, the turn answers and saves a good one`, async () => {
            const window = openWindow();
            await askSomethingElse(window);
            const edited = {...disk, text: paper("the stellar disk", "\n\nWe thank the referee.")};
            const [file] = await stateFiles();
            await damage(path.join(statesDir, file!), path.join(statesDir, file!.replace(/\.state$/, ".json")));
            const pid = harness.engine.pid;

            events.length = 0;
            await window.session.startNew();
            const answer = await window.ask("What is the mass of the halo?", edited);
            assert.equal(answer.text, SCRIPT);
            assert.equal(harness.engine.pid, pid, "the engine did not crash");
            assert.deepEqual(harness.crashes, []);
            // All but the system preamble, which the other conversation left in the context
            // (when the file got as far as llama.cpp, the context was emptied for it).
            const held = reason.source.startsWith("llama") ? undefined : [{role: "user" as const, text: "Hello?"}];
            assert.equal(answer.stats.promptTokens, wholePromptTokens([{role: "user", text: `${edited.text}\n\nWhat is the mass of the halo?`}], held), "the whole paper is evaluated");
            assert.deepEqual(events.map((event) => event.type), ["stateRejected", "stateSaved"]);
            assert.match(events[0]?.type === "stateRejected" ? events[0].reason : "", reason);
            assert.ok(harness.logger.lines.some((line) => line.startsWith("warn:") && line.includes("was not used")), "a warning is logged");

            // The new file is good: after another conversation, it loads.
            await askSomethingElse(window);
            events.length = 0;
            await window.session.startNew();
            const again = await window.ask("How old are the stars?", edited);
            assert.equal(again.stats.promptTokens, evaluatedTokens(`How old are the stars?${endThenAssistant}`));
            assert.deepEqual(events.map((event) => event.type), ["stateLoaded"]);
        });

    test("the cache's bound deletes the least recently used paper's state", async () => {
        const window = openWindow();
        const papers = ["halo", "bulge", "jets"].map((topic) => ({label: `${topic}.tex`, text: paper(`the ${topic}`), document: `/papers/${topic}.tex`}));
        // Each starts with another word, so a state shares only the paper with the next question.
        const questions = ["What is the mass?", "How old are the stars?", "Why is the disk thin?", "Where is the bulge?", "Which survey is used?", "Can we see the jets?"];
        const question = () => questions.shift()!;
        const ask = async (index: number, prompt = question()) => {
            await window.session.startNew();
            return window.ask(prompt, papers[index]);
        };
        for (const name of await readdir(statesDir))
            await rm(path.join(statesDir, name));

        await ask(0);
        await ask(1);
        const sizes = await Promise.all((await stateFiles()).map(async (name) => (await stat(path.join(statesDir, name))).size));
        assert.equal(sizes.length, 2);
        // Room for two states, not three.
        maxBytes = Math.max(...sizes) * 2 + 1000;
        const prompt = question();
        const halo = await ask(0, prompt);
        assert.equal(halo.stats.promptTokens, evaluatedTokens(`${prompt}${endThenAssistant}`), "the halo paper's state was used: now the most recent");
        const namesBefore = new Set(await stateFiles());

        events.length = 0;
        await ask(2);
        assert.deepEqual(events.map((event) => event.type), ["stateSaved"]);
        const namesAfter = await stateFiles();
        assert.equal(namesAfter.length, 2);
        const removed = [...namesBefore].filter((name) => !namesAfter.includes(name));
        assert.equal(removed.length, 1);

        // The halo paper's state survived (it loads), the bulge's was deleted (it is evaluated again).
        events.length = 0;
        await ask(0);
        assert.deepEqual(events.map((event) => event.type), ["stateLoaded"]);
        events.length = 0;
        const bulgeQuestion = question();
        const bulge = await ask(1, bulgeQuestion);
        assert.deepEqual(events.map((event) => event.type), ["stateSaved"]);
        assert.equal(bulge.stats.promptTokens, wholePromptTokens(
            [{role: "user", text: `${papers[1]!.text}\n\n${bulgeQuestion}`}],
            [{role: "user", text: `${papers[0]!.text}\n\nSomething`}]
        ));
        maxBytes = 1024 ** 3;
    });

    test("a paper read on an earlier day still answers at once: its turns keep that day's preamble date", async () => {
        const before = await stateFiles();
        const earlier = openWindow({now: () => new Date(2025, 0, 2, 9)});
        const survey = {label: "survey.tex", text: paper("an old survey"), document: "/papers/survey.tex"};
        await earlier.ask("What is the mass?", survey);
        assert.deepEqual(events.map((event) => event.type), ["stateSaved"]);
        // The state's tokens follow its header (magic, version, count: three uint32).
        const [file, ...others] = (await stateFiles()).filter((name) => !before.includes(name));
        assert.deepEqual(others, []);
        const state = await readFile(path.join(statesDir, file!));
        const tokens = Array.from(new Uint32Array(state.buffer, state.byteOffset + 12, state.readUInt32LE(8))) as Token[];
        assert.match(vocabulary.detokenize(tokens, true), /Today Date: 2 Jan 2025\n/);

        await harness.engine.restart();
        const today = openWindow();
        const answer = await today.ask("How old are the stars?", survey);
        // With today's date in the preamble, everything after it would be evaluated again.
        assert.equal(answer.stats.promptTokens, evaluatedTokens(`How old are the stars?${endThenAssistant}`));
        assert.deepEqual(events.map((event) => event.type), ["stateLoaded"]);
    });

    test("a first answer stopped after its first tokens still saves the paper's state", async () => {
        // Long enough that the stop always arrives before the answer ends, however busy the machine.
        harness.settings.modelPath = (await writeScriptedModel(path.join(temp.dir, "long.gguf"), longScript(2000))).path;
        const window = openWindow();
        const survey = {label: "long.tex", text: paper("a long answer"), document: "/papers/long.tex"};
        const turnOf = (question: string): ChatTurn => ({
            messages: [{role: "user", text: `${survey.text}\n\n${question}`}],
            systemPrompt,
            reasoning: false,
            sampling: {temperature: 0, topP: 1, maxTokens: 2500},
            promptCache: {key: sha256(survey.text), document: survey.document}
        });
        const controller = new AbortController();
        let textFrames = 0;
        let final: StreamFrame | undefined;
        await window.backend.chat(turnOf("What is the mass?"), (frame) => {
            if (frame.kind === "text" && ++textFrames === 5)
                controller.abort();
            if (frame.kind === "done" || frame.kind === "error")
                final = frame;
        }, controller.signal);
        assert.equal(final?.kind === "done" && final.stats.stopReason, "abort");
        assert.deepEqual(events.map((event) => event.type), ["stateSaved"]);

        await harness.engine.restart();
        const reopened = openWindow();
        await reopened.session.startNew();
        const answer = await reopened.ask("How old are the stars?", survey);
        assert.equal(answer.stats.promptTokens, evaluatedTokens(`How old are the stars?${endThenAssistant}`));
        assert.deepEqual(events.map((event) => event.type), ["stateLoaded"]);
        harness.settings.modelPath = modelPath;
    });
});
