#!/usr/bin/python3
"""PyTorch twin of the LibTorch policy (model/transformer.cpp), for bench/model_bench.cpp:
the same architecture and sizes, one training step = forward + masked cross-entropy + backward
+ gradient clipping + AdamW. Prints one JSON line with tokens per second.

Run with Debian's /usr/bin/python3 (python3-torch is importable only there):
  /usr/bin/python3 bench/train_step.py --dim 256 --layers 6 --heads 8 --vocab 1024 --threads 2
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F


class RMSNorm(torch.nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], -1)


class Block(torch.nn.Module):
    def __init__(self, dim, heads, hidden, eps):
        super().__init__()
        self.heads, self.hd = heads, dim // heads
        self.attn_norm, self.mlp_norm = RMSNorm(dim, eps), RMSNorm(dim, eps)
        self.wq, self.wk, self.wv, self.wo = (torch.nn.Linear(dim, dim, bias=False) for _ in range(4))
        self.gate = torch.nn.Linear(dim, hidden, bias=False)
        self.up = torch.nn.Linear(dim, hidden, bias=False)
        self.down = torch.nn.Linear(hidden, dim, bias=False)

    def forward(self, x, cos, sin, mask):
        B, T, C = x.shape
        h = self.attn_norm(x)
        q = self.wq(h).view(B, T, self.heads, self.hd).transpose(1, 2)
        k = self.wk(h).view(B, T, self.heads, self.hd).transpose(1, 2)
        v = self.wv(h).view(B, T, self.heads, self.hd).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.hd))
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        x = x + self.wo((att @ v).transpose(1, 2).reshape(B, T, C))
        h = self.mlp_norm(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Policy(torch.nn.Module):
    def __init__(self, vocab, dim, layers, heads, context, eps=1e-5, theta=10000.0):
        super().__init__()
        hidden = (8 * dim // 3 + 31) // 32 * 32
        self.tok = torch.nn.Embedding(vocab, dim)
        self.blocks = torch.nn.ModuleList(Block(dim, heads, hidden, eps) for _ in range(layers))
        self.norm = RMSNorm(dim, eps)
        self.value_head = torch.nn.Linear(dim, 1)
        hd = dim // heads
        inv = 1.0 / theta ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd)
        ang = torch.outer(torch.arange(context, dtype=torch.float64), inv)
        emb = torch.cat([ang, ang], -1)
        self.register_buffer("cos", emb.cos().float())
        self.register_buffer("sin", emb.sin().float())

    def forward(self, ids):
        T = ids.shape[1]
        cos, sin = self.cos[:T].view(1, 1, T, -1), self.sin[:T].view(1, 1, T, -1)
        pos = torch.arange(T)
        mask = (pos.view(1, T) <= pos.view(T, 1)).view(1, 1, T, T)
        x = self.tok(ids)
        for b in self.blocks:
            x = b(x, cos, sin, mask)
        h = self.norm(x)
        return h @ self.tok.weight.t(), self.value_head(h).squeeze(-1)


def main():
    ap = argparse.ArgumentParser()
    for name, default in [("dim", 256), ("layers", 6), ("heads", 8), ("vocab", 1024), ("context", 320),
                          ("batch", 16), ("seq", 160), ("steps", 10), ("warmup", 2), ("threads", 2)]:
        ap.add_argument("--" + name, type=int, default=default)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Policy(a.vocab, a.dim, a.layers, a.heads, a.context)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.95))
    ids = torch.randint(4, a.vocab, (a.batch, a.seq + 1))
    inp, tgt = ids[:, :-1], ids[:, 1:]
    mask = torch.ones(a.batch, a.seq)
    mask[:, : a.seq // 3] = 0  # the prompt part carries no loss, as in SFT

    def step():
        opt.zero_grad()
        logits, _ = model(inp)
        nll = F.cross_entropy(logits.reshape(-1, a.vocab), tgt.reshape(-1), reduction="none")
        loss = (nll * mask.reshape(-1)).sum() / mask.sum()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    s = time.perf_counter() - t0
    params = sum(p.numel() for p in model.parameters())
    print(json.dumps({"tokens_per_s": a.batch * a.seq * a.steps / s, "seconds_per_step": s / a.steps,
                      "parameters": params, "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
