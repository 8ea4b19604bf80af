#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# splice.py FILE h|c [--check]: replace (or compare) the GENERATED block of
# FILE with the output of om_criu_gen.py.
import os
import subprocess
import sys

path, which = sys.argv[1], sys.argv[2]
gen = subprocess.run(['/usr/bin/python3',
                      os.path.join(os.path.dirname(__file__), 'om_criu_gen.py'),
                      which], check=True, capture_output=True, text=True).stdout
src = open(path).read()
begin = src.index('\n', src.index('/* BEGIN GENERATED')) + 1
end = src.index('/* END GENERATED')
new = src[:begin] + gen + src[end:]
if '--check' in sys.argv:
    sys.exit(0 if new == src else 1)
open(path, 'w').write(new)
