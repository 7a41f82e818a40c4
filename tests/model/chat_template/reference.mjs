// The JavaScript side of the chat-template parity test (parity.sh), on @huggingface/jinja.
//
//   node reference.mjs cases OUT_DIR JSONL...       OUT_DIR/cases.jsonl: every problem of the
//        data files as a question, as a question and answer, with a system message; plus stress
//        conversations (multi-turn, reasoning, tool calls and tool replies, odd text).
//        OUT_DIR/prompts/list: the prompts, one file each
//   node reference.mjs compare OURS.jsonl THEIRS.jsonl NAME   prints one JSON summary of the
//        rendered texts that differ; exits 1 on any
//   node reference.mjs render TEMPLATE CASES.jsonl  one {"text"} or {"error"} a line; TEMPLATE
//        is a tokenizer_config.json (its chat_template and special tokens) or a .jinja file
//   node reference.mjs prompts DIR LIST SYSTEM      the policy's input for each listed prompt
//        file with prompt_format chat (chat_prompt.h): the conversation rendered up to the
//        assistant's answer, then the prompt; its ids from @huggingface/tokenizers, one
//        {"ids"} a line
//
// NODE_PATH must hold the cache's node_modules (../hf_tokenizer/setup.sh prints it).
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";

const require = createRequire(path.join(process.env.NODE_PATH || ".", "x.js"));
const ANSWER = "[[stepcoder:answer-starts-here]]";

function read_jsonl(file) {
  let text = fs.readFileSync(file);
  if (file.endsWith(".gz")) text = zlib.gunzipSync(text);
  return text.toString("utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
}

const user = (content) => ({ role: "user", content });
const assistant = (content) => ({ role: "assistant", content });
const system = (content) => ({ role: "system", content });

function stress_cases() {
  const tool = { type: "function", function: { name: "run_tests", description: "Runs the unit tests",
                 parameters: { type: "object", properties: { code: { type: "string" }, n: { type: "integer" } },
                               required: ["code"] } } };
  const call = { type: "function", function: { name: "run_tests", arguments: { code: "int main(){}", n: 3 } } };
  const odd = "  tabs\tand CRLF\r\n  runs    of spaces \u00e9\u0301 \u{1F600} \u4F60\u597D <|im_end|> 1e-9  \n\n";
  return [
    { messages: [user("Hi"), assistant("Hello!"), user("Write add(a, b) in C++.")], add_generation_prompt: true },
    { messages: [system("Be terse."), user("q1"), assistant("<think>\nreasoning\n</think>\n\nanswer 1"),
                 user("q2")], add_generation_prompt: true },
    { messages: [user("q"), assistant("<think>\nlong\nthought\n</think>\n\nfinal")], add_generation_prompt: false },
    { messages: [user("q"), { role: "assistant", content: "final", reasoning_content: "\nexplicit\n" }],
      add_generation_prompt: false },
    { messages: [user("q")], add_generation_prompt: true, enable_thinking: false },
    { messages: [user("q")], add_generation_prompt: true, enable_thinking: true },
    { messages: [system("You test code."), user("test it")], tools: [tool], add_generation_prompt: true },
    { messages: [user("test it"), { role: "assistant", content: "", tool_calls: [call, call] },
                 { role: "tool", content: "3 passed" }, { role: "tool", content: "0 failed" },
                 user("<tool_response>x</tool_response>")], tools: [tool], add_generation_prompt: true },
    { messages: [user(odd), assistant(odd), system(odd), user(odd)], add_generation_prompt: true },
    { messages: [user("")], add_generation_prompt: true },
    { messages: [user("no generation prompt")] },
    { messages: [system("a"), system("b"), user("two system messages")], add_generation_prompt: true },
  ];
}

function cases(out, files) {
  const rows = stress_cases(), list = [];
  fs.mkdirSync(path.join(out, "prompts"), { recursive: true });
  for (const f of files) {
    for (const p of read_jsonl(f)) {
      const prompt = p.prompt ?? "", solution = p.canonical_solution ?? "";
      const name = path.join(out, "prompts", `p${list.length}.txt`);
      fs.writeFileSync(name, prompt, "utf8");
      list.push(name);
      rows.push({ messages: [user(prompt)], add_generation_prompt: true });
      rows.push({ messages: [user(prompt), assistant(prompt + solution)], add_generation_prompt: false });
      rows.push({ messages: [system("Complete the C++ code."), user(prompt), assistant(ANSWER)],
                  add_generation_prompt: false });
    }
  }
  fs.writeFileSync(path.join(out, "cases.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  fs.writeFileSync(path.join(out, "prompts", "list"), list.join("\n") + "\n");
  console.log(JSON.stringify({ cases: rows.length, prompts: list.length }));
}

// Outcomes must agree: the same text, or an error on both sides (the wording may differ).
function compare(oursFile, theirsFile, name) {
  const ours = read_jsonl(oursFile), theirs = read_jsonl(theirsFile);
  if (ours.length !== theirs.length) throw new Error(`${oursFile}: ${ours.length} lines, ${theirsFile}: ${theirs.length}`);
  let differ = 0, errors = 0;
  const examples = [];
  for (let i = 0; i < ours.length; ++i) {
    const a = ours[i], b = theirs[i];
    if ("error" in a && "error" in b) { ++errors; continue; }
    if (a.text === b.text) continue;
    ++differ;
    if (examples.length < 3) {
      const x = a.text ?? "", y = b.text ?? "";
      let k = 0;
      while (k < x.length && x[k] === y[k]) ++k;
      examples.push({ case: i + 1, at: k, ours: a.error ?? x.slice(Math.max(0, k - 20), k + 40),
                      [name]: b.error ?? y.slice(Math.max(0, k - 20), k + 40) });
    }
  }
  console.log(JSON.stringify({ against: name, cases: ours.length, differ, both_errors: errors, examples }));
  process.exit(differ ? 1 : 0);
}

// The template and the special-token variables transformers passes to it.
function load_template(file) {
  const special = {};
  if (!file.endsWith(".json")) return { source: fs.readFileSync(file, "utf8"), special };
  const config = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const name of ["bos_token", "eos_token", "pad_token"]) {
    const t = config[name];
    if (t !== null && t !== undefined) special[name] = typeof t === "string" ? t : t.content;
  }
  return { source: config.chat_template, special };
}

async function template_of(file) {
  const { Template } = await import(require.resolve("@huggingface/jinja"));
  const { source, special } = load_template(file);
  return { t: new Template(source), special };
}

async function render(file, casesFile) {
  const { t, special } = await template_of(file);
  for (const vars of read_jsonl(casesFile)) {
    let row;
    try {
      row = { text: t.render({ ...special, ...vars }) };
    } catch (e) {
      row = { error: String(e.message ?? e) };
    }
    console.log(JSON.stringify(row));
  }
}

async function prompts(dir, listFile, sys) {
  const { Tokenizer } = require("@huggingface/tokenizers");
  const json = JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8"));
  const configFile = path.join(dir, "tokenizer_config.json");
  const tok = new Tokenizer(json, JSON.parse(fs.readFileSync(configFile, "utf8")));
  const { t, special } = await template_of(configFile);
  for (const file of fs.readFileSync(listFile, "utf8").split("\n").filter((l) => l)) {
    const prompt = fs.readFileSync(file, "utf8");
    const messages = [...(sys ? [system(sys)] : []), user(prompt), assistant(ANSWER)];
    const text = t.render({ ...special, messages, add_generation_prompt: false });
    const input = text.slice(0, text.lastIndexOf(ANSWER)) + prompt;
    console.log(JSON.stringify({ ids: input.length ? tok.encode(input, { add_special_tokens: false }).ids : [] }));
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "cases") cases(args[0], args.slice(1));
else if (mode === "compare") compare(args[0], args[1], args[2]);
else if (mode === "render") await render(args[0], args[1]);
else if (mode === "prompts") await prompts(args[0], args[1], args[2] ?? "");
else {
  console.error("usage: node reference.mjs cases OUT_DIR JSONL... | compare OURS THEIRS NAME | render TEMPLATE CASES | prompts DIR LIST SYSTEM");
  process.exit(2);
}
