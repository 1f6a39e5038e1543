#!/usr/bin/env python3
"""Checks scripts/hbc_mini.py against the protocol test vectors and with unit checks of its own.

usage: test_hbc_mini.py docs/protocol-vectors.txt

Prints one line per check, "ok <name>" or "not ok <name>: <reason>", and exits 1 if any check failed.
"""
import collections
import json
import math
import os
import random
import struct
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hbc_mini  # noqa: E402

KEY = bytes(range(32))
OTHER_KEY = bytes(range(32, 64))
CLIENT_TYPES = {"heartbeat", "boot", "plugin_data", "plugin_error"}

failures = 0


def report(name, problem):
    global failures
    if problem is None:
        print("ok %s" % name)
    else:
        failures += 1
        print("not ok %s: %s" % (name, " ".join(str(problem).split())))


def check(name, fn, *args):
    """Runs fn(*args), which returns None when the check passes or a description of what is wrong."""
    try:
        problem = fn(*args)
    except Exception as e:  # any exception is a failed check, reported on its line
        problem = "%s: %s" % (type(e).__name__, e)
    report(name, problem)


def expect(actual, expected, what="value"):
    return None if actual == expected else "%s is %r, expected %r" % (what, actual, expected)


def first_problem(*problems):
    return next((p for p in problems if p is not None), None)


# ---------------------------------------------------------------- reading the vectors

def read_vectors(path):
    """The vectors of a protocol-vectors.txt file (PROTOCOL.md section 11), each a dict of its fields."""
    vectors, current = [], None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for number, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        field, _, value = line.partition(" ")
        if current is None:
            if field != "vector":
                raise ValueError("line %d: %r outside a vector" % (number, line))
            current = {"name": value, "commands": []}
        elif field == "end":
            vectors.append(current)
            current = None
        elif field == "command":
            current["commands"].append(value)
        else:
            current[field] = value
    if current is not None:
        raise ValueError("vector %s has no end" % current["name"])
    return vectors


def vector_key(v):
    return None if v.get("key", "-") == "-" else hbc_mini.parse_key(v["key"])


def vector_bytes(v):
    return bytes.fromhex(v.get("hex", ""))


def is_ack_vector(v):
    data = vector_bytes(v)
    return v.get("type") == "ack" or (len(data) > 3 and data[3] == hbc_mini.ACK)


# ---------------------------------------------------------------- vector checks

def encode_vector(v, samples):
    """Encodes a valid client vector's fields with hbc_mini and compares with its hex."""
    key = vector_key(v)
    host, seq, time_ms, interval_ms = v["host"], int(v["seq"]), int(v["time_ms"]), int(v["interval_ms"])
    kind = v["type"]
    if kind in ("heartbeat", "boot"):
        rtt = None if v["rtt_us"] == "-" else int(v["rtt_us"])
        boot = int(v["boot_time_ms"]) if kind == "boot" else None
        built = hbc_mini.encode_heartbeat(host, seq, time_ms, interval_ms, rtt, int(v["cmd_done"]), key, boot)
    elif kind == "plugin_error":
        built = hbc_mini.encode_plugin_error(host, seq, time_ms, interval_ms, v["plugin"], v["message"], key)
    elif "value" in v:
        tree = json.loads(v["value"], object_pairs_hook=collections.OrderedDict)
        fragments = hbc_mini.split_sample(host, v["plugin"], hbc_mini.encode_value(tree), key is not None)
        if len(fragments) != int(v["parts"]):
            return "split into %d parts, the vector has %s" % (len(fragments), v["parts"])
        built = hbc_mini.encode_plugin_data(host, seq, time_ms, interval_ms, v["plugin"], int(v["part"]),
                                            int(v["parts"]), fragments[int(v["part"])], key)
    else:
        fragment = bytes.fromhex(v["fragment"])
        samples.setdefault((v["plugin"], seq - int(v["part"])), []).append(fragment)
        built = hbc_mini.encode_plugin_data(host, seq, time_ms, interval_ms, v["plugin"], int(v["part"]),
                                            int(v["parts"]), fragment, key)
    return expect(built.hex(), v["hex"], "encoding")


def sample_vector(v, samples):
    """A split sample: the concatenated fragments are hbc_mini's encoding of the whole tree."""
    tree = json.loads(v["sample_value"], object_pairs_hook=collections.OrderedDict)
    fragments = samples.get((v["plugin"], int(v["seq"]) - int(v["part"])), [])
    if len(fragments) != int(v["parts"]):
        return "%d of %s fragments seen" % (len(fragments), v["parts"])
    return expect(hbc_mini.encode_value(tree).hex(), b"".join(fragments).hex(), "encoding of sample_value")


def ack_vector(v):
    """Feeds an ACK vector to hbc_mini's decoder: accepted with its fields, or refused for its reason."""
    try:
        ack = hbc_mini.decode_ack(vector_bytes(v), vector_key(v))
    except hbc_mini.Refused as e:
        if v["valid"] == "1":
            return "refused a valid ACK: %s" % e.reason
        return expect(e.reason, v["reason"], "reason")
    if v["valid"] != "1":
        return "accepted an invalid ACK (%s)" % v["reason"]
    commands = [("%d %s %s" % c if c.arg else "%d %s" % c[:2]) for c in ack.commands]
    return first_problem(expect(ack.seq, int(v["seq"]), "seq"), expect(ack.time_ms, int(v["time_ms"]), "time_ms"),
                         expect(commands, v["commands"], "commands"))


def not_an_ack_vector(v):
    for key in {None, vector_key(v)}:
        try:
            ack = hbc_mini.decode_ack(vector_bytes(v), key)
        except hbc_mini.Refused:
            continue
        return "decoded as an ACK with seq %d" % ack.seq
    return None


def vector_checks(vectors):
    samples = {}
    for v in vectors:
        name = v["name"]
        if v.get("valid") == "1" and v.get("type") in CLIENT_TYPES:
            check("encode %s" % name, encode_vector, v, samples)
            if "sample_value" in v:
                check("sample %s" % name, sample_vector, v, samples)
        if is_ack_vector(v):
            check("ack %s" % name, ack_vector, v)
        else:
            check("not an ack %s" % name, not_an_ack_vector, v)


# ---------------------------------------------------------------- helpers of the unit checks

def make_ack(seq, commands=(), key=None, time_ms=1764115200125):
    """An ACK written here from PROTOCOL.md section 5, independently of hbc_mini's decoder."""
    d = b"HB" + bytes([1, 5, 1 if key else 0, 0]) + struct.pack(">Qq", seq, time_ms) + bytes([len(commands)])
    for cid, name, arg in commands:
        a = arg.encode("utf-8")
        d += struct.pack(">I", cid) + bytes([len(name)]) + name.encode("ascii") + bytes([len(a)]) + a
    if key:
        import hashlib
        import hmac
        d += hmac.new(key, d, hashlib.sha256).digest()
    return d


def sent_fields(datagram):
    """(type, seq, interval_ms, rtt_us, cmd_done) of a heartbeat or boot that hbc_mini sent."""
    n = datagram[5]
    seq = struct.unpack(">Q", datagram[6:14])[0]
    interval, rtt, done = struct.unpack(">III", datagram[22 + n:34 + n])
    return datagram[3], seq, interval, rtt, done


class RecordingClient(hbc_mini.Client):
    """A client whose datagrams are recorded instead of sent."""

    def __init__(self, *args, **kwargs):
        hbc_mini.Client.__init__(self, *args, **kwargs)
        self.sent = []
        for server in self.servers:
            server.must_resolve = False  # no name look-ups in a unit test

    def send(self, server, datagram):
        self.sent.append(datagram)
        return True

    def heartbeat(self, now):
        self.send_heartbeat(self.servers[0], now)
        return sent_fields(self.sent[-1])


def decode_tree(data):
    """Decodes a value tree (section 6.1) strictly; raises ValueError. Used to inspect what hbc_mini sends."""
    def value(pos, depth):
        tag = data[pos:pos + 1]
        pos += 1
        if tag in (b"T", b"F"):
            return tag == b"T", pos
        if tag == b"i":
            return struct.unpack(">q", data[pos:pos + 8])[0], pos + 8
        if tag == b"d":
            x = struct.unpack(">d", data[pos:pos + 8])[0]
            if not math.isfinite(x):
                raise ValueError("non-finite number")
            return x, pos + 8
        if tag == b"s":
            n = struct.unpack(">H", data[pos:pos + 2])[0]
            return data[pos + 2:pos + 2 + n].decode("utf-8"), pos + 2 + n
        if tag in (b"l", b"m"):
            if depth > hbc_mini.MAX_DEPTH:
                raise ValueError("too deep")
            n = struct.unpack(">H", data[pos:pos + 2])[0]
            pos += 2
            out = collections.OrderedDict() if tag == b"m" else []
            for _ in range(n):
                if tag == b"m":
                    k = struct.unpack(">H", data[pos:pos + 2])[0]
                    key = data[pos + 2:pos + 2 + k].decode("utf-8")
                    if not key or key in out:
                        raise ValueError("empty or duplicate key %r" % key)
                    out[key], pos = value(pos + 2 + k, depth + 1)
                else:
                    x, pos = value(pos, depth + 1)
                    out.append(x)
            return out, pos
        raise ValueError("bad tag %r" % tag)
    if data[:1] != b"m":
        raise ValueError("root is not a map")
    tree, end = value(0, 1)
    if end != len(data):
        raise ValueError("trailing bytes")
    return tree


# ---------------------------------------------------------------- unit checks

HOST_NAMES = [
    ("plain", "web1", True), ("dotted", "db-2.example.com", True), ("utf8", "h\u00f6st-\u00fcn\u00efcode", True),
    ("upper case", "Web1", True), ("colon", "web:1", True), ("four-byte character", "web-\U0001F680", True),
    ("255 bytes", "h" * 255, True), ("256 bytes", "h" * 256, False), ("254 bytes of 2-byte chars", "\u00e9" * 127, True),
    ("256 bytes of 2-byte chars", "\u00e9" * 128, False), ("empty", "", False), ("space", "web 1", False),
    ("tab", "web\t1", False), ("newline", "web\n1", False), ("slash", "web/1", False), ("nul", "web\x001", False),
    ("del", "web\x7f1", False), ("c1 control", "web\x851", False), ("no-break space", "web\u00a01", False),
    ("em space", "web\u20031", False), ("ideographic space", "web\u30001", False),
    ("line separator", "web\u20281", False), ("lone surrogate", "web\ud800", False),
]


def host_name_check(name, valid):
    problem = hbc_mini.host_name_problem(name)
    return None if (problem is None) == valid else "host_name_problem says %r" % problem


def encoder_refuses_bad_host():
    try:
        hbc_mini.encode_heartbeat("web 1", 1, 2, 3, None, 0)
    except ValueError:
        return None
    return "encoded a heartbeat for 'web 1'"


def seq_start():
    before = int(time.time() * 1000000)
    client = RecordingClient("web1", [("192.0.2.1", 50003)])
    after = int(time.time() * 1000000)
    first = client.take_seqs()
    second = client.take_seqs(3)
    return first_problem(None if before <= first <= after else "first seq %d not in [%d, %d]" % (first, before, after),
                         expect(second, first + 1, "second seq"), expect(client.take_seqs(), first + 4, "seq after 3"))


def seq_increases_per_datagram():
    client = RecordingClient("web1", [("192.0.2.1", 50003), ("192.0.2.2", 50003)])
    client.heartbeat_all(1.0)
    client.send_sample("cpu_monitor", 1, 60000, {"x": 1})
    seqs = [struct.unpack(">Q", d[6:14])[0] for d in client.sent]
    return expect(seqs, list(range(seqs[0], seqs[0] + 4)), "seqs")


def first_heartbeat_fields():
    client = RecordingClient("web1", [("srv", 50003)], interval=20)
    return expect(client.heartbeat(1.0), (1, client.seq - 1, 20000, 0xFFFFFFFF, 0), "heartbeat")


def boot_first():
    client = RecordingClient("web1", [("srv", 50003)], boot=True)
    kinds = [client.heartbeat(1.0)[0], client.heartbeat(2.0)[0]]
    boot_time = struct.unpack(">q", client.sent[0][-8:])[0]
    sane = os.path.exists("/proc/uptime") and not 0 < boot_time <= int(time.time() * 1000)
    return first_problem(expect(kinds, [2, 1], "types"), "boot_time_ms %d" % boot_time if sane else None)


def silent_server_resolved_again():
    client = RecordingClient("web1", [("127.0.0.1", 50003)])
    server = client.servers[0]
    server.must_resolve = True
    states = []
    for tick in range(7):
        client.heartbeat_all(float(tick))
        states.append(server.answering)
    resolved = server.next_address
    seq = struct.unpack(">Q", client.sent[-1][6:14])[0]
    client.handle_datagram(server, make_ack(seq), 7.001)
    return first_problem(expect(resolved, 3, "resolutions (start, after 3 and 6 unanswered)"),
                         expect(states, [None] * 3 + [False] * 4, "answering"),
                         expect((server.answering, server.unanswered), (True, 0), "after an ACK"))


def unknown_seq_ignored():
    client = RecordingClient("web1", [("srv", 50003)])
    seq = client.heartbeat(1.0)[1]
    reason = client.handle_datagram(client.servers[0], make_ack(seq + 1000, [(1, "ping", "")]), 1.1)
    return first_problem(expect(reason, "UNKNOWN_SEQ", "result"), expect(client.servers[0].cmd_done, 0, "cmd_done"),
                         expect(len(client.sent), 1, "datagrams sent"),
                         expect(client.servers[0].rtt_us, hbc_mini.NO_RTT, "rtt_us"))


def duplicate_ack_ignored():
    client = RecordingClient("web1", [("srv", 50003)])
    seq = client.heartbeat(1.0)[1]
    first = client.handle_datagram(client.servers[0], make_ack(seq), 1.0015)
    second = client.handle_datagram(client.servers[0], make_ack(seq), 1.5)
    return first_problem(expect(first, None, "first"), expect(second, "UNKNOWN_SEQ", "duplicate"),
                         expect(client.servers[0].rtt_us, 1500, "rtt_us"))


def rtt_reported():
    client = RecordingClient("web1", [("srv", 50003)])
    seq = client.heartbeat(1.0)[1]
    client.handle_datagram(client.servers[0], make_ack(seq), 1.0025)
    return expect(client.heartbeat(2.0)[3], 2500, "rtt_us of the next heartbeat")


def late_ack_matched():
    client = RecordingClient("web1", [("srv", 50003)])
    seqs = [client.heartbeat(float(i))[1] for i in range(3)]
    return expect(client.handle_datagram(client.servers[0], make_ack(seqs[0]), 3.0), None, "result")


def outstanding_limited():
    client = RecordingClient("web1", [("srv", 50003)])
    seqs = [client.heartbeat(float(i))[1] for i in range(hbc_mini.OUTSTANDING + 1)]
    server = client.servers[0]
    return first_problem(expect(client.handle_datagram(server, make_ack(seqs[0]), 20.0), "UNKNOWN_SEQ", "oldest"),
                         expect(client.handle_datagram(server, make_ack(seqs[1]), 20.0), None, "second oldest"))


def command_dedupe():
    client = RecordingClient("web1", [("srv", 50003)])
    server = client.servers[0]
    seq = client.heartbeat(1.0)[1]
    client.handle_datagram(server, make_ack(seq, [(1, "ping", "")]), 1.001)
    after_first = len(client.sent)
    ping_heartbeat = sent_fields(client.sent[-1])
    client.handle_datagram(server, make_ack(ping_heartbeat[1], [(1, "ping", "")]), 1.002)
    return first_problem(expect(after_first, 2, "datagrams after the first ping"),
                         expect(ping_heartbeat[4], 1, "cmd_done of the ping's heartbeat"),
                         expect(len(client.sent), 2, "datagrams after the same ping again"),
                         expect(client.servers[0].cmd_done, 1, "cmd_done"))


def pings_in_one_ack_send_one_heartbeat():
    client = RecordingClient("web1", [("srv", 50003)])
    seq = client.heartbeat(1.0)[1]
    client.handle_datagram(client.servers[0], make_ack(seq, [(1, "ping", ""), (2, "ping", "")]), 1.001)
    return first_problem(expect(len(client.sent), 2, "datagrams"), expect(sent_fields(client.sent[-1])[4], 2, "cmd_done"))


def set_interval_cases():
    client = RecordingClient("web1", [("srv", 50003)], interval=20)
    client.next_heartbeat = 21.0
    server = client.servers[0]
    results = []
    for cid, arg in [(2, "30"), (3, "0"), (4, "abc"), (5, "86401"), (6, "-5"), (7, "")]:
        seq = client.heartbeat(1.0)[1]
        client.handle_datagram(server, make_ack(seq, [(cid, "set-interval", arg)]), 1.001)
        results.append(client.interval)
    announced = client.heartbeat(2.0)[2]
    return first_problem(expect(results, [30.0] * 6, "intervals"), expect(client.servers[0].cmd_done, 7, "cmd_done"),
                         expect(announced, 30000, "announced interval_ms"),
                         expect(client.next_heartbeat, 1.001, "next heartbeat: at once, announcing the interval"))


def command_ids_are_per_server():
    client = RecordingClient("web1", [("a", 50003), ("b", 50003)])
    a, b = client.servers
    client.heartbeat_all(1.0)
    seq_a, seq_b = [struct.unpack(">Q", d[6:14])[0] for d in client.sent]
    client.handle_datagram(a, make_ack(seq_a, [(1, "ping", "")]), 1.001)
    client.handle_datagram(b, make_ack(seq_b, [(1, "ping", "")]), 1.001)
    pinged = [d for d in client.sent[2:]]
    return first_problem(expect(len(pinged), 2, "a ping from each server answered, though both have id 1"),
                         expect((a.cmd_done, b.cmd_done), (1, 1), "cmd_done per server"))


def second_heartbeat_jittered():
    client = RecordingClient("web1", [("srv", 50003)], interval=20)
    client.next_heartbeat = 100.0
    client.heartbeat_all(100.0)
    second = client.next_heartbeat_after(100.0)
    client.next_heartbeat = second
    client.heartbeat_all(second)
    third = client.next_heartbeat_after(second)
    return first_problem(None if 110.0 <= second <= 120.0 else "second heartbeat at %r, not within 10-20 s" % second,
                         expect(third, second + 20, "third heartbeat one interval after the second"))


def unknown_command_counted():
    client = RecordingClient("web1", [("srv", 50003)])
    seq = client.heartbeat(1.0)[1]
    client.handle_datagram(client.servers[0], make_ack(seq, [(9, "reboot-now", "please")]), 1.001)
    return first_problem(expect(client.servers[0].cmd_done, 9, "cmd_done"), expect(len(client.sent), 1, "datagrams"))


def signed_client_acks():
    client = RecordingClient("web1", [("srv", 50003)], key=KEY)
    server = client.servers[0]
    seq = client.heartbeat(1.0)[1]
    results = [client.handle_datagram(server, make_ack(seq, [(1, "ping", "")]), 1.001),
               client.handle_datagram(server, make_ack(seq, [(1, "ping", "")], OTHER_KEY), 1.001),
               client.handle_datagram(server, make_ack(seq + 1, [(1, "ping", "")], KEY), 1.001),
               client.handle_datagram(server, make_ack(seq, [(1, "ping", "")], KEY), 1.001),
               client.handle_datagram(server, make_ack(seq, [(2, "ping", "")], KEY), 1.001)]
    signed = all(d[4] == 1 and len(d) == 66 + 4 for d in client.sent)
    return first_problem(expect(results, ["BAD_MAC", "BAD_MAC", "UNKNOWN_SEQ", None, "UNKNOWN_SEQ"], "results"),
                         expect(client.servers[0].cmd_done, 1, "cmd_done"), None if signed else "unsigned datagram sent")


def encoder_refuses_non_finite():
    for bad in (float("nan"), float("inf"), float("-inf")):
        for tree in ({"x": bad}, {"l": [1.0, bad]}, {"m": {"y": bad}}):
            try:
                hbc_mini.encode_value(tree)
            except ValueError:
                continue
            return "encoded %r" % (tree,)
    return None


def non_finite_sample_becomes_error():
    client = RecordingClient("web1", [("srv", 50003)])
    client.send_sample("cpu_monitor", 1, 60000, {"cpu_percent": float("nan")})
    return expect([d[3] for d in client.sent], [hbc_mini.PLUGIN_ERROR], "types sent")


def collector_check(collect, required):
    tree = collect()
    decoded = decode_tree(hbc_mini.encode_value(tree))
    missing = [k for k in required if k not in decoded]
    return "missing %s in %s" % (missing, json.dumps(decoded)[:300]) if missing else None


def cpu_collector():
    monitor = hbc_mini.CpuMonitor()
    monitor.sample()
    time.sleep(0.2)
    linux = ["cpu_percent", "per_cpu_percent"] if os.path.exists("/proc/stat") else []
    return collector_check(monitor.sample, linux + ["load_1", "load_5", "load_15", "cores"])


def memory_collector():
    linux = ["available", "used", "percent", "swap"] if os.path.exists("/proc/meminfo") else []
    return collector_check(hbc_mini.memory_tree, ["total"] + linux)


def disk_collector():
    problem = collector_check(hbc_mini.disk_tree, ["partitions"])
    tree = hbc_mini.disk_tree()
    if problem is None and "/" in tree["partitions"]:
        problem = collector_check(lambda: tree["partitions"]["/"], ["total", "used", "free", "percent"])
    return problem


def disk_still_running():
    client = RecordingClient("web1", [("srv", 50003)])
    wake_r, wake_w = os.pipe()
    gate = threading.Event()
    disk = hbc_mini.DiskWorker(wake_w)
    disk.thread = threading.Thread(target=gate.wait)  # stands for a statvfs() hung on a dead mount
    disk.thread.start()
    disk.started = 0.0
    try:
        hbc_mini.collect_plugins(client, hbc_mini.CpuMonitor(), disk, 75.0)
    finally:
        gate.set()
        disk.thread.join()
        os.close(wake_r)
        os.close(wake_w)
    message = client.sent[-1][22 + 4 + 4 + 1 + 12 + 2:].decode("utf-8")
    return first_problem(expect([d[3] for d in client.sent], [3, 3, 4], "types sent"),
                         None if "still running after 75 s" in message else "message %r" % message)


def disk_mount_rules():
    mounts = [("/dev/a", "/", "ext4"), ("proc", "/proc", "proc"), ("/dev/a", "/usr", "ext4"),
              ("/dev/b", "/nonexistent-hbc-mini-test", "ext4"), ("tmpfs", "/tmp", "tmpfs")]
    stacked = [("/dev/a", "/", "ext4"), ("/dev/c", "/", "xfs")]
    partitions = hbc_mini.disk_tree(mounts)["partitions"]
    top = hbc_mini.disk_tree(stacked)["partitions"]
    return first_problem(expect(list(partitions), ["/"], "mount points"),
                         expect([(k, v["device"], v["fstype"]) for k, v in top.items()], [("/", "/dev/c", "xfs")],
                                "stacked mounts"))


def mount_unescape():
    return expect(hbc_mini.unescape_mount_field(b"/mnt/my\\040disk\\134x\\9"), b"/mnt/my disk\\x\\9", "unescaped")


def split_large_sample():
    client = RecordingClient("web" * 20, [("srv", 50003)], key=KEY)
    tree = {"k%04d" % i: i * 1.5 for i in range(400)}
    client.send_sample("big_plugin", 7, 60000, tree)
    sent = client.sent
    p = 22 + 60 + 4 + 1 + len("big_plugin")
    seqs = [struct.unpack(">Q", d[6:14])[0] for d in sent]
    parts = [(d[p], d[p + 1]) for d in sent]
    joined = b"".join(d[p + 2:-32] for d in sent)
    return first_problem(expect(parts, [(i, len(sent)) for i in range(len(sent))], "parts"),
                         expect(seqs, list(range(seqs[0], seqs[0] + len(sent))), "seqs"),
                         expect(joined, hbc_mini.encode_value(tree), "fragments joined"),
                         None if all(len(d) == 1452 for d in sent[:-1]) else "a datagram other than the last is short",
                         None if len(sent) > 1 and len(sent[-1]) <= 1452 else "not split")


def oversized_sample_becomes_error():
    client = RecordingClient("web1", [("srv", 50003)])
    client.send_sample("big_plugin", 7, 60000, {"k%05d" % i: "x" * 100 for i in range(1000)})
    return expect([d[3] for d in client.sent], [hbc_mini.PLUGIN_ERROR], "types sent")


def error_message_truncated():
    client = RecordingClient("web1", [("srv", 50003)])
    client.send_plugin_error("disk_monitor", 60000, "a" + "\u00e9" * 600)
    n = struct.unpack(">H", client.sent[0][22 + 4 + 4 + 1 + 12:22 + 4 + 4 + 1 + 14])[0]
    return expect(n, 1023, "message length")


def truncate_utf8_boundary():
    return first_problem(expect(hbc_mini.truncate_utf8("a\u00e9\u00e9", 4), "a\u00e9", "cut"),
                         expect(hbc_mini.truncate_utf8("abc", 5), "abc", "short"))


def garbage_never_crashes():
    rng = random.Random(42)
    good = make_ack(1764115200000000, [(1, "ping", ""), (2, "set-interval", "30")], KEY)
    client = RecordingClient("web1", [("srv", 50003)], key=KEY)
    client.heartbeat(1.0)
    for i in range(20000):
        if i % 2:
            data = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 80)))
        else:
            data = bytearray(good)
            for _ in range(rng.randrange(1, 4)):
                data[rng.randrange(len(data))] = rng.getrandbits(8)
            data = bytes(data[:rng.randrange(len(data) + 1)]) if i % 4 == 0 else bytes(data)
        if client.handle_datagram(client.servers[0], data, 1.5) is None:
            return "accepted garbage %s" % data.hex()
    return None


def key_files():
    with tempfile.NamedTemporaryFile("w", suffix=".key", delete=False) as f:
        f.write("# host key of web1\n\n  AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=  \n")
    try:
        key = hbc_mini.read_key_file(f.name)
    finally:
        os.unlink(f.name)
    refused = 0
    for text in ("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw=", "not base64!", ""):
        try:
            hbc_mini.parse_key(text)
        except ValueError:
            refused += 1
    return first_problem(expect(key, KEY, "key"), expect(refused, 3, "bad keys refused"))


SERVER_SPECS = [
    ("name", "hb.example.com", ("hb.example.com", 50003)), ("name and port", "hb.example.com:6000", ("hb.example.com", 6000)),
    ("ipv4", "192.0.2.1", ("192.0.2.1", 50003)), ("ipv4 and port", "192.0.2.1:7", ("192.0.2.1", 7)),
    ("ipv6", "2001:db8::1", ("2001:db8::1", 50003)), ("bracketed ipv6", "[2001:db8::1]", ("2001:db8::1", 50003)),
    ("bracketed ipv6 and port", "[::1]:6000", ("::1", 6000)), ("port 0", "h:0", None), ("port 65536", "h:65536", None),
    ("empty port", "h:", None), ("no host", ":6000", None), ("unclosed bracket", "[::1", None),
    ("junk after bracket", "[::1]x", None), ("empty", "", None),
]


def server_spec(spec, expected):
    try:
        parsed = hbc_mini.parse_server(spec, 50003)
    except hbc_mini.UsageError as e:
        return None if expected is None else "refused: %s" % e
    return expect(parsed, expected, "parsed")


ARGUMENTS = [
    ("defaults", ["-n", "web1", "srv"], (("srv", 50003),), 20.0, 60.0),
    ("all options", ["-p", "6000", "-i", "2.5", "-b", "-n", "web1", "-m", "0", "-v", "a", "[::1]:7"],
     (("a", 6000), ("::1", 7)), 2.5, 0.0),
    ("options after servers", ["srv", "-n", "web1", "-i", "5"], (("srv", 50003),), 5.0, 60.0),
    ("no server", ["-n", "web1"], None, None, None), ("interval below 1", ["-i", "0.5", "-n", "a", "s"], None, None, None),
    ("interval nan", ["-i", "nan", "-n", "a", "s"], None, None, None),
    ("interval inf", ["-i", "inf", "-n", "a", "s"], None, None, None),
    ("plugin interval 0.5", ["-m", "0.5", "-n", "a", "s"], None, None, None),
    ("bad port", ["-p", "x", "-n", "a", "s"], None, None, None),
    ("bad host name", ["-n", "a b", "s"], None, None, None),
    ("unknown option", ["-x", "-n", "a", "s"], None, None, None),
    ("missing key file", ["-k", "/nonexistent/hbc-mini.key", "-n", "a", "s"], None, None, None),
]


def arguments(argv, servers, interval, plugin_interval):
    try:
        options = hbc_mini.parse_args(argv)
    except hbc_mini.UsageError as e:
        return None if servers is None else "refused: %s" % e
    if servers is None:
        return "accepted"
    return first_problem(expect(tuple(options.servers), servers, "servers"), expect(options.interval, interval, "-i"),
                         expect(options.plugin_interval, plugin_interval, "-m"))


def help_option(argv):
    return expect(hbc_mini.parse_args(argv), None, "parse_args(%r)" % argv)


def unknown_long_option():
    try:
        hbc_mini.parse_args(["--verbose", "-n", "a", "s"])
    except hbc_mini.UsageError as e:
        return expect("--verbose" in str(e), True, "the message names --verbose: %s" % e)
    return "accepted --verbose"


def unit_checks():
    for label, name, valid in HOST_NAMES:
        check("host name %s is %s" % (label, "valid" if valid else "invalid"), host_name_check, name, valid)
    check("encoder refuses a bad host name", encoder_refuses_bad_host)
    check("seq starts at unix time in microseconds", seq_start)
    check("seq increases by one per datagram over all servers", seq_increases_per_datagram)
    check("first heartbeat announces interval and no rtt", first_heartbeat_fields)
    check("boot replaces the first heartbeat only", boot_first)
    check("silent server after 3 unanswered heartbeats is resolved again", silent_server_resolved_again)
    check("ack matching ignores an unknown seq", unknown_seq_ignored)
    check("ack matching ignores a duplicate ack", duplicate_ack_ignored)
    check("ack matching measures rtt for the next heartbeat", rtt_reported)
    check("ack matching accepts a late ack", late_ack_matched)
    check("ack matching keeps the last 8 seqs", outstanding_limited)
    check("command dedupe executes the same id once", command_dedupe)
    check("command two pings in one ack send one heartbeat", pings_in_one_ack_send_one_heartbeat)
    check("command set-interval accepts 1 to 86400 only", set_interval_cases)
    check("command ids are per server", command_ids_are_per_server)
    check("second heartbeat after half to one interval", second_heartbeat_jittered)
    check("command unknown name is counted as done", unknown_command_counted)
    check("signed client accepts only acks signed with its key", signed_client_acks)
    check("encoder never emits nan or infinity", encoder_refuses_non_finite)
    check("non-finite sample is sent as plugin_error", non_finite_sample_becomes_error)
    check("collector cpu_monitor sends a valid finite tree", cpu_collector)
    check("collector memory_monitor sends a valid finite tree", memory_collector)
    check("collector disk_monitor sends a valid finite tree", disk_collector)
    check("disk sample still running when the next is due is sent as plugin_error", disk_still_running)
    check("disk mounts skip pseudo and duplicate devices and last mount wins", disk_mount_rules)
    check("disk mount field unescaping", mount_unescape)
    check("split sample uses full datagrams and consecutive seqs", split_large_sample)
    check("sample over 64 datagrams is sent as plugin_error", oversized_sample_becomes_error)
    check("plugin error message cut to 1024 bytes at a character", error_message_truncated)
    check("truncate_utf8 cuts at a character boundary", truncate_utf8_boundary)
    check("decoder survives 20000 garbage datagrams", garbage_never_crashes)
    check("key file and key parsing", key_files)
    for label, spec, expected in SERVER_SPECS:
        check("server argument %s" % label, server_spec, spec, expected)
    for label, argv, servers, interval, plugin_interval in ARGUMENTS:
        check("arguments %s" % label, arguments, argv, servers, interval, plugin_interval)
    check("arguments help", help_option, ["-h"])
    check("arguments long help", help_option, ["--help"])
    check("arguments long help among other arguments", help_option, ["-n", "a", "srv", "--help"])
    check("arguments unknown long option", unknown_long_option)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: %s protocol-vectors.txt\n" % argv[0])
        return 2
    try:
        vectors = read_vectors(argv[1])
    except (OSError, ValueError) as e:
        report("read vectors", e)
        return 1
    report("read vectors", None if vectors else "no vectors in %s" % argv[1])
    hbc_mini.log = lambda message: None  # the client's log lines would only clutter the test's output
    vector_checks(vectors)
    unit_checks()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
