// The reference side of the tokenizer parity test (parity.sh), on @huggingface/tokenizers.
//
//   node reference.mjs corpus OUT_DIR JSONL...      writes the texts, one file each, and
//                                                   OUT_DIR/list (their paths, one a line)
//   node reference.mjs compare TOKENIZER_DIR LIST OURS.jsonl
//        encodes every listed file with the reference, compares the ids with OURS.jsonl (what
//        `stepcoder tokenizer encode --json --list LIST` printed) and prints one JSON summary;
//        exits 1 on any difference.
//
// NODE_PATH must hold the cache's node_modules (setup.sh prints it).
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";

const require = createRequire(path.join(process.env.NODE_PATH || ".", "x.js"));

// Texts no data set has: whitespace of every kind, line endings, non-NFC and wide characters,
// special tokens inside text, long digit runs.
function stress_texts() {
  const specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|begin_of_text|>", "<|eot_id|>",
                    "<|fim_prefix|>", "<think>", "<\uFF5Cfim\u2581hole\uFF5C>", "<\uFF5Cend\u2581of\u2581sentence\uFF5C>"];
  const t = [
    "\tint x;\r\n\tint y;\r\n\r\n",
    "a  b   c    d     e\n" + " ".repeat(40) + "x\n" + " ".repeat(300) + "\n",
    "caf\u0065\u0301 na\u00EFve \u212B \u0041\u030A \u1E9B\u0323 \uFB01 \u00C5",
    "emoji: \u{1F600}\u{1F9D1}\u200D\u{1F4BB} \u{1F44D}\u{1F3FD} flags \u{1F1EF}\u{1F1F5}",
    "CJK: \u4F60\u597D\u4E16\u754C \u3053\u3093\u306B\u3061\u306F \uC548\uB155\uD558\uC138\uC694 \u30AB\u30BF\u30AB\u30CA",
    specials.join("") + " text " + specials.join(" x ") + "<|endoftext|",
    "1234567890".repeat(12) + " 0.000001 1e-9 0x7fffffff 3.14159265358979",
    "\u00A0nbsp\u2009thin\u3000ideo\u2028ls\u2029ps\u0085nel\u000B\u000C",
    "It's they're we've I'm you'll he'd IT'S THEY'RE \u017Fs 'S it'\u017F it'\u017Fok x'\u212Ak",
    "x".repeat(5000),
    "=".repeat(3000) + "\n" + "-+".repeat(1000),
    "",
    " ",
    "\n\n\n",
    "\uFEFFbom at start",
    "mixed\u0009tabs\u0020and\u00A0spaces   \t  \n  \t",
    "std::vector<std::pair<int,int>> v{{1,2},{3,4}}; // \u2192 \u00B1 \u00D7",
  ];
  return t;
}

function read_jsonl(file) {
  let text = fs.readFileSync(file);
  if (file.endsWith(".gz")) text = zlib.gunzipSync(text);
  return text.toString("utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
}

function corpus(outDir, files) {
  const texts = stress_texts();
  for (const f of files) {
    for (const p of read_jsonl(f)) {
      const prompt = p.prompt ?? "", solution = p.canonical_solution ?? "";
      texts.push(prompt, solution, prompt + solution);
    }
  }
  fs.mkdirSync(outDir, { recursive: true });
  const list = texts.map((t, i) => {
    const name = path.join(outDir, `t${i}.txt`);
    fs.writeFileSync(name, t, "utf8");
    return name;
  });
  fs.writeFileSync(path.join(outDir, "list"), list.join("\n") + "\n");
  console.log(JSON.stringify({ texts: texts.length, bytes: texts.reduce((n, t) => n + Buffer.byteLength(t), 0) }));
}

function compare(dir, listFile, oursFile) {
  const { Tokenizer } = require("@huggingface/tokenizers");
  const json = JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8"));
  const configPath = path.join(dir, "tokenizer_config.json");
  const config = fs.existsSync(configPath) ? JSON.parse(fs.readFileSync(configPath, "utf8")) : {};
  const tok = new Tokenizer(json, config);
  const files = fs.readFileSync(listFile, "utf8").split("\n").filter((l) => l);
  const ours = fs.readFileSync(oursFile, "utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l));
  if (ours.length !== files.length) throw new Error(`${oursFile}: ${ours.length} lines for ${files.length} files`);
  const texts = files.map((f) => fs.readFileSync(f, "utf8"));
  tok.encode("warm up");
  const start = process.hrtime.bigint();
  const ref = texts.map((t) => (t.length ? tok.encode(t).ids : []));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // Without the post-processor's tokens, an empty text is empty (the reference refuses it).
  const prefix = texts.length && tok.encode("x").ids.length > tok.encode("x", { add_special_tokens: false }).ids.length;
  // NFC changes some texts; their ids stand for the normalized bytes, as in every implementation.
  const nfc = JSON.stringify(json.normalizer ?? null).includes('"NFC"');
  const expectedInexact = nfc ? texts.filter((t) => t.normalize("NFC") !== t).length : 0;
  let differ = 0, ids = 0, notExact = 0;
  const examples = [];
  for (let i = 0; i < files.length; ++i) {
    let want = ref[i];
    if (!texts[i].length && prefix) want = tok.encode("x").ids.slice(0, -1);
    const got = ours[i].ids;
    ids += want.length;
    if (!ours[i].exact) ++notExact;
    if (JSON.stringify(got) === JSON.stringify(want)) continue;
    ++differ;
    if (examples.length < 5) {
      let k = 0;
      while (k < got.length && got[k] === want[k]) ++k;
      examples.push({ file: files[i], at: k, ours: got.slice(k, k + 6), reference: want.slice(k, k + 6),
                      text: texts[i].slice(0, 80) });
    }
  }
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  console.log(JSON.stringify({ tokenizer: dir, texts: files.length, bytes, ids, differ, not_exact: notExact,
                               expected_inexact: expectedInexact,
                               reference_seconds: seconds, examples }));
  process.exit(differ ? 1 : 0);
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "corpus") corpus(args[0], args.slice(1));
else if (mode === "compare") compare(args[0], args[1], args[2]);
else {
  console.error("usage: node reference.mjs corpus OUT_DIR JSONL... | compare DIR LIST OURS.jsonl");
  process.exit(2);
}
