#!/usr/bin/python3
"""The Python side of the chat-template parity test (parity.sh): Jinja2 configured as
transformers configures it for apply_chat_template (a sandbox, trim_blocks, lstrip_blocks,
loop controls, its own tojson, raise_exception and strftime_now).

    reference.py render TEMPLATE CASES.jsonl    one {"text"} or {"error"} a line; TEMPLATE is a
                                                tokenizer_config.json or a .jinja file
"""
import json
import sys
from datetime import datetime

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


def environment():
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    return env


def load(path):
    if not path.endswith(".json"):
        return open(path, encoding="utf-8").read(), {}
    config = json.load(open(path, encoding="utf-8"))
    special = {}
    for name in ("bos_token", "eos_token", "pad_token"):
        t = config.get(name)
        if t is not None:
            special[name] = t if isinstance(t, str) else t["content"]
    return config["chat_template"], special


def main():
    if len(sys.argv) != 4 or sys.argv[1] != "render":
        sys.exit("usage: reference.py render TEMPLATE CASES.jsonl")
    source, special = load(sys.argv[2])
    template = environment().from_string(source)
    out = sys.stdout
    for line in open(sys.argv[3], encoding="utf-8"):
        if not line.strip():
            continue
        variables = {**special, **json.loads(line)}
        try:
            row = {"text": template.render(**variables)}
        except Exception as e:  # the error's presence is compared, not its wording
            row = {"error": str(e)}
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
