// Unit tests of the Jinja engine (model/jinja.h). Every expected string was rendered by Python
// Jinja2 3.1 configured as transformers configures it (ImmutableSandboxedEnvironment with
// trim_blocks, lstrip_blocks and loopcontrols, transformers's tojson and raise_exception). The
// real chat templates: jinja_chat_test.cpp and the ChatTemplateParity test.
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/jinja.h"

namespace stepcoder::model {
namespace {

using Json = nlohmann::ordered_json;

// The output of a template, or "error: <message>" from parsing or rendering.
std::string render(const std::string& tpl, const std::string& vars) {
  auto t = jinja::Template::parse(tpl, "t");
  if (!t) return "error: " + t.error();
  auto out = t->render(Json::parse(vars));
  return out ? *out : "error: " + out.error();
}

// ---- features, one template each ----

TEST(JinjaRender, TrimBlocks) {
  EXPECT_EQ(render("{% if true %}\nyes\n{% endif %}\nafter", "{}"),
            "yes\nafter");
}

TEST(JinjaRender, LstripBlocks) {
  EXPECT_EQ(render("  {% if true %}\n  x\n  {% endif %}\n  {{ 'y' }}  {# c #}\nz\n", "{}"),
            "  x\n  y  z");
}

TEST(JinjaRender, StripMarkers) {
  EXPECT_EQ(render("a  \n {%- if true -%}  \n b \n {%- endif -%} \n c {{- ' d ' -}} e {#- x -#}  f", "{}"),
            "abc d ef");
}

TEST(JinjaRender, PlusDisables) {
  EXPECT_EQ(render("  {%+ if true %}x{% endif +%}\ny", "{}"),
            "  x\ny");
}

TEST(JinjaRender, TrailingNewlineOnce) {
  EXPECT_EQ(render("a\n\n", "{}"),
            "a\n");
}

TEST(JinjaRender, Crlf) {
  EXPECT_EQ(render("a\r\n{% if true %}\r\nb\r\n{% endif %}\r\n", "{}"),
            "a\nb\n");
}

TEST(JinjaRender, CommentTrim) {
  EXPECT_EQ(render("a\n{# note #}\nb", "{}"),
            "a\nb");
}

TEST(JinjaRender, Raw) {
  EXPECT_EQ(render("{% raw %}{{ x }}{% endraw %}|{%- raw -%}  {% if %}  {%- endraw %}", "{}"),
            "{{ x }}|{% if %}");
}

TEST(JinjaRender, VarNoTrim) {
  EXPECT_EQ(render("{{ 'a' }}\nb", "{}"),
            "a\nb");
}

TEST(JinjaRender, InlineSpaces) {
  EXPECT_EQ(render("{% if true %}  {% endif %}|", "{}"),
            "  |");
}

TEST(JinjaRender, Literals) {
  EXPECT_EQ(render("{{ 'a\\tb' }}|{{ \"q'\" }}|{{ 'x' 'y' }}|{{ 42 }}|{{ 1_000 }}|{{ 2.50 }}|{{ true }}|{{ None }}|{{ none is none }}", "{}"),
            "a\tb|q'|xy|42|1000|2.5|True|None|True");
}

TEST(JinjaRender, Escapes) {
  EXPECT_EQ(render("{{ '\\u00e9\\x41\\n\\\\\\d' }}", "{}"),
            "éA\n\\\\d");
}

TEST(JinjaRender, FloatRepr) {
  EXPECT_EQ(render("{{ 1e-5 }} {{ 1e16 }} {{ 0.1 }} {{ 1.0 }} {{ 1/3 }} {{ 2.5e-3 }} {{ 10/2 }} {{ -0.0 }}", "{}"),
            "1e-05 1e+16 0.1 1.0 0.3333333333333333 0.0025 5.0 -0.0");
}

TEST(JinjaRender, ListRepr) {
  EXPECT_EQ(render("{{ [1, 'a', none, true, 1.5, {'k': (1,)}, ('x', 'y')] }}|{{ [\"it's\"] }}|{{ () }}", "{}"),
            "[1, 'a', None, True, 1.5, {'k': (1,)}, ('x', 'y')]|[\"it's\"]|()");
}

TEST(JinjaRender, UndefinedPrint) {
  EXPECT_EQ(render("[{{ nothing }}]", "{}"),
            "[]");
}

TEST(JinjaRender, Arith) {
  EXPECT_EQ(render("{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 7 / 2 }} {{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }}", "{}"),
            "3 -4 1 2 1024 3.5 7 9 64");
}

TEST(JinjaRender, Concat) {
  EXPECT_EQ(render("{{ 'a' ~ 1 ~ none ~ nothing }}|{{ 'ab' * 3 }}|{{ [1] + [2, 3] }}|{{ 1 + 1.5 }}|{{ true + 1 }}", "{}"),
            "a1None|ababab|[1, 2, 3]|2.5|2");
}

TEST(JinjaRender, Compare) {
  EXPECT_EQ(render("{{ 1 == 1.0 }} {{ 1 == true }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' != 'a' }}", "{}"),
            "True True True True True False False");
}

TEST(JinjaRender, InOps) {
  EXPECT_EQ(render("{{ 'b' in 'abc' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'z' not in 'abc' }} {{ 'x' in nothing }}", "{}"),
            "True True True True False");
}

TEST(JinjaRender, AndOrValues) {
  EXPECT_EQ(render("{{ 0 or 'x' }}|{{ 'a' and 'b' }}|{{ '' and 'b' }}|{{ none or [] }}|{{ not 0 }}|{{ not 'a' }}", "{}"),
            "x|b||[]|True|False");
}

TEST(JinjaRender, Conditional) {
  EXPECT_EQ(render("{{ 'y' if 1 else 'n' }}|{{ 'y' if 0 else 'n' }}|{{ 'y' if 0 }}|{{ 'a' if 0 else 'b' if 1 else 'c' }}", "{}"),
            "y|n||b");
}

TEST(JinjaRender, Unary) {
  EXPECT_EQ(render("{{ -3 }} {{ - 2 ** 2 }} {{ -(2) | abs }} {{ +4 }} {{ -1.5 }}", "{}"),
            "-3 4 2 4 -1.5");
}

TEST(JinjaRender, Truthiness) {
  EXPECT_EQ(render("{% for v in [0, 1, '', 'a', [], [0], {}, none, 0.0] %}{{ 'T' if v else 'F' }}{% endfor %}", "{}"),
            "FTFTFTFFF");
}

TEST(JinjaRender, IfElif) {
  EXPECT_EQ(render("{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %},{% endfor %}", "{}"),
            "one,two,many,");
}

TEST(JinjaRender, LoopVars) {
  EXPECT_EQ(render("{% for x in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}", "{}"),
            "1032TrueFalse3|2121FalseFalse3|3210FalseTrue3|");
}

TEST(JinjaRender, LoopPrevNext) {
  EXPECT_EQ(render("{% for x in [1, 2, 3] %}[{{ loop.previtem }}<{{ x }}>{{ loop.nextitem }}]{% endfor %}", "{}"),
            "[<1>2][1<2>3][2<3>]");
}

TEST(JinjaRender, LoopCycle) {
  EXPECT_EQ(render("{% for x in range(5) %}{{ loop.cycle('a', 'b') }}{% endfor %}", "{}"),
            "ababa");
}

TEST(JinjaRender, ForUnpack) {
  EXPECT_EQ(render("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}{% for a, b in [[1, 2], (3, 4)] %}{{ a + b }}{% endfor %}", "{}"),
            "a=1;b=2;37");
}

TEST(JinjaRender, ForFilter) {
  EXPECT_EQ(render("{% for x in range(10) if x is odd %}{{ x }}{% if not loop.last %},{% endif %}{% endfor %}", "{}"),
            "1,3,5,7,9");
}

TEST(JinjaRender, ForElse) {
  EXPECT_EQ(render("{% for x in [] %}x{% else %}empty{% endfor %}|{% for x in [1] if x > 5 %}x{% else %}none{% endfor %}", "{}"),
            "empty|none");
}

TEST(JinjaRender, ForDictString) {
  EXPECT_EQ(render("{% for k in {'b': 1, 'a': 2} %}{{ k }}{% endfor %}|{% for ch in 'héllo' %}{{ ch }}.{% endfor %}", "{}"),
            "ba|h.é.l.l.o.");
}

TEST(JinjaRender, BreakContinue) {
  EXPECT_EQ(render("{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}", "{}"),
            "0134");
}

TEST(JinjaRender, NestedLoops) {
  EXPECT_EQ(render("{% for a in [1, 2] %}{% for b in ['x', 'y'] %}{{ a }}{{ b }}{{ loop.index }}{% endfor %}{{ loop.index }} {% endfor %}", "{}"),
            "1x11y21 2x12y22 ");
}

TEST(JinjaRender, SetScopingFor) {
  EXPECT_EQ(render("{% set x = 1 %}{% for i in range(3) %}{% set x = x + i %}{{ x }}{% endfor %}|{{ x }}", "{}"),
            "123|1");
}

TEST(JinjaRender, SetScopingIf) {
  EXPECT_EQ(render("{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}", "{}"),
            "2");
}

TEST(JinjaRender, Namespace) {
  EXPECT_EQ(render("{% set ns = namespace(total=0, found=false) %}{% for i in range(4) %}{% set ns.total = ns.total + i %}{% if i == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.total }} {{ ns.found }}", "{}"),
            "6 True");
}

TEST(JinjaRender, SetUnpack) {
  EXPECT_EQ(render("{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set (c, d) = ['x', 'y'] %}{{ c }}{{ d }}", "{}"),
            "12xy");
}

TEST(JinjaRender, SetBlock) {
  EXPECT_EQ(render("{% set body %}Hello {{ name }}!{% endset %}[{{ body | upper }}]", "{\"name\": \"Ann\"}"),
            "[HELLO ANN!]");
}

TEST(JinjaRender, Macro) {
  EXPECT_EQ(render("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(name='C', punct='.') }} {{ greet() }}|", "{}"),
            "Hi A! Hi B? Hi C. Hi !|");
}

TEST(JinjaRender, MacroRecursion) {
  EXPECT_EQ(render("{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1) | int }}{% endif %}{% endmacro %}{{ fact(5) }}", "{}"),
            "120");
}

TEST(JinjaRender, MacroScope) {
  EXPECT_EQ(render("{% set g = 'global' %}{% macro m() %}{% set g = 'inner' %}{{ g }}{% endmacro %}{{ m() }} {{ g }}", "{}"),
            "inner global");
}

TEST(JinjaRender, CallBlock) {
  EXPECT_EQ(render("{% macro box(t) %}<{{ t }}:{{ caller() }}>{% endmacro %}{% call box('b') %}inside{% endcall %}", "{}"),
            "<b:inside>");
}

TEST(JinjaRender, FilterBlock) {
  EXPECT_EQ(render("{% filter upper %}abc{{ 'd' }}{% endfilter %}", "{}"),
            "ABCD");
}

TEST(JinjaRender, AttrItem) {
  EXPECT_EQ(render("{{ m.role }} {{ m['content'] }} {{ m.missing }}|{{ l[0] }} {{ l[-1] }} {{ l[99] }}|{{ l.0 }}", "{\"m\": {\"role\": \"user\", \"content\": \"hi\"}, \"l\": [1, 2, 3]}"),
            "user hi |1 3 |1");
}

TEST(JinjaRender, Slices) {
  EXPECT_EQ(render("{{ l[::-1] }} {{ l[1:] }} {{ l[:-1] }} {{ l[::2] }} {{ l[5:] }} {{ 'héllo'[1:3] }} {{ 'abc'[::-1] }} {{ l[-2:] }}", "{\"l\": [1, 2, 3, 4]}"),
            "[4, 3, 2, 1] [2, 3, 4] [1, 2, 3] [1, 3] [] él cba [3, 4]");
}

TEST(JinjaRender, MessagesReversed) {
  EXPECT_EQ(render("{% for m in messages[::-1] %}{{ m.role }} {% endfor %}", "{\"messages\": [{\"role\": \"a\"}, {\"role\": \"b\"}, {\"role\": \"c\"}]}"),
            "c b a ");
}

TEST(JinjaRender, DictMethods) {
  EXPECT_EQ(render("{% set d = {'a': 1, 'b': 2} %}{{ d.keys() | list }} {{ d.values() | list }} {{ d.items() | list }} {{ d.get('a') }} {{ d.get('z', 'dflt') }} {{ d.get('z') }}", "{}"),
            "['a', 'b'] [1, 2] [('a', 1), ('b', 2)] 1 dflt None");
}

TEST(JinjaRender, DictAttrVsItem) {
  EXPECT_EQ(render("{{ d.items is callable }} {{ d['items'] }}", "{\"d\": {\"items\": \"value\"}}"),
            "True value");
}

TEST(JinjaRender, Tests) {
  EXPECT_EQ(render("{{ x is defined }} {{ y is undefined }} {{ none is none }} {{ 's' is string }} {{ 1 is number }} {{ 1 is integer }} {{ 1.0 is float }} {{ true is boolean }} {{ true is true }} {{ 0 is false }} {{ {} is mapping }} {{ [] is iterable }} {{ 'a' is sequence }} {{ range is callable }}", "{\"x\": 1}"),
            "True True True True True True True True True False True True True True");
}

TEST(JinjaRender, TestsArgs) {
  EXPECT_EQ(render("{{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(2) }} {{ 'a' is equalto 'a' }} {{ 2 is eq 2 }} {{ 1 is ne 2 }} {{ 1 is lt 2 }} {{ 3 is gt 2 }} {{ 2 is ge 2 }} {{ 2 is le 1 }} {{ 1 is in [1] }} {{ x is not none }}", "{\"x\": null}"),
            "True True True False True True True True True True False True False");
}

TEST(JinjaRender, TestBoolInt) {
  EXPECT_EQ(render("{{ true is integer }} {{ true is number }} {{ 1 is boolean }}", "{}"),
            "False True False");
}

TEST(JinjaRender, StrMethods) {
  EXPECT_EQ(render("{{ s.startswith('He') }} {{ s.endswith(('x', 'ld')) }} {{ s.split() }} {{ s.split('l') }} {{ s.split('l', 1) }} {{ s.rsplit('l', 1) }} {{ '  a b  '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ '\\n\\na'.lstrip('\\n') }}|{{ 'a  '.rstrip() }}|", "{\"s\": \"Hello World\"}"),
            "True True ['Hello', 'World'] ['He', '', 'o Wor', 'd'] ['He', 'lo World'] ['Hello Wor', 'd'] a b|a|a|a|");
}

TEST(JinjaRender, StrCase) {
  EXPECT_EQ(render("{{ 'héllo wörld'.upper() }} {{ 'ÀÉÎ'.lower() }} {{ 'hello wORLD'.title() }} {{ 'hELLO'.capitalize() }} {{ 'straße'.upper() }} {{ \"they're\".title() }}", "{}"),
            "HÉLLO WÖRLD àéî Hello World Hello STRASSE They'Re");
}

TEST(JinjaRender, StrMisc) {
  EXPECT_EQ(render("{{ 'aaa'.replace('a', 'b', 2) }} {{ 'héllo'.find('l') }} {{ 'abcabc'.count('bc') }} {{ '-'.join(['a', 'b']) }} {{ '123'.isdigit() }} {{ 'ab'.isalpha() }} {{ ' '.isspace() }} {{ 'ab'.islower() }} {{ 'AB'.isupper() }} {{ 'x'.find('y') }}", "{}"),
            "bba 2 2 a-b True True True True True -1");
}

TEST(JinjaRender, StrSplitUnicode) {
  EXPECT_EQ(render("{{ 'a　b c'.split() }} {{ 'é,ü'.split(',') }} {{ 'héllo' | length }} {{ '  ü  '.strip() }}", "{}"),
            "['a', 'b', 'c'] ['é', 'ü'] 5 ü");
}

TEST(JinjaRender, StrFormat) {
  EXPECT_EQ(render("{{ '{} and {}'.format('a', 1) }} {{ '{x}!'.format(x='y') }} {{ '{0}{0}'.format('z') }}", "{}"),
            "a and 1 y! zz");
}

TEST(JinjaRender, FiltersBasic) {
  EXPECT_EQ(render("{{ [1, 2, 3] | length }} {{ 'abc' | count }} {{ '  x  ' | trim }}|{{ 'xxhixx' | trim('x') }} {{ 42 | string }} {{ '42' | int + 1 }} {{ '3.5' | float }} {{ 'x' | int }} {{ '3.7' | int }} {{ [3, 1] | first }} {{ [3, 1] | last }}", "{}"),
            "3 3 x|hi 42 43 3.5 0 3 3 1");
}

TEST(JinjaRender, FiltersText) {
  EXPECT_EQ(render("{{ 'hello world' | title }} {{ 'hello' | capitalize }} {{ 'AbC' | lower }} {{ 'abc' | upper }} {{ 'aXbX' | replace('X', '-') }} {{ 'abc' | reverse }} {{ [1, 2] | reverse | list }} {{ 'ab-cd (ef' | title }}", "{}"),
            "Hello World Hello abc ABC a-b- cba [2, 1] Ab-Cd (Ef");
}

TEST(JinjaRender, FiltersJoin) {
  EXPECT_EQ(render("{{ [1, 2, 3] | join(', ') }} {{ users | join('/', attribute='name') }} {{ ['a'] | join }}", "{\"users\": [{\"name\": \"x\"}, {\"name\": \"y\"}]}"),
            "1, 2, 3 x/y a");
}

TEST(JinjaRender, FiltersDefault) {
  EXPECT_EQ(render("{{ nothing | default('d') }} {{ '' | default('d') }} {{ '' | default('d', true) }} {{ none | d('n') }} {{ x | default('no') }}", "{\"x\": 0}"),
            "d  d None 0");
}

TEST(JinjaRender, FiltersSort) {
  EXPECT_EQ(render("{{ [3, 1, 2] | sort }} {{ ['b', 'A', 'c'] | sort }} {{ ['b', 'A', 'c'] | sort(case_sensitive=true) }} {{ [3, 1, 2] | sort(reverse=true) }} {{ users | sort(attribute='age') | map(attribute='name') | list }}", "{\"users\": [{\"name\": \"x\", \"age\": 3}, {\"name\": \"y\", \"age\": 1}]}"),
            "[1, 2, 3] ['A', 'b', 'c'] ['A', 'b', 'c'] [3, 2, 1] ['y', 'x']");
}

TEST(JinjaRender, FiltersUniqueMap) {
  EXPECT_EQ(render("{{ ['a', 'A', 'b', 'a'] | unique | list }} {{ ['a', 'b'] | map('upper') | list }} {{ users | map(attribute='name') | join(',') }} {{ users | map(attribute='zz', default='?') | list }}", "{\"users\": [{\"name\": \"x\"}, {\"name\": \"y\"}]}"),
            "['a', 'b'] ['A', 'B'] x,y ['?', '?']");
}

TEST(JinjaRender, FiltersSelect) {
  EXPECT_EQ(render("{{ range(6) | select('odd') | list }} {{ range(6) | reject('odd') | list }} {{ [0, 1, '', 'a'] | select | list }} {{ msgs | selectattr('role', 'equalto', 'user') | map(attribute='c') | list }} {{ msgs | rejectattr('role', 'eq', 'user') | list | length }} {{ msgs | selectattr('tool') | list | length }}", "{\"msgs\": [{\"role\": \"user\", \"c\": 1}, {\"role\": \"bot\", \"c\": 2, \"tool\": true}, {\"role\": \"user\", \"c\": 3}]}"),
            "[1, 3, 5] [0, 2, 4] [1, 'a'] [1, 3] 1 1");
}

TEST(JinjaRender, FiltersItemsDictsort) {
  EXPECT_EQ(render("{{ d | items | list }} {{ d | dictsort }} {{ d | dictsort(by='value', reverse=true) }}", "{\"d\": {\"b\": 1, \"a\": 3, \"C\": 2}}"),
            "[('b', 1), ('a', 3), ('C', 2)] [('a', 3), ('b', 1), ('C', 2)] [('a', 3), ('C', 2), ('b', 1)]");
}

TEST(JinjaRender, FiltersIndent) {
  EXPECT_EQ(render("{{ 'a\\nb\\n\\nc' | indent }}|{{ 'a\\nb' | indent(2, true) }}|{{ 'a\\n\\nb' | indent(width='>', blank=true) }}|{{ 'x\\n' | indent(first=true) }}|", "{}"),
            "a\n    b\n\n    c|  a\n  b|a\n>\n>b|    x\n|");
}

TEST(JinjaRender, FiltersMisc) {
  EXPECT_EQ(render("{{ -3 | abs }} {{ 2.567 | round(2) }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 2.1 | round(method='ceil') }} {{ 'a & <b>' | escape }} {{ '<x>' | safe }} {{ [1, 2, 3] | sum }} {{ [1, 5, 2] | max }} {{ ['b', 'a'] | min }} {{ range(5) | batch(2) | list }} {{ 'one two  three' | wordcount }} {{ 'ab' | center(6) }}|", "{}"),
            "3 2.57 2.0 4.0 3.0 a &amp; &lt;b&gt; <x> 6 5 a [[0, 1], [2, 3], [4]] 3   ab  |");
}

TEST(JinjaRender, TojsonBasic) {
  EXPECT_EQ(render("{{ {'a': 1, 'b': [true, none, 1.5, 'é\"\\n'], 'c': {}} | tojson }}", "{}"),
            "{\"a\": 1, \"b\": [true, null, 1.5, \"é\\\"\\n\"], \"c\": {}}");
}

TEST(JinjaRender, TojsonIndent) {
  EXPECT_EQ(render("{{ {'a': 1, 'b': [1, 2], 'c': {}, 'd': []} | tojson(indent=2) }}", "{}"),
            "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    2\n  ],\n  \"c\": {},\n  \"d\": []\n}");
}

TEST(JinjaRender, TojsonSortHtml) {
  EXPECT_EQ(render("{{ {'b': '<&>', 'a': 2} | tojson(sort_keys=true) }} {{ 'x' | tojson }} {{ 1e-7 | tojson }} {{ [1, (2, 3)] | tojson }} {{ '\\x01\\x7f' | tojson }}", "{}"),
            "{\"a\": 2, \"b\": \"<&>\"} \"x\" 1e-07 [1, [2, 3]] \"\\u0001\177\"");
}

TEST(JinjaRender, TojsonVars) {
  EXPECT_EQ(render("{{ tools | tojson }}", "{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get\", \"parameters\": {\"type\": \"object\", \"properties\": {\"q\": {\"type\": \"string\", \"description\": \"日本\"}}, \"required\": [\"q\"]}}}]}"),
            "[{\"type\": \"function\", \"function\": {\"name\": \"get\", \"parameters\": {\"type\": \"object\", \"properties\": {\"q\": {\"type\": \"string\", \"description\": \"日本\"}}, \"required\": [\"q\"]}}}]");
}

TEST(JinjaRender, TojsonEnsureAscii) {
  EXPECT_EQ(render("{{ 'é😀' | tojson(ensure_ascii=true) }} {{ [1] | tojson(separators=(',', ':')) }}", "{}"),
            "\"\\u00e9\\ud83d\\ude00\" [1]");
}

TEST(JinjaRender, Range) {
  EXPECT_EQ(render("{{ range(3) | list }} {{ range(1, 4) | list }} {{ range(10, 0, -3) | list }} {{ range(0) | list }}", "{}"),
            "[0, 1, 2] [1, 2, 3] [10, 7, 4, 1] []");
}

TEST(JinjaRender, DictGlobal) {
  EXPECT_EQ(render("{{ dict(a=1, b='x') }} {{ namespace(a=1).a }}", "{}"),
            "{'a': 1, 'b': 'x'} 1");
}

TEST(JinjaRender, JsonInputs) {
  EXPECT_EQ(render("{{ i }} {{ f }} {{ b }} {{ n }} {{ s }} {{ l }} {{ d }} {{ big }}", "{\"i\": 3, \"f\": 2.5, \"b\": true, \"n\": null, \"s\": \"str\", \"l\": [1, \"x\"], \"d\": {\"k\": [null]}, \"big\": 12345678901234}"),
            "3 2.5 True None str [1, 'x'] {'k': [None]} 12345678901234");
}

TEST(JinjaErrors, UndefinedAttr) {
  EXPECT_EQ(render("line1\n{{ foo.bar }}", "{}"), "error: t line 2: 'foo' is undefined");
}

TEST(JinjaErrors, UndefinedCall) {
  EXPECT_EQ(render("{{ foo() }}", "{}"), "error: t line 1: 'foo' is undefined");
}

TEST(JinjaErrors, UndefinedItem) {
  EXPECT_EQ(render("{{ foo[0] }}", "{}"), "error: t line 1: 'foo' is undefined");
}

TEST(JinjaErrors, MissingAttrChain) {
  EXPECT_EQ(render("{{ d.x.y }}", "{\"d\": {}}"), "error: t line 1: 'dict object' has no attribute 'x'");
}

TEST(JinjaErrors, ListElemChain) {
  EXPECT_EQ(render("{{ [1][5].y }}", "{}"), "error: t line 1: list object has no element 5");
}

TEST(JinjaErrors, StrPlusInt) {
  EXPECT_EQ(render("{{ 'a' + 1 }}", "{}"), "error: t line 1: can only concatenate str (not \"int\") to str");
}

TEST(JinjaErrors, IntPlusStr) {
  EXPECT_EQ(render("{{ 1 + 'a' }}", "{}"), "error: t line 1: unsupported operand type(s) for +: 'int' and 'str'");
}

TEST(JinjaErrors, UndefinedPlus) {
  EXPECT_EQ(render("{{ foo + 1 }}", "{}"), "error: t line 1: 'foo' is undefined");
}

TEST(JinjaErrors, CompareTypes) {
  EXPECT_EQ(render("{{ 'a' < 1 }}", "{}"), "error: t line 1: '<' not supported between instances of 'str' and 'int'");
}

TEST(JinjaErrors, DivZero) {
  EXPECT_EQ(render("{{ 1 / 0 }}", "{}"), "error: t line 1: division by zero");
}

TEST(JinjaErrors, RaiseException) {
  EXPECT_EQ(render("a\n\n{{ raise_exception('Only user and assistant roles are supported!') }}", "{}"), "error: t line 3: Only user and assistant roles are supported!");
}

TEST(JinjaErrors, NotCallable) {
  EXPECT_EQ(render("{{ 'a'() }}", "{}"), "error: t line 1: 'str' object is not callable");
}

TEST(JinjaErrors, Unpack) {
  EXPECT_EQ(render("{% for a, b in [[1]] %}{% endfor %}", "{}"), "error: t line 1: not enough values to unpack (expected 2, got 1)");
}

TEST(JinjaErrors, SetAttrNonNs) {
  EXPECT_EQ(render("{% set d = {} %}{% set d.x = 1 %}", "{}"), "error: t line 1: cannot assign attribute on non-namespace object");
}

TEST(JinjaErrors, RangeBig) {
  EXPECT_EQ(render("{{ range(1000000) | length }}", "{}"), "error: t line 1: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
}

TEST(JinjaErrors, NoneIter) {
  EXPECT_EQ(render("{% for x in none %}{% endfor %}", "{}"), "error: t line 1: 'NoneType' object is not iterable");
}

TEST(JinjaErrors, TojsonUndefined) {
  EXPECT_EQ(render("{{ nothing | tojson }}", "{}"), "error: t line 1: Object of type Undefined is not JSON serializable");
}

TEST(JinjaErrors, LenInt) {
  EXPECT_EQ(render("{{ 5 | length }}", "{}"), "error: t line 1: object of type 'int' has no len()");
}

// ---- transformers's tag, parse errors, limits ----

TEST(JinjaRender, GenerationTagRendersItsBody) {
  EXPECT_EQ(render("{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}"
                   "{% endgeneration %}{% endif %}{% endfor %}",
                   R"({"messages": [{"role": "user", "content": "u"}, {"role": "assistant", "content": "a"}]})"),
            "a");
}

TEST(JinjaRender, StrftimeNow) {
  std::string year = render("{{ strftime_now('%Y') }}", "{}");
  EXPECT_EQ(year.size(), 4u) << year;
  EXPECT_EQ(year.substr(0, 2), "20");
}

TEST(JinjaParseErrors, NameTheLine) {
  EXPECT_EQ(render("a\n{% for x in y %}\n{% if %}", "{}"), "error: t line 3: unexpected 'end of statement block'");
  EXPECT_EQ(render("a\n\n{% for x in y %}\nb", "{}"), "error: t line 4: 'for' at line 3 is never closed");
  EXPECT_EQ(render("line1\n{% endfor %}", "{}"), "error: t line 2: unexpected 'endfor'");
  EXPECT_EQ(render("x\n{{ 'abc }}", "{}"), "error: t line 2: unterminated string");
  EXPECT_EQ(render("{% include 'x.html' %}", "{}"), "error: t line 1: unsupported tag 'include'");
  EXPECT_EQ(render("{% extends 'base' %}", "{}"), "error: t line 1: unsupported tag 'extends'");
  EXPECT_EQ(render("{% foo %}", "{}"), "error: t line 1: unknown tag 'foo'");
  EXPECT_EQ(render("{{ x | nosuchfilter }}", "{}"), "error: t line 1: no filter named 'nosuchfilter'");
  EXPECT_EQ(render("{{ x is nosuchtest }}", "{}"), "error: t line 1: no test named 'nosuchtest'");
  EXPECT_EQ(render("{{ 1 + }}", "{}"), "error: t line 1: unexpected 'end of print statement'");
  EXPECT_EQ(render("{% break %}", "{}"), "error: t line 1: 'break' outside a loop");
  EXPECT_EQ(render("{# never closed", "{}"), "error: t line 1: missing end of comment tag");
  EXPECT_EQ(render("{{ [1, 2 }}", "{}"), "error: t line 1: unexpected '}', expected ']'");
  EXPECT_EQ(render("{% for x in y recursive %}{% endfor %}", "{}"), "error: t line 1: unsupported: recursive loops");
}

TEST(JinjaParseErrors, OriginNamesTheFile) {
  auto t = jinja::Template::parse("ok\n{% endif %}", "tokenizer_config.json");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error(), "tokenizer_config.json line 2: unexpected 'endif'");
}

TEST(JinjaLimits, NestedRangesStopWithAnError) {
  EXPECT_EQ(render("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", "{}"),
            "error: t line 1: more than 10000000 loop iterations in one render");
}

TEST(JinjaLimits, RangeIsCapped) {
  EXPECT_EQ(render("{{ range(100001) | length }}", "{}"),
            "error: t line 1: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
}

TEST(JinjaLimits, InfiniteMacroRecursion) {
  EXPECT_EQ(render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "{}"),
            "error: t line 1: recursion too deep (more than 400 levels)");
}

TEST(JinjaLimits, OutputSize) {
  EXPECT_EQ(render("{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}"
                   "{% endfor %}{{ ns.s | length }}", "{}"),
            "error: t line 1: output larger than the limit of 64 MiB");
  EXPECT_EQ(render("{{ 'a' * 100000000 }}", "{}"), "error: t line 1: output larger than the limit of 64 MiB");
}

TEST(JinjaLimits, DeepNestingDoesNotCrash) {
  const std::string too_deep = "error: t line 1: template nesting too deep (more than 100 levels)";
  auto repeat = [](const std::string& s, int n) {
    std::string out;
    for (int k = 0; k < n; ++k) out += s;
    return out;
  };
  EXPECT_EQ(render("{{ " + repeat("(", 5000) + "1" + repeat(")", 5000) + " }}", "{}"), too_deep);
  EXPECT_EQ(render(repeat("{% if true %}", 3000) + "x" + repeat("{% endif %}", 3000), "{}"), too_deep);
  EXPECT_EQ(render("{{ " + repeat("not ", 5000) + "1 }}", "{}"), too_deep);
  EXPECT_EQ(render("{{ " + repeat("-", 5000) + "1 }}", "{}"), too_deep);
  const std::string too_long = "error: t line 1: expression too long (more than 256 chained operators)";
  EXPECT_EQ(render("{{ 1" + repeat(" | abs", 100000) + " }}", "{}"), too_long);
  EXPECT_EQ(render("{{ x" + repeat(".a", 100000) + " }}", "{}"), too_long);
  EXPECT_EQ(render("{{ 1" + repeat(" + 1", 100000) + " }}", "{}"), too_long);
  EXPECT_EQ(render("{{ 1" + repeat(" + 1", 200) + " }}", "{}"), "201");
  EXPECT_EQ(render("{% macro m(n) %}{{ n }}{% endmacro %}{{ " + repeat("m(", 90) + "1" + repeat(")", 90) + " }}", "{}"),
            too_deep);
  EXPECT_EQ(render(repeat("{% if true %}", 50) + "x" + repeat("{% endif %}", 50), "{}"), "x");
}

TEST(JinjaTemplate, RendersFromSeveralThreads) {
  auto t = jinja::Template::parse("{% for m in messages %}{{ m | upper }}{% endfor %}", "t");
  ASSERT_TRUE(t.ok());
  std::vector<std::string> outs(4);
  std::vector<std::thread> threads;
  for (size_t k = 0; k < outs.size(); ++k) {
    threads.emplace_back([&, k] {
      for (int r = 0; r < 50; ++r) outs[k] = t->render(Json{{"messages", {"a", "b"}}}).value();
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& o : outs) EXPECT_EQ(o, "AB");
}

TEST(JinjaTemplate, VariablesMustBeAnObject) {
  auto t = jinja::Template::parse("x", "t");
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->render(Json::array()).ok());
}

}  // namespace
}  // namespace stepcoder::model
