#!/usr/bin/env python3
"""Issue 25: 100 exports into FIFOs, then runs/list, then end of input; prints how long each
took. Usage: scripts/service-fifo-exports.py JOINTPLAN SCENARIO.json"""
import json, os, subprocess, sys, tempfile, time

exe, scenario = sys.argv[1], os.path.abspath(sys.argv[2])
tmp = tempfile.mkdtemp()
p = subprocess.Popen([exe, "serve", "--db", os.path.join(tmp, "runs.sqlite")], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
def send(o): p.stdin.write(json.dumps(o) + "\n"); p.stdin.flush()
def wait(i):
    while True:
        m = json.loads(p.stdout.readline())
        if m.get("id") == i: return m
send({"jsonrpc": "2.0", "id": 1, "method": "solve", "params": {"path": scenario, "options": {"windows": 0, "iterations": 0}}})
run = wait(1)["result"]["runId"]
plain, fifos = os.path.join(tmp, "plain"), os.path.join(tmp, "fifos")
params = lambda d: {"path": scenario, "runId": run, "format": "csv", "directory": d, "overwrite": True}
send({"jsonrpc": "2.0", "id": 2, "method": "export", "params": params(plain)})
names = [f["name"] for f in wait(2)["result"]["files"]]
os.makedirs(fifos)
for n in names: os.mkfifo(os.path.join(fifos, n))
t0 = time.time()
for i in range(100): send({"jsonrpc": "2.0", "id": 100 + i, "method": "export", "params": params(fifos)})
send({"jsonrpc": "2.0", "id": "list", "method": "runs/list"})
codes, listed = {}, None
while len(codes) < 100 or listed is None:
    m = json.loads(p.stdout.readline())
    if m.get("id") == "list": listed = (time.time() - t0, "result" in m, m.get("error", {}).get("message", "")[:60])
    elif isinstance(m.get("id"), int) and m["id"] >= 100:
        c = m.get("error", {}).get("code", "result"); codes[m["id"]] = c
summary = {c: list(codes.values()).count(c) for c in set(codes.values())}
print(f"100 exports into FIFOs answered in {time.time() - t0:.2f} s: {summary}")
print(f"runs/list answered {listed[0]:.2f} s after the first export was sent (result: {listed[1]}) {listed[2]}")
send({"jsonrpc": "2.0", "id": "after", "method": "runs/list"})
print("runs/list afterwards:", "result" in wait("after"))
print("FIFOs still FIFOs:", all(os.path.exists(os.path.join(fifos, n)) and __import__("stat").S_ISFIFO(os.lstat(os.path.join(fifos, n)).st_mode) for n in names))
t1 = time.time(); p.stdin.close(); p.wait()
print(f"end of input → exit {p.returncode} after {time.time() - t1:.2f} s")
