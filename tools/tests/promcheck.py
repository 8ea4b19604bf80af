#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# promcheck.py FILE [NAME{LABELS}=VALUE ...]: FILE ("-" for stdin) is
# Prometheus text exposition format 0.0.4, checked strictly here (every
# family with one # HELP and one # TYPE before its samples, samples of a
# family together, names, label syntax and escapes, no series twice,
# values numbers), then parsed by python3-prometheus-client's parser.
# Each NAME{LABELS}=VALUE must be a series of the file with that value
# (labels as in the file, e.g. 'openmosix_node_up{node="2"}=1').
# Exit 0 when all holds, else 1 with the reasons on stderr.
import math
import re
import sys

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*'
VALUE = r'"(?:[^"\\\n]|\\["\\n])*"'
SAMPLE = re.compile(r'^(' + NAME + r')(\{(?:' + LABEL + r'=' + VALUE +
                    r'(?:,' + LABEL + r'=' + VALUE + r')*,?)?\})? (\S+)( -?[0-9]+)?$')
TYPES = {'counter', 'gauge', 'histogram', 'summary', 'untyped'}


def family_of(name, types):
    for suffix in ('_total', '_bucket', '_sum', '_count', '_created'):
        base = name[:-len(suffix)] if name.endswith(suffix) else None
        if base and base in types and types[base] != 'gauge':
            return base
    return name


def strict(text):
    errs = []
    helps, types, series, done = {}, {}, {}, set()
    current = None
    if text and not text.endswith('\n'):
        errs.append('no newline at the end')
    for no, line in enumerate(text.split('\n')[:-1], 1):
        if line.startswith('# HELP ') or line.startswith('# TYPE '):
            parts = line.split(' ', 3)
            if len(parts) < 4 or not re.fullmatch(NAME, parts[2]):
                errs.append(f'{no}: malformed {parts[1]} line')
                continue
            kind, name, rest = parts[1], parts[2], parts[3]
            seen = helps if kind == 'HELP' else types
            if name in seen:
                errs.append(f'{no}: second # {kind} for {name}')
            if kind == 'TYPE' and rest not in TYPES:
                errs.append(f'{no}: unknown type {rest}')
            if kind == 'HELP' and re.search(r'\\[^\\n]', rest):
                errs.append(f'{no}: bad escape in HELP')
            if name in done or (current and name != current and name in series):
                errs.append(f'{no}: {name} described after its samples')
            if current and current != name:
                done.add(current)
            current = name
            seen[name] = rest
            continue
        if line.startswith('#') or line == '':
            continue
        m = SAMPLE.match(line)
        if not m:
            errs.append(f'{no}: not a sample line: {line!r}')
            continue
        name, labels, value = m.group(1), m.group(2) or '', m.group(3)
        fam = family_of(name, types)
        if fam not in types or fam not in helps:
            errs.append(f'{no}: {name} without # HELP and # TYPE')
        if fam in done:
            errs.append(f'{no}: samples of {fam} not together')
        if current and fam != current:
            done.add(current)
        current = fam
        if types.get(fam) == 'counter' and not name.endswith('_total'):
            errs.append(f'{no}: counter sample {name} does not end in _total')
        try:
            v = float(value)
        except ValueError:
            errs.append(f'{no}: value {value!r} is not a number')
            continue
        if types.get(fam) == 'counter' and (v < 0 or math.isnan(v)):
            errs.append(f'{no}: counter {name} is {value}')
        key = name + labels
        if key in series:
            errs.append(f'{no}: {key} twice')
        series[key] = v
    for name in helps:
        if name not in types:
            errs.append(f'{name}: # HELP without # TYPE')
    return errs, series


def main():
    if len(sys.argv) < 2:
        print(__doc__ or 'usage: promcheck.py FILE [SERIES=VALUE ...]', file=sys.stderr)
        return 1
    text = sys.stdin.read() if sys.argv[1] == '-' else open(sys.argv[1]).read()
    errs, series = strict(text)
    try:
        from prometheus_client.parser import text_string_to_metric_families
        fams = list(text_string_to_metric_families(text))
        if not fams:
            errs.append('prometheus_client found no metric family')
    except ImportError:
        errs.append('python3-prometheus-client is not installed')
    except Exception as e:  # the parser's verdict, whatever it raises
        errs.append(f'prometheus_client refuses it: {e}')
    for want in sys.argv[2:]:
        key, _, val = want.rpartition('=')
        if key not in series:
            errs.append(f'missing series {key}')
        elif series[key] != float(val):
            errs.append(f'{key} is {series[key]:g}, wanted {val}')
    for e in errs:
        print('promcheck: ' + e, file=sys.stderr)
    return 1 if errs else 0


if __name__ == '__main__':
    sys.exit(main())
