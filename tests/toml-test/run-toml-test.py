#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run tools/toml-decoder over the toml-test suite (data/third_party/toml-test) and judge it.

Valid cases must decode (exit 0) to the JSON beside them, compared the way toml-test
compares: tagged scalars, floats by value (nan and inf by name), date-times as the same
instant, everything else as exact strings. Invalid cases must be rejected: exit 1 with a
"line:col: message" on stderr, and no sanitizer report. With --roundtrip the decoder also
writes each valid case back to TOML and parses that again, and the result must agree too.

Usage: run-toml-test.py DECODER [--roundtrip] [--suite DIR] [--manifest NAME] [-v]
"""
import argparse
import calendar
import concurrent.futures
import json
import math
import os
import re
import subprocess
import sys

TIMEOUT = 20  # seconds per case; a hang is a failure, not a stuck test run

DT_RE = re.compile(r'^(?:(\d{4})-(\d\d)-(\d\d))?(?:[Tt ]?(\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?)?'
                   r'([Zz]|[+-]\d\d:\d\d)?$')


def dt_key(typ, text):
    """A date or time as comparable parts: offset date-times as a UTC instant."""
    m = DT_RE.match(text)
    if not m or not text:
        return ('bad', text)
    y, mo, d, h, mi, s, frac, off = m.groups()
    ns = int((frac or '').ljust(9, '0')[:9] or 0)
    parts = tuple(int(x) if x else 0 for x in (y, mo, d, h, mi, s))
    if typ != 'datetime':
        return (typ,) + parts + (ns,)
    secs = calendar.timegm(parts)  # plain arithmetic, so a leap second (:60) is fine
    if off and off not in 'Zz':
        sign = -1 if off[0] == '-' else 1
        secs -= sign * (int(off[1:3]) * 3600 + int(off[4:6]) * 60)
    return (typ, secs, ns)


def same(exp, got, path='$'):
    """None when equal, else a description of the first difference."""
    if isinstance(exp, dict) and set(exp) == {'type', 'value'} and \
            isinstance(exp.get('type'), str) and isinstance(exp.get('value'), str):
        if not (isinstance(got, dict) and set(got) == {'type', 'value'}):
            return f'{path}: expected {exp}, got {got!r}'
        if exp['type'] != got['type']:
            return f'{path}: expected type {exp["type"]}, got {got["type"]} ({got["value"]!r})'
        t, ev, gv = exp['type'], exp['value'], got['value']
        if t == 'float':
            try:
                e, g = float(ev), float(gv)
            except ValueError:
                return f'{path}: float {gv!r} unreadable'
            ok = (math.isnan(e) and math.isnan(g)) or \
                 (e == g and math.copysign(1, e) == math.copysign(1, g))
        elif t in ('datetime', 'datetime-local', 'date-local', 'time-local'):
            ok = dt_key(t, ev) == dt_key(t, gv)
        else:
            ok = ev == gv
        return None if ok else f'{path}: expected {t} {ev!r}, got {gv!r}'
    if isinstance(exp, dict):
        if not isinstance(got, dict):
            return f'{path}: expected a table, got {got!r}'[:300]
        if set(exp) != set(got):
            return f'{path}: keys differ: missing {sorted(set(exp) - set(got))}, ' \
                   f'extra {sorted(set(got) - set(exp))}'
        for k in exp:
            r = same(exp[k], got[k], f'{path}.{k}')
            if r:
                return r
        return None
    if isinstance(exp, list):
        if not isinstance(got, list) or len(exp) != len(got):
            return f'{path}: expected an array of {len(exp)}, got {got!r}'[:300]
        for i, (e, g) in enumerate(zip(exp, got)):
            r = same(e, g, f'{path}[{i}]')
            if r:
                return r
        return None
    return f'{path}: unexpected {exp!r} in the expected JSON'


def sanitizer_env():
    """Sanitizers exit 1 by default, which would pass for a rejection: make them distinct."""
    env = dict(os.environ)
    for var, code in (('ASAN_OPTIONS', 86), ('UBSAN_OPTIONS', 87), ('MSAN_OPTIONS', 88)):
        opts = env.get(var, '')
        env[var] = (opts + ':' if opts else '') + f'exitcode={code}' + \
            (':halt_on_error=1:print_stacktrace=1' if var == 'UBSAN_OPTIONS' else '')
    return env


def run(decoder, args, data, env):
    try:
        p = subprocess.run([decoder] + args, input=data, capture_output=True,
                           timeout=TIMEOUT, env=env)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, b'', b'timed out'


def check_valid(decoder, suite, name, extra, env):
    tomlpath = os.path.join(suite, name)
    with open(tomlpath, 'rb') as f:
        data = f.read()
    with open(tomlpath[:-5] + '.json', 'rb') as f:
        expected = json.loads(f.read())
    rc, out, err = run(decoder, extra, data, env)
    if rc != 0:
        return f'exit {rc}: {err.decode(errors="replace").strip()[:2000]}'
    if b'runtime error' in err or b'Sanitizer' in err:
        return f'sanitizer report: {err.decode(errors="replace")[:2000]}'
    try:
        got = json.loads(out)
    except ValueError as e:
        return f'output is not JSON ({e}): {out[:300]!r}'
    return same(expected, got)


ERR_RE = re.compile(rb'^toml-decoder: [0-9]+:[0-9]+: \S')


def check_invalid(decoder, suite, name, env):
    with open(os.path.join(suite, name), 'rb') as f:
        data = f.read()
    rc, out, err = run(decoder, [], data, env)
    if rc == 0:
        return 'accepted: ' + out.decode(errors='replace')[:300]
    if rc != 1:
        return f'exit {rc}: {err.decode(errors="replace")[:2000]}'
    if b'runtime error' in err or b'Sanitizer' in err:
        return f'sanitizer report: {err.decode(errors="replace")[:2000]}'
    if not ERR_RE.match(err):
        return f'no "line:col: message" on stderr: {err[:300]!r}'
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('decoder')
    ap.add_argument('--suite', help='toml-test tests/ folder '
                    '(default: data/third_party/toml-test/tests in the source tree)')
    ap.add_argument('--manifest', default='files-toml-1.0.0')
    ap.add_argument('--roundtrip', action='store_true',
                    help='only the valid cases, through the writer and back')
    ap.add_argument('-j', '--jobs', type=int, default=2)
    ap.add_argument('-v', '--verbose', action='store_true', help='list every case')
    a = ap.parse_args()

    suite = a.suite
    if not suite:
        src = os.environ.get('SC_SOURCE_ROOT', os.path.join(os.path.dirname(__file__), '..', '..'))
        suite = os.path.join(src, 'data', 'third_party', 'toml-test', 'tests')
    with open(os.path.join(suite, a.manifest)) as f:
        names = [l.strip() for l in f if l.strip().endswith('.toml')]
    valid = [n for n in names if n.startswith('valid/')]
    invalid = [n for n in names if n.startswith('invalid/')]
    env = sanitizer_env()

    jobs = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for n in valid:
            jobs.append(('valid', n, ex.submit(check_valid, a.decoder, suite, n,
                                               ['--roundtrip'] if a.roundtrip else [], env)))
        if not a.roundtrip:
            for n in invalid:
                jobs.append(('invalid', n, ex.submit(check_invalid, a.decoder, suite, n, env)))
        failed = {'valid': 0, 'invalid': 0}
        for kind, n, fut in jobs:
            problem = fut.result()
            if problem:
                failed[kind] += 1
                print(f'FAIL {n}: {problem}')
            elif a.verbose:
                print(f'ok   {n}')

    what = 'round-trip' if a.roundtrip else 'valid'
    print(f'{what}: {len(valid) - failed["valid"]}/{len(valid)} decoded as expected')
    if not a.roundtrip:
        print(f'invalid: {len(invalid) - failed["invalid"]}/{len(invalid)} rejected')
    total = len(jobs)
    bad = failed['valid'] + failed['invalid']
    print(f'{total - bad} passed, {bad} failed')
    # the manifest itself is checked too: a shrunken suite must not pass quietly
    if a.manifest == 'files-toml-1.0.0' and (len(valid), len(invalid)) != (210, 499):
        print(f'expected 210 valid and 499 invalid cases in {a.manifest}, '
              f'found {len(valid)} and {len(invalid)}')
        return 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
