"""Tiny random Hugging Face checkpoints in the real layouts, and a reference forward pass
written after the Hugging Face modeling code (modeling_llama.py, modeling_qwen2.py,
modeling_qwen3.py), for the forward parity test (parity.sh). Needs only PyTorch (Debian's
python3-torch, /usr/bin/python3).

  reference.py write OUT_DIR KIND TOKENIZER_DIR   a checkpoint of KIND (see KINDS)
  reference.py score MODEL_DIR IDS_JSON            prints {"logprobs": [...]} for the ids
"""
import json
import math
import os
import shutil
import struct
import sys

import torch

# Layouts of real model families, at a tiny size (the vocabulary is the real tokenizer's).
KINDS = {
    # Llama 3.2: grouped-query attention, tied embeddings, llama3 rope scaling, bf16 weights.
    "llama32": dict(model_type="llama", hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                    num_key_value_heads=2, intermediate_size=96, tie_word_embeddings=True,
                    rope_theta=500000.0, max_position_embeddings=1024,
                    rope_scaling={"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0,
                                  "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
                    head_dim=16, dtype="BF16"),
    # DeepSeek-Coder: Llama with linear rope scaling x4, separate head.
    "deepseek_coder": dict(model_type="llama", hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                           num_key_value_heads=4, intermediate_size=96, tie_word_embeddings=False,
                           rope_theta=100000.0, max_position_embeddings=1024,
                           rope_scaling={"type": "linear", "factor": 4.0}, dtype="F32"),
    # Qwen2.5-Coder: q/k/v biases, rope_theta 1e6, tied.
    "qwen25": dict(model_type="qwen2", hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                   num_key_value_heads=2, intermediate_size=96, tie_word_embeddings=True,
                   rope_theta=1000000.0, max_position_embeddings=1024, dtype="BF16"),
    # Qwen3: per-head q/k RMSNorm, explicit head_dim (heads * head_dim != hidden), in two shards.
    "qwen3": dict(model_type="qwen3", hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=2, intermediate_size=96, tie_word_embeddings=False, head_dim=32,
                  rope_theta=1000000.0, max_position_embeddings=1024, dtype="F32", shards=2),
    # Qwen2.5-0.5B's shape, for the import memory benchmark (bench/hf_import_memory.sh).
    "qwen25_05b": dict(model_type="qwen2", hidden_size=896, num_hidden_layers=24, num_attention_heads=14,
                       num_key_value_heads=2, intermediate_size=4864, tie_word_embeddings=True,
                       rope_theta=1000000.0, max_position_embeddings=32768, vocab_size=151936, dtype="BF16"),
}

DTYPES = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}


def head_dim(c):
    return c.get("head_dim") or c["hidden_size"] // c["num_attention_heads"]


def tensors_of(c, vocab, gen):
    """Every tensor of the layout, random (normal, std 0.1; norms around 1)."""
    d, hd, h, kv, f = c["hidden_size"], head_dim(c), c["num_attention_heads"], c["num_key_value_heads"], c["intermediate_size"]
    rnd = lambda *s: torch.randn(*s, generator=gen) * 0.1
    norm = lambda n: 1.0 + torch.randn(n, generator=gen) * 0.1
    t = {"model.embed_tokens.weight": rnd(vocab, d), "model.norm.weight": norm(d)}
    if not c["tie_word_embeddings"]:
        t["lm_head.weight"] = rnd(vocab, d)
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        t[p + "self_attn.q_proj.weight"] = rnd(h * hd, d)
        t[p + "self_attn.k_proj.weight"] = rnd(kv * hd, d)
        t[p + "self_attn.v_proj.weight"] = rnd(kv * hd, d)
        t[p + "self_attn.o_proj.weight"] = rnd(d, h * hd)
        if c["model_type"] == "qwen2":
            for n, size in (("q", h * hd), ("k", kv * hd), ("v", kv * hd)):
                t[p + f"self_attn.{n}_proj.bias"] = rnd(size)
        if c["model_type"] == "qwen3":
            t[p + "self_attn.q_norm.weight"] = norm(hd)
            t[p + "self_attn.k_norm.weight"] = norm(hd)
        t[p + "mlp.gate_proj.weight"] = rnd(f, d)
        t[p + "mlp.up_proj.weight"] = rnd(f, d)
        t[p + "mlp.down_proj.weight"] = rnd(d, f)
        t[p + "input_layernorm.weight"] = norm(d)
        t[p + "post_attention_layernorm.weight"] = norm(d)
    return t


def raw_bytes(x):
    if x.dtype == torch.bfloat16:
        return x.contiguous().view(torch.int16).numpy().tobytes()
    return x.contiguous().numpy().tobytes()


def write_safetensors(path, tensors, dtype):
    header, blobs, at = {}, [], 0
    for name, x in tensors.items():
        b = raw_bytes(x.to(DTYPES[dtype]))
        header[name] = {"dtype": dtype, "shape": list(x.shape), "data_offsets": [at, at + len(b)]}
        blobs.append(b)
        at += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def vocab_size(tokenizer_dir):
    j = json.load(open(os.path.join(tokenizer_dir, "tokenizer.json")))
    ids = list(j["model"]["vocab"].values()) + [a["id"] for a in j["added_tokens"]]
    return max(ids) + 1


def write(out, kind, tokenizer_dir):
    c = dict(KINDS[kind])
    dtype, shards = c.pop("dtype"), c.pop("shards", 1)
    vocab = max(c.pop("vocab_size", 0), vocab_size(tokenizer_dir))
    os.makedirs(out, exist_ok=True)
    config = dict(c, vocab_size=vocab, rms_norm_eps=1e-6, hidden_act="silu",
                  torch_dtype={"F32": "float32", "BF16": "bfloat16"}[dtype])
    json.dump(config, open(os.path.join(out, "config.json"), "w"), indent=2)
    gen = torch.Generator().manual_seed(sum(map(ord, kind)))
    t = tensors_of(c, vocab, gen)
    names = list(t)
    if shards == 1:
        write_safetensors(os.path.join(out, "model.safetensors"), t, dtype)
    else:
        weight_map = {}
        for s in range(shards):
            part = {n: t[n] for i, n in enumerate(names) if i % shards == s}
            file = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
            write_safetensors(os.path.join(out, file), part, dtype)
            weight_map.update({n: file for n in part})
        json.dump({"metadata": {}, "weight_map": weight_map},
                  open(os.path.join(out, "model.safetensors.index.json"), "w"))
    for f in ("tokenizer.json", "tokenizer_config.json"):
        if os.path.exists(os.path.join(tokenizer_dir, f)):
            shutil.copy(os.path.join(tokenizer_dir, f), out)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, e2 = e["data_offsets"]
        buf = bytearray(data[b:e2])
        if e["dtype"] == "BF16":
            x = torch.frombuffer(buf, dtype=torch.int16).view(torch.bfloat16)
        else:
            x = torch.frombuffer(buf, dtype=DTYPES[e["dtype"]])
        out[name] = x.reshape(e["shape"]).to(torch.float32)
    return out


def load_weights(d):
    index = os.path.join(d, "model.safetensors.index.json")
    if not os.path.exists(index):
        return read_safetensors(os.path.join(d, "model.safetensors"))
    w = {}
    for f in sorted(set(json.load(open(index))["weight_map"].values())):
        w.update(read_safetensors(os.path.join(d, f)))
    return w


def rope_inv_freq(c):
    """_compute_default / _linear / _llama3 _rope_parameters of modeling_rope_utils.py."""
    dim, base = head_dim(c), c.get("rope_theta", 10000.0)
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    rs = c.get("rope_scaling") or {}
    kind = rs.get("rope_type", rs.get("type", "default"))
    if kind == "linear":
        return inv_freq / rs["factor"]
    if kind == "llama3":
        factor, lo, hi = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"]
        old = rs["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old / lo, old / hi
        wavelen = 2 * math.pi / inv_freq
        inv_llama = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
        smooth = (old / wavelen - lo) / (hi - lo)
        smoothed = (1 - smooth) * inv_llama / factor + smooth * inv_llama
        medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
        return torch.where(medium, smoothed, inv_llama)
    return inv_freq


def rms_norm(x, w, eps):
    x32 = x.to(torch.float32)
    return w * (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def forward(c, w, ids):
    T, hd = len(ids), head_dim(c)
    h, kv, eps = c["num_attention_heads"], c["num_key_value_heads"], c["rms_norm_eps"]
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]
    freqs = torch.outer(torch.arange(T).float(), rope_inv_freq(c))
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    mask = torch.full((T, T), float("-inf")).triu(1)
    lin = lambda v, p: v @ w[p + ".weight"].T + (w[p + ".bias"] if p + ".bias" in w else 0)
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        a = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = lin(a, p + "self_attn.q_proj").view(T, h, hd)
        k = lin(a, p + "self_attn.k_proj").view(T, kv, hd)
        v = lin(a, p + "self_attn.v_proj").view(T, kv, hd)
        if c["model_type"] == "qwen3":
            q = rms_norm(q, w[p + "self_attn.q_norm.weight"], eps)
            k = rms_norm(k, w[p + "self_attn.k_norm.weight"], eps)
        q, k, v = q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(h // kv, dim=0)
        v = v.repeat_interleave(h // kv, dim=0)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, dim=-1, dtype=torch.float32)
        o = (att @ v).transpose(0, 1).reshape(T, h * hd)
        x = x + lin(o, p + "self_attn.o_proj")
        m = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate, up = lin(m, p + "mlp.gate_proj"), lin(m, p + "mlp.up_proj")
        x = x + lin(torch.nn.functional.silu(gate) * up, p + "mlp.down_proj")
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return x @ head.T


def score(d, ids_json):
    c = json.load(open(os.path.join(d, "config.json")))
    ids = json.load(open(ids_json))
    with torch.no_grad():
        logp = torch.log_softmax(forward(c, load_weights(d), ids), dim=-1)
        lp = logp[torch.arange(len(ids) - 1), torch.tensor(ids[1:])]
    print(json.dumps({"logprobs": lp.tolist()}))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 4 and sys.argv[1] == "score":
        score(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
