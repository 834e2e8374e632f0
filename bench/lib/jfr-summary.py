#!/usr/bin/env python3
"""jfr-summary.py FILE.jfr [THREAD_PREFIX]: where the sampled CPU time of a JFR recording goes, as text.

Reads `jfr print --events jdk.ExecutionSample --stack-depth 96` and prints, over the samples of threads whose name
starts with THREAD_PREFIX (default: every thread):
  - self time by area (the top frame's package: Netty, Vert.x, JDK, the gateway, other);
  - the top self-time frames (method, share);
  - the gateway's methods by inclusive share (the method anywhere on the stack);
  - samples by thread.
A flame graph in words: shares of samples, meaningful even on a loaded machine (they are relative).
"""
import collections
import re
import subprocess
import sys

path = sys.argv[1]
prefix = sys.argv[2] if len(sys.argv) > 2 else ""
text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", path],
                      check=True, capture_output=True, text=True).stdout

FRAME = re.compile(r"^\s+([\w$.<>/]+)\((.*?)\)")
samples = []
for block in text.split("jdk.ExecutionSample")[1:]:
    m = re.search(r'sampledThread = "([^"]*)"', block)
    thread = m.group(1) if m else "?"
    if not thread.startswith(prefix):
        continue
    frames = []
    in_stack = False
    for line in block.splitlines():
        if "stackTrace = [" in line:
            in_stack = True
            continue
        if in_stack:
            if line.strip().startswith("]"):
                break
            f = FRAME.match(line)
            if f:
                frames.append(f.group(1))
    if frames:
        samples.append((thread, frames))

n = len(samples)
if n == 0:
    sys.exit("no samples" + (f" for threads starting with {prefix!r}" if prefix else ""))


def area(frame):
    if frame.startswith("io.netty."):
        return "Netty"
    if frame.startswith("io.vertx."):
        return "Vert.x"
    if frame.startswith("dev.smartgateway."):
        return "gateway"
    if frame.startswith(("java.", "jdk.", "sun.")):
        return "JDK"
    if frame.startswith(("ch.qos.logback.", "org.slf4j.")):
        return "logback"
    return "other"


def pct(k):
    return f"{100.0 * k / n:5.1f}%"


print(f"{n} samples" + (f" on threads {prefix}*" if prefix else ""))
print("\nself time by area:")
for a, k in collections.Counter(area(f[0]) for _, f in samples).most_common():
    print(f"  {pct(k)}  {a}")
print("\ntop 30 self-time frames:")
for fr, k in collections.Counter(f[0] for _, f in samples).most_common(30):
    print(f"  {pct(k)}  {fr}")
print("\ngateway methods, inclusive (on the stack anywhere), top 25:")
inc = collections.Counter()
for _, f in samples:
    for fr in set(x for x in f if x.startswith("dev.smartgateway.")):
        inc[fr] += 1
for fr, k in inc.most_common(25):
    print(f"  {pct(k)}  {fr}")
print("\nselected inclusive shares:")
for label, pat in [("HTTP/1 decode (HttpObjectDecoder)", "io.netty.handler.codec.http.HttpObjectDecoder."),
                   ("HTTP/1 encode (HttpObjectEncoder)", "io.netty.handler.codec.http.HttpObjectEncoder."),
                   ("socket write (flush)", "io.netty.channel.AbstractChannel$AbstractUnsafe.flush0"),
                   ("socket read (NIO)", "io.netty.channel.nio.AbstractNioByteChannel$NioByteUnsafe.read"),
                   ("epoll read", "io.netty.channel.epoll.AbstractEpollStreamChannel$EpollStreamUnsafe.epollInReady"),
                   ("WebSocketServerExtensionHandler (in every HTTP/1 pipeline)", "io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler."),
                   ("Vert.x futures (FutureBase.emit*)", "io.vertx.core.impl.future.FutureBase.emit"),
                   ("header copy (HeaderRules.copyEndToEnd)", "dev.smartgateway.proxy.HeaderRules.copyEndToEnd"),
                   ("access log line (AccessLog.line)", "dev.smartgateway.proxy.AccessLog.line"),
                   ("access log (AccessLog.requestFinished)", "dev.smartgateway.proxy.AccessLog.requestFinished"),
                   ("URL parse (ParseStage.run)", "dev.smartgateway.proxy.ParseStage.run"),
                   ("forward stage (ForwardStage.run)", "dev.smartgateway.proxy.ForwardStage.run"),
                   ("Exchange.onConnected", "dev.smartgateway.proxy.Exchange.onConnected"),
                   ("Exchange.onResponse", "dev.smartgateway.proxy.Exchange.onResponse"),
                   ("finish (FinishStage.run)", "dev.smartgateway.proxy.FinishStage.run")]:
    k = sum(1 for _, f in samples if any(x.startswith(pat) for x in f))
    print(f"  {pct(k)}  {label}")
native = subprocess.run(["jfr", "summary", path], check=True, capture_output=True, text=True).stdout
m = re.search(r"jdk.NativeMethodSample\s+(\d+)", native)
print(f"\n(all threads: {m.group(1) if m else '?'} native-method samples beside these Java samples: time in syscalls,"
      " epoll_wait and write(2) mostly, is not in the shares above)")
print("\nsamples by thread:")
by = collections.Counter(re.sub(r"-\d+$", "-N", t) for t, _ in samples)
for t, k in by.most_common(10):
    print(f"  {pct(k)}  {t}")
