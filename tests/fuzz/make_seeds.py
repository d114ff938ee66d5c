#!/usr/bin/python3
"""make_seeds.py -- seeds tests/fuzz/corpus/fuzz_answer with the query of every golden engine
case (tests/engine_cases/*.txt), built exactly as the case driver builds it: real queries of
every kind, well-formed and broken. Files are named by the SHA-1 of their content, as
libFuzzer names its own finds.

    /usr/bin/python3 tests/fuzz/make_seeds.py
"""
import glob
import hashlib
import os
import sys

sys.dont_write_bytecode = True

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'engine_cases'))
import knot_expect  # noqa: E402

corpus = os.path.join(HERE, 'corpus', 'fuzz_answer')
os.makedirs(corpus, exist_ok=True)
count = 0
for path in sorted(glob.glob(os.path.join(HERE, '..', 'engine_cases', '*.txt'))):
    _, items = knot_expect.parse_file(path)
    for kind, block in items:
        if kind != 'case':
            continue
        data, _ = knot_expect.build_query(block)
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(corpus, name), 'wb') as f:
            f.write(data)
        count += 1
print(f'{count} seeds written to {corpus}')
