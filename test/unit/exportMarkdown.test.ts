import assert from "node:assert/strict";
import {test} from "node:test";
import type {StoredConversation} from "../../src/chat/ConversationStore.ts";
import {exportMarkdown} from "../../src/chat/exportMarkdown.ts";

const baseStats = {promptTokens: 30, timeToFirstTokenMs: 120, thoughtTokens: 0, thoughtMs: 0} as const;

const conversation: StoredConversation = {
    id: "0b7f3f4e-8d2c-4a51-9f0e-2f6d1c3b5a79",
    title: "Critical density for $H_0 = 70$",
    createdAt: "2025-05-01T14:03:27.512Z",
    updatedAt: "2025-05-01T14:20:00.000Z",
    messages: [
        {role: "user", text: "What is the critical density for $H_0 = 70\\,\\mathrm{km\\,s^{-1}\\,Mpc^{-1}}$?", thought: ""},
        {
            role: "assistant",
            thought: "Use $\\rho_c = 3H^2/8\\pi G$.\nConvert $H_0$ to s$^{-1}$ first.",
            text: "\n\n$$\n\\rho_c = \\frac{3H_0^2}{8\\pi G} \\approx 9.2\\times10^{-27}\\,\\mathrm{kg\\,m^{-3}}\n$$\n\nIn Python:\n\n```python\nrho_c = 3 * H0**2 / (8 * np.pi * G)\n```\n",
            stats: {...baseStats, generatedTokens: 412, tokensPerSecond: 23.14, durationMs: 18_230, thoughtTokens: 60, thoughtMs: 2_400, stopReason: "eogToken"}
        },
        {role: "user", text: "Vectorise this", thought: "", context: "fit.py:12-13", attachment: "for i in range(n):\n    y[i] = f(x[i])  # uses `f`"},
        {
            role: "assistant",
            thought: "",
            text: "Use NumPy:\n\n```python\ny = f(x",
            error: "The engine stopped while answering.\nIt restarts on the next question."
        },
        {role: "user", text: "Why is the sky dark at night?", thought: ""},
        {
            role: "assistant",
            thought: "Olbers' paradox.",
            text: "Because the Universe has a finite age",
            stats: {...baseStats, generatedTokens: 9, tokensPerSecond: 20, durationMs: 75_400, stopReason: "abort"}
        },
        {role: "user", text: "And the CMB?", thought: ""},
        {role: "assistant", thought: "", text: ""}
    ]
};

const withoutThoughts = `# Critical density for $H_0 = 70$

*AstroSage chat, started 2025-05-01 14:03 UTC*

**You**

What is the critical density for $H_0 = 70\\,\\mathrm{km\\,s^{-1}\\,Mpc^{-1}}$?

**AstroSage**

$$
\\rho_c = \\frac{3H_0^2}{8\\pi G} \\approx 9.2\\times10^{-27}\\,\\mathrm{kg\\,m^{-3}}
$$

In Python:

\`\`\`python
rho_c = 3 * H0**2 / (8 * np.pi * G)
\`\`\`

*412 tokens · 23.1 tokens/s · 18.2 s*

---

**You**

<details>
<summary>Selection: fit.py:12-13</summary>

\`\`\`
for i in range(n):
    y[i] = f(x[i])  # uses \`f\`
\`\`\`

</details>

Vectorise this

**AstroSage**

Use NumPy:

\`\`\`python
y = f(x
\`\`\`

> **Error:** The engine stopped while answering.
> It restarts on the next question.

---

**You**

Why is the sky dark at night?

**AstroSage**

Because the Universe has a finite age

*9 tokens · 20.0 tokens/s · 1 min 15 s · stopped*

---

**You**

And the CMB?

**AstroSage**

*Unfinished: the answer was still being written.*
`;

test("a conversation exports as Markdown, its math and code verbatim", () => {
    assert.equal(exportMarkdown(conversation), withoutThoughts);
    assert.equal(exportMarkdown(conversation, {includeThoughts: false}), withoutThoughts);
});

test("with thoughts, each answer's reasoning comes first, folded", () => {
    const exported = exportMarkdown(conversation, {includeThoughts: true});
    const firstReasoning = `**AstroSage**

<details>
<summary>Reasoning</summary>

Use $\\rho_c = 3H^2/8\\pi G$.
Convert $H_0$ to s$^{-1}$ first.

</details>

$$
\\rho_c`;
    const secondReasoning = `**AstroSage**

<details>
<summary>Reasoning</summary>

Olbers' paradox.

</details>

Because the Universe`;
    assert.ok(exported.includes(firstReasoning), exported);
    assert.ok(exported.includes(secondReasoning), exported);
    // Nothing else changes: taking the two blocks out gives the export without thoughts.
    const folded = /<details>\n<summary>Reasoning<\/summary>\n\n[^]*?\n\n<\/details>\n\n/g;
    assert.equal(exported.replace(folded, ""), withoutThoughts);
});

test("an empty title, markup in a selection's label and fences in the selection stay harmless", () => {
    const exported = exportMarkdown({
        ...conversation,
        title: "  ",
        messages: [{role: "user", text: "Hi", thought: "", context: "<b>x.md</b>", attachment: "```py\nx\n```"}]
    });
    assert.equal(exported, `# AstroSage chat

*AstroSage chat, started 2025-05-01 14:03 UTC*

**You**

<details>
<summary>Selection: &lt;b&gt;x.md&lt;/b&gt;</summary>

\`\`\`\`
\`\`\`py
x
\`\`\`
\`\`\`\`

</details>

Hi
`);
});
