#!/usr/bin/env python3
"""Checks that Ctrl+C, typed in a real terminal, stops the local run and every stand-in it started.

    python3 src/local/verify-ctrl-c.py

Starts `bash src/local/run.sh` on a pseudo-terminal, waits until the API answers, types Ctrl+C (the byte a
terminal sends) and reports how long it took until no process of the run is left. Exits 1 if any is left after 30 s.
"""
import os, pty, re, select, subprocess, sys, time, urllib.request

PROCESSES = "[d]ynalite.mjs|[s]andbox.mjs|[r]etry-schedule.mjs|[L]ocalWorkQueue|[i]ntune-lock-dev.jar|[p]lexus-classworlds.*quarkus:dev"
here = os.path.dirname(os.path.abspath(__file__))
pid, terminal = pty.fork()
if pid == 0:
    os.chdir(os.path.join(here, '..', '..'))
    os.execvp('bash', ['bash', 'src/local/run.sh'])

output = b''
def read_for(seconds):
    global output
    end = time.time() + seconds
    while time.time() < end:
        ready, _, _ = select.select([terminal], [], [], 0.5)
        if ready:
            try:
                output += os.read(terminal, 65536)
            except OSError:
                return

def running():
    return subprocess.run(['pgrep', '-af', PROCESSES], capture_output=True, text=True).stdout.strip()

deadline = time.time() + 300
while b'Listening on' not in output and time.time() < deadline:
    read_for(1)
read_for(2)
urllib.request.urlopen('http://localhost:8080/v1/self-service/config', timeout=10)
print('local run up; processes:', len(running().splitlines()))
os.write(terminal, b'\x03')
typed = time.time()
while running() and time.time() - typed < 30:
    read_for(0.2)
left = running()
text = re.sub(rb'\x1b\[[0-9;?]*[a-zA-Z]', b'', output).decode('utf8', 'replace')
noise = [line for line in text.splitlines() if re.search(r'docker|testcontainers|analytics', line, re.I)]
print('noise lines (Docker probe, analytics question):', len(noise))
if left:
    print('still running 30 s after Ctrl+C:\n' + left)
    sys.exit(1)
print(f'everything stopped {time.time() - typed:.1f} s after Ctrl+C')
