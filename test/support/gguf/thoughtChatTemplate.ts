/**
 * A Llama 3.1-format chat template that also writes an assistant message's
 * `reasoning_content` as `<think>…</think>`, as the templates of reasoning
 * models do. llama-server reads its thought markers from such a template, and
 * with `--reasoning-format deepseek` streams thoughts in `reasoning_content`
 * instead of inline: the other way servers deliver AstroSage's reasoning.
 * (The official Llama 3.1 template has no thoughts, so with it llama-server
 * leaves `<think>…</think>` in the content.)
 */
export const THOUGHT_AWARE_CHAT_TEMPLATE =
    "{{- bos_token }}" +
    "{%- for message in messages %}" +
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' }}" +
    "{%- if message['role'] == 'assistant' and message.get('reasoning_content') %}" +
    "{{- '<think>\\n' + message['reasoning_content'] + '\\n</think>\\n\\n' }}" +
    "{%- endif %}" +
    "{{- message['content'] | trim }}{{- '<|eot_id|>' }}" +
    "{%- endfor %}" +
    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}";
