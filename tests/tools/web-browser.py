#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
"""web-browser.py: a real browser (headless Chromium, Debian's "chromium")
on a page, driven step by step through the DevTools protocol over a pipe
(--remote-debugging-pipe: nothing listens, no library needed).

  web-browser.py [--size WxH] [--netns NS] [--log FILE] URL STEP...

Steps, in order (the first failing one ends the run, exit 1):
  wait:SECS:EXPR    until the JavaScript EXPR is true; says how long it took
  eval:EXPR         print EXPR's value as JSON
  shot:FILE         PNG screenshot of the window
  fullshot:FILE     PNG screenshot of the whole page
  dom:FILE          the page's HTML as rendered now (after its scripts ran)
  touch:FILE        create FILE (a sign for whoever waits for it)
  waitfile:SECS:FILE  until FILE exists
  sleep:SECS

--netns NS runs the browser in network namespace NS (ip netns exec), as
the lab's host reaches its guests.  Runs under nice -n 19.
"""
import base64
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def die(msg):
    print('web-browser: ' + msg, file=sys.stderr)
    sys.exit(1)


def find_chromium():
    for c in (os.environ.get('CHROMIUM'), '/usr/lib/chromium/chromium',
              shutil.which('chromium'), shutil.which('chromium-browser'),
              shutil.which('google-chrome')):
        if c and os.access(c, os.X_OK):
            return c
    die('no chromium (apt-get install chromium)')
    return None


class Browser:
    def __init__(self, size, netns, log):
        self.size = [int(x) for x in size.split('x')]
        self.prof = tempfile.mkdtemp(prefix='web-browser-')
        self.buf = b''
        self.mid = 0
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()
        # Chromium's pipe ends are fds 3 and 4; dup first, so that a pipe
        # that already is fd 3 loses its close-on-exec flag too
        def fds():
            a, b = os.dup(to_r), os.dup(from_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
        cmd = ['nice', '-n', '19', find_chromium(), '--headless', '--disable-gpu',
               '--hide-scrollbars', '--no-first-run', '--disable-crash-reporter',
               '--disable-breakpad', '--disable-extensions', '--mute-audio',
               '--user-data-dir=' + self.prof, '--remote-debugging-pipe',
               '--window-size=' + size.replace('x', ','), 'about:blank']
        if os.geteuid() == 0:
            cmd.insert(4, '--no-sandbox')
        if netns:
            cmd = ['ip', 'netns', 'exec', netns] + cmd
        self.proc = subprocess.Popen(cmd, preexec_fn=fds, close_fds=False,
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        os.close(to_r)
        os.close(from_w)
        try:
            self.attach()
        except SystemExit:
            self.proc.kill()
            shutil.rmtree(self.prof, ignore_errors=True)
            raise

    def attach(self):
        targets = self.call('Target.getTargets')['targetInfos']
        page = [t for t in targets if t['type'] == 'page']
        if not page:
            die('the browser has no page')
        self.sid = self.call('Target.attachToTarget',
                             {'targetId': page[0]['targetId'], 'flatten': True})['sessionId']
        self.call('Page.enable', session=True)
        self.call('Runtime.enable', session=True)
        # the page gets exactly WxH, whatever the window's frame takes
        self.call('Emulation.setDeviceMetricsOverride',
                  {'width': self.size[0], 'height': self.size[1], 'deviceScaleFactor': 1,
                   'mobile': False}, session=True)

    def call(self, method, params=None, session=False, timeout=60):
        self.mid += 1
        msg = {'id': self.mid, 'method': method, 'params': params or {}}
        if session:
            msg['sessionId'] = self.sid
        os.write(self.to_w, json.dumps(msg).encode() + b'\0')
        end = time.time() + timeout
        while True:
            while b'\0' in self.buf:
                raw, self.buf = self.buf.split(b'\0', 1)
                m = json.loads(raw)
                if m.get('id') == self.mid:
                    if 'error' in m:
                        die(f'{method}: {m["error"].get("message")}')
                    return m.get('result', {})
            left = end - time.time()
            if left <= 0:
                die(f'{method}: no answer in {timeout} s')
            r, _, _ = select.select([self.from_r], [], [], left)
            if r:
                data = os.read(self.from_r, 1 << 20)
                if not data:
                    die(f'{method}: the browser ended')
                self.buf += data

    def eval(self, expr):
        r = self.call('Runtime.evaluate', {'expression': expr, 'returnByValue': True},
                      session=True)
        if 'exceptionDetails' in r:
            return None
        return r['result'].get('value')

    def close(self):
        try:
            self.call('Browser.close', timeout=10)
        except SystemExit:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.prof, ignore_errors=True)


def num_arg(step, rest):
    secs, _, arg = rest.partition(':')
    try:
        return float(secs), arg
    except ValueError:
        die(f'{step}: expected {step}:SECS:...')
        return 0, ''


def run_step(b, step):
    kind, _, rest = step.partition(':')
    t0 = time.time()
    if kind == 'wait':
        secs, expr = num_arg(kind, rest)
        while not b.eval(f'!!({expr})'):
            if time.time() - t0 > secs:
                die(f'not true within {secs:g} s: {expr}')
            time.sleep(0.05)
        print(f'web-browser: true after {time.time() - t0:.2f} s: {expr}', flush=True)
    elif kind == 'eval':
        print(json.dumps(b.eval(rest)), flush=True)
    elif kind in ('shot', 'fullshot'):
        p = {'format': 'png'}
        if kind == 'fullshot':
            m = b.call('Page.getLayoutMetrics', session=True)['cssContentSize']
            p['captureBeyondViewport'] = True
            p['clip'] = {'x': 0, 'y': 0, 'width': m['width'], 'height': m['height'], 'scale': 1}
        data = base64.b64decode(b.call('Page.captureScreenshot', p, session=True)['data'])
        with open(rest, 'wb') as f:
            f.write(data)
        print(f'web-browser: {rest}: {len(data)} bytes', flush=True)
    elif kind == 'dom':
        with open(rest, 'w') as f:
            f.write(b.eval('document.documentElement.outerHTML') or '')
    elif kind == 'touch':
        open(rest, 'a').close()
    elif kind == 'waitfile':
        secs, path = num_arg(kind, rest)
        while not os.path.exists(path):
            if time.time() - t0 > secs:
                die(f'no {path} within {secs:g} s')
            time.sleep(0.05)
    elif kind == 'sleep':
        time.sleep(float(rest))
    else:
        die(f'unknown step {step!r}')


def main():
    args = sys.argv[1:]
    size, netns, log = '1280x900', None, subprocess.DEVNULL
    while args and args[0].startswith('--'):
        opt = args.pop(0)
        if opt in ('-h', '--help'):
            print(__doc__)
            return 0
        if not args:
            die(f'{opt} needs a value')
        val = args.pop(0)
        if opt == '--size':
            size = val
        elif opt == '--netns':
            netns = val
        elif opt == '--log':
            log = open(val, 'w')
        else:
            die(f'unknown option {opt}')
    if len(args) < 2:
        die('usage: web-browser.py [--size WxH] [--netns NS] [--log FILE] URL STEP...')
    url, steps = args[0], args[1:]
    # SIGTERM ends the run like a failed step: the browser is closed
    signal.signal(signal.SIGTERM, lambda *_: die('terminated'))
    b = Browser(size, netns, log)
    try:
        nav = b.call('Page.navigate', {'url': url}, session=True)
        if nav.get('errorText'):
            die(f'{url}: {nav["errorText"]}')
        for s in steps:
            run_step(b, s)
    finally:
        b.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
