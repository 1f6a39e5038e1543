#!/usr/bin/env python3
"""hbc_mini: a Heartbeat client in one file of standard-library Python (3.6 or later).

It speaks the Heartbeat wire protocol, version 1 (docs/PROTOCOL.md): it sends a HEARTBEAT (or, with -b,
first a BOOT) to every server each interval, measures the round trip from their ACKs, runs the commands
the ACKs carry and reports cpu, memory and disk figures as PLUGIN_DATA. Run it with -h for usage.

Importing this file has no side effects: tests use its encoder, decoder and client logic directly.
"""

import base64
import collections
import getopt
import math
import os
import random
import select
import signal
import socket
import struct
import sys
import threading
import time

PROG = "hbc_mini"
DEFAULT_PORT = 50003
DEFAULT_INTERVAL = 20.0
DEFAULT_PLUGIN_INTERVAL = 60.0
MAX_INTERVAL = 86400

VERSION = 1
HEARTBEAT, BOOT, PLUGIN_DATA, PLUGIN_ERROR, ACK = 1, 2, 3, 4, 5
FLAG_SIGNED = 0x01
MAX_DATAGRAM = 1452
MAC_LENGTH = 32
KEY_LENGTH = 32
NO_RTT = 0xFFFFFFFF
MAX_HOST_NAME = 255
MAX_PLUGIN_NAME = 64
MAX_PARTS = 64
MAX_DEPTH = 16
MAX_ERROR_MESSAGE = 1024
CLIENT_HEADER = 22          # bytes before the host name
PLUGIN_HEADER = 4 + 1 + 2   # interval_ms, plugin_len, part and parts (plus the plugin name)

OUTSTANDING = 8             # heartbeat seqs remembered per server for matching late ACKs
SILENT_HEARTBEATS = 3       # heartbeats in a row without an ACK: the server is silent, resolve its name again
RECEIVE_BATCH = 64          # datagrams read per socket per wake-up, so a flood cannot starve the timers
REFUSAL_LOG_INTERVAL = 60   # seconds between log lines about ignored datagrams, per server

# Unicode space separators, line and paragraph separators: the white space section 4 forbids, besides the
# ASCII white space that is already a control character.
WHITE_SPACE = frozenset([0x20, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000] +
                        list(range(0x2000, 0x200B)))

DIGITS = frozenset("0123456789")
PLUGIN_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
COMMAND_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789-")

Command = collections.namedtuple("Command", "id name arg")
Ack = collections.namedtuple("Ack", "seq time_ms commands")


# ---------------------------------------------------------------- names and keys

def host_name_problem(name):
    """What makes name unusable as a host name (PROTOCOL.md section 4), or None."""
    try:
        length = len(name.encode("utf-8"))
    except UnicodeError:
        return "host name is not valid Unicode"
    if length == 0:
        return "host name is empty"
    if length > MAX_HOST_NAME:
        return "host name is %d bytes long; the limit is %d" % (length, MAX_HOST_NAME)
    for ch in name:
        cp = ord(ch)
        if cp < 0x20 or 0x7F <= cp <= 0x9F:
            return "host name %r contains a control character" % name
        if cp in WHITE_SPACE:
            return "host name %r contains white space" % name
        if ch == "/":
            return "host name %r contains '/'" % name
    return None


def check_plugin_name(plugin):
    """The ASCII bytes of a plugin name (section 4.3); raises ValueError."""
    if not 1 <= len(plugin) <= MAX_PLUGIN_NAME or not set(plugin) <= PLUGIN_NAME_CHARS:
        raise ValueError("bad plugin name %r" % plugin)
    return plugin.encode("ascii")


def parse_key(text):
    """The 32-byte key of its base64 text form; raises ValueError."""
    try:
        key = base64.b64decode(text.strip().encode("ascii"), validate=True)
    except (ValueError, UnicodeError):
        raise ValueError("a host key must be base64 (44 characters)")
    if len(key) != KEY_LENGTH:
        raise ValueError("a host key is 32 bytes (256 bits), not %d" % len(key))
    return key


def read_key_file(path):
    """The key in a key file: its first non-empty line that does not start with '#'. Raises ValueError."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeError) as e:
        raise ValueError("cannot read key file %s: %s" % (path, getattr(e, "strerror", None) or e))
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            try:
                return parse_key(line)
            except ValueError as e:
                raise ValueError("%s: %s" % (path, e))
    raise ValueError("%s: no key in file" % path)


# ---------------------------------------------------------------- encoding

def _string(s, what="string"):
    b = s.encode("utf-8")
    if len(b) > 0xFFFF:
        raise ValueError("%s of %d bytes is too long" % (what, len(b)))
    return struct.pack(">H", len(b)) + b


def _count(n):
    if n > 0xFFFF:
        raise ValueError("%d elements are too many for one list or map" % n)
    return struct.pack(">H", n)


def _encode(v, out, depth):
    # bool before int: bool is a subclass of int
    if v is True:
        out += b"T"
    elif v is False:
        out += b"F"
    elif isinstance(v, int):
        if not -(1 << 63) <= v < (1 << 63):
            raise ValueError("integer %d does not fit 64 bits" % v)
        out += b"i" + struct.pack(">q", v)
    elif isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("non-finite number %r" % v)
        out += b"d" + struct.pack(">d", v)
    elif isinstance(v, str):
        out += b"s" + _string(v)
    elif isinstance(v, (list, tuple, dict)):
        if depth > MAX_DEPTH:
            raise ValueError("value tree nests deeper than %d" % MAX_DEPTH)
        if isinstance(v, dict):
            out += b"m" + _count(len(v))
            for k, x in v.items():
                if not isinstance(k, str) or not k:
                    raise ValueError("map key %r is not a non-empty string" % (k,))
                out += _string(k, "key")
                _encode(x, out, depth + 1)
        else:
            out += b"l" + _count(len(v))
            for x in v:
                _encode(x, out, depth + 1)
    else:
        raise ValueError("cannot encode a %s" % type(v).__name__)


def encode_value(tree):
    """Encodes a sample's value tree (section 6.1). The root must be a dict; raises ValueError."""
    if not isinstance(tree, dict):
        raise ValueError("the root of a value tree must be a map")
    out = bytearray()
    _encode(tree, out, 1)
    return bytes(out)


def _mac(key, data):
    """HMAC-SHA256 (section 8.2). hashlib loads OpenSSL, about 4 MB: only clients with a key pay for it."""
    import hashlib
    import hmac
    return hmac.new(key, data, hashlib.sha256).digest()


def _same_mac(a, b):
    import hmac
    return hmac.compare_digest(a, b)


def _sign(datagram, key):
    return datagram + _mac(key, datagram)


def _client_datagram(mtype, host, seq, time_ms, interval_ms, body, key):
    problem = host_name_problem(host)
    if problem:
        raise ValueError(problem)
    name = host.encode("utf-8")
    flags = FLAG_SIGNED if key is not None else 0
    d = struct.pack(">2sBBBBQq", b"HB", VERSION, mtype, flags, len(name), seq, time_ms) + name
    d += struct.pack(">I", interval_ms) + body
    if len(d) + (MAC_LENGTH if key is not None else 0) > MAX_DATAGRAM:
        raise ValueError("datagram of %d bytes is longer than %d" % (len(d), MAX_DATAGRAM))
    return _sign(d, key) if key is not None else d


def encode_heartbeat(host, seq, time_ms, interval_ms, rtt_us, cmd_done, key=None, boot_time_ms=None):
    """A HEARTBEAT, or a BOOT when boot_time_ms is given. rtt_us None: none measured yet."""
    body = struct.pack(">II", NO_RTT if rtt_us is None else rtt_us, cmd_done)
    if boot_time_ms is None:
        return _client_datagram(HEARTBEAT, host, seq, time_ms, interval_ms, body, key)
    body += struct.pack(">q", boot_time_ms)
    return _client_datagram(BOOT, host, seq, time_ms, interval_ms, body, key)


def encode_plugin_data(host, seq, time_ms, interval_ms, plugin, part, parts, fragment, key=None):
    if not (1 <= parts <= MAX_PARTS and 0 <= part < parts and fragment):
        raise ValueError("bad part %d of %d" % (part, parts))
    p = check_plugin_name(plugin)
    body = bytes([len(p)]) + p + bytes([part, parts]) + fragment
    return _client_datagram(PLUGIN_DATA, host, seq, time_ms, interval_ms, body, key)


def truncate_utf8(text, limit):
    """The longest prefix of text whose UTF-8 form has at most limit bytes."""
    b = text.encode("utf-8", "replace")
    return b[:limit].decode("utf-8", "ignore")


def encode_plugin_error(host, seq, time_ms, interval_ms, plugin, message, key=None):
    p = check_plugin_name(plugin)
    m = message.encode("utf-8")
    if len(m) > MAX_ERROR_MESSAGE:
        raise ValueError("error message of %d bytes is longer than %d" % (len(m), MAX_ERROR_MESSAGE))
    body = bytes([len(p)]) + p + struct.pack(">H", len(m)) + m
    return _client_datagram(PLUGIN_ERROR, host, seq, time_ms, interval_ms, body, key)


def split_sample(host, plugin, encoded, signed):
    """Cuts an encoded tree into the fragments of section 6.3, each as large as a datagram allows."""
    room = (MAX_DATAGRAM - CLIENT_HEADER - len(host.encode("utf-8")) - PLUGIN_HEADER - len(plugin)
            - (MAC_LENGTH if signed else 0))
    fragments = [encoded[i:i + room] for i in range(0, len(encoded), room)]
    if len(fragments) > MAX_PARTS:
        raise ValueError("sample of %d bytes needs more than %d datagrams" % (len(encoded), MAX_PARTS))
    return fragments


# ---------------------------------------------------------------- decoding ACKs

class Refused(ValueError):
    """A datagram the client must ignore; reason is a PROTOCOL.md section 11 reason, or NOT_AN_ACK."""

    def __init__(self, reason):
        ValueError.__init__(self, reason)
        self.reason = reason


class _Reader(object):
    def __init__(self, data, pos, end):
        self.data, self.pos, self.end = data, pos, end

    def take(self, n):
        if self.end - self.pos < n:
            raise Refused("TRUNCATED")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def u8(self):
        return self.take(1)[0]

    def unpack(self, fmt):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]


def _command(r):
    cid = r.unpack(">I")
    name = r.take(r.u8())
    arg = r.take(r.u8())
    if cid == 0 or not 1 <= len(name) <= 32 or not set(name) <= COMMAND_NAME_BYTES:
        raise Refused("BAD_FIELD")
    try:
        return Command(cid, name.decode("ascii"), arg.decode("utf-8"))
    except UnicodeError:
        raise Refused("BAD_UTF8")


def decode_ack(data, key=None):
    """Decodes an ACK (section 5). With a key, only a signed ACK whose MAC verifies is accepted; without
    one, a signed ACK's MAC cannot be checked and is skipped. Raises Refused."""
    data = bytes(data)
    if len(data) > MAX_DATAGRAM:
        raise Refused("OVERSIZED")
    if len(data) < 6:
        raise Refused("TRUNCATED")
    if data[:2] != b"HB":
        raise Refused("BAD_MAGIC")
    if data[2] != VERSION:
        raise Refused("UNKNOWN_VERSION")
    if not HEARTBEAT <= data[3] <= ACK:
        raise Refused("UNKNOWN_TYPE")
    if data[3] != ACK:
        raise Refused("NOT_AN_ACK")
    if data[4] & ~FLAG_SIGNED:
        raise Refused("BAD_FLAGS")
    signed = bool(data[4] & FLAG_SIGNED)
    end = len(data) - MAC_LENGTH if signed else len(data)
    if key is not None:
        if not signed or end < 5:
            raise Refused("BAD_MAC")
        if not _same_mac(_mac(key, data[:end]), data[end:]):
            raise Refused("BAD_MAC")
    r = _Reader(data, 5, end)
    if r.u8() != 0:
        raise Refused("BAD_FIELD")
    seq = r.unpack(">Q")
    time_ms = r.unpack(">q")
    commands = [_command(r) for _ in range(r.u8())]
    if r.pos != end:
        raise Refused("TRAILING_BYTES")
    return Ack(seq, time_ms, commands)


# ---------------------------------------------------------------- plugins

def _percent_between(before, after):
    """Busy percentage between two (busy, total) counter pairs, or None when no time passed."""
    busy = after[0] - before[0]
    total = after[1] - before[1]
    if total <= 0:
        return None
    return min(max(100.0 * busy / total, 0.0), 100.0)


def read_proc_stat(path="/proc/stat"):
    """(busy, total) jiffies per line of /proc/stat, keyed "cpu", "cpu0", ...; None where there is none."""
    try:
        with open(path) as f:
            lines = f.readlines()
    except OSError:
        return None
    counters = collections.OrderedDict()
    for line in lines:
        fields = line.split()
        if not fields or not fields[0].startswith("cpu"):
            break
        # user nice system idle iowait irq softirq steal; guest time is already part of user and nice
        ticks = [int(x) for x in fields[1:9]]
        idle = sum(ticks[3:5])
        counters[fields[0]] = (sum(ticks) - idle, sum(ticks))
    return counters or None


class CpuMonitor(object):
    """cpu_monitor: busy percentages since the previous sample, load averages and online CPUs."""

    def __init__(self):
        self.previous = None

    def sample(self):
        tree = collections.OrderedDict()
        current = read_proc_stat()
        previous, self.previous = self.previous, current
        if current and previous and "cpu" in current and "cpu" in previous:
            percent = _percent_between(previous["cpu"], current["cpu"])
            if percent is not None:
                tree["cpu_percent"] = percent
            cpus = [name for name in current if name != "cpu"]
            if cpus and cpus == [name for name in previous if name != "cpu"]:
                per_cpu = [_percent_between(previous[name], current[name]) for name in cpus]
                if None not in per_cpu:
                    tree["per_cpu_percent"] = per_cpu
        try:
            tree["load_1"], tree["load_5"], tree["load_15"] = [float(x) for x in os.getloadavg()]
        except (OSError, AttributeError):
            pass
        cores = _sysconf("SC_NPROCESSORS_ONLN")
        if cores:
            tree["cores"] = cores
        if not tree:
            raise RuntimeError("no cpu figures on this system")
        return tree


def _sysconf(name):
    try:
        value = os.sysconf(name)
    except (ValueError, OSError, AttributeError):
        return None
    return value if value > 0 else None


def read_meminfo(path="/proc/meminfo"):
    """The fields of /proc/meminfo in bytes, or None where there is no such file."""
    try:
        with open(path) as f:
            lines = f.readlines()
    except OSError:
        return None
    info = {}
    for line in lines:
        fields = line.replace(":", " ").split()
        if len(fields) >= 2 and fields[1].isdigit():
            info[fields[0]] = int(fields[1]) * (1024 if fields[2:3] == ["kB"] else 1)
    return info


def memory_tree():
    """memory_monitor: physical memory and swap in bytes."""
    tree = collections.OrderedDict()
    info = read_meminfo()
    if info is not None:
        total, available = info.get("MemTotal"), info.get("MemAvailable")
        swap_total, swap_free = info.get("SwapTotal"), info.get("SwapFree")
    else:
        page = _sysconf("SC_PAGE_SIZE")
        phys, avphys = _sysconf("SC_PHYS_PAGES"), _sysconf("SC_AVPHYS_PAGES")
        total = phys * page if page and phys else None
        available = avphys * page if page and avphys else None
        swap_total = swap_free = None
    if total:
        tree["total"] = total
        if available is not None:
            tree["available"] = available
            tree["used"] = total - available
            tree["percent"] = 100.0 * (total - available) / total
    if swap_total is not None and swap_free is not None:
        swap = collections.OrderedDict([("total", swap_total), ("used", swap_total - swap_free),
                                        ("free", swap_free)])
        if swap_total > 0:
            swap["percent"] = 100.0 * (swap_total - swap_free) / swap_total
        tree["swap"] = swap
    if not tree:
        raise RuntimeError("no memory figures on this system")
    return tree


PSEUDO_FILESYSTEMS = frozenset((
    "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "cgroup", "cgroup2", "overlay", "squashfs", "autofs",
    "mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf", "configfs", "fusectl", "hugetlbfs",
    "binfmt_misc", "nsfs", "rpc_pipefs", "ramfs"))


def unescape_mount_field(field):
    """Undoes the octal escapes (\\040 for a space...) of a /proc/self/mounts field (bytes)."""
    out = bytearray()
    i = 0
    while i < len(field):
        octal = field[i + 1:i + 4]
        if field[i:i + 1] == b"\\" and len(octal) == 3 and all(48 <= c <= 55 for c in octal):
            out.append(int(octal, 8) & 0xFF)
            i += 4
        else:
            out.append(field[i])
            i += 1
    return bytes(out)


def read_mounts(path="/proc/self/mounts"):
    """(device, mount point, fstype) of every mount, in mount order; ("/" only where /proc is absent).
    Mounts whose names are not UTF-8 are left out: a value tree holds UTF-8 only."""
    try:
        with open(path, "rb") as f:
            lines = f.read().splitlines()
    except OSError:
        return [(None, "/", None)]
    mounts = []
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        try:
            mounts.append(tuple(unescape_mount_field(x).decode("utf-8") for x in fields[:3]))
        except UnicodeError:
            continue
    return mounts


def partition_tree(device, fstype, st):
    tree = collections.OrderedDict()
    if device is not None:
        tree["device"] = device
    if fstype is not None:
        tree["fstype"] = fstype
    unit = st.f_frsize or st.f_bsize
    used = max(st.f_blocks - st.f_bfree, 0) * unit
    free = st.f_bavail * unit
    tree["total"] = st.f_blocks * unit
    tree["used"] = used
    tree["free"] = free
    if used + free > 0:
        tree["percent"] = 100.0 * used / (used + free)
    if st.f_files > 0:
        inodes_used = max(st.f_files - st.f_ffree, 0)
        tree["inodes_total"] = st.f_files
        tree["inodes_used"] = inodes_used
        tree["inodes_free"] = st.f_ffree
        tree["inodes_percent"] = 100.0 * inodes_used / st.f_files
    tree["readonly"] = bool(st.f_flag & os.ST_RDONLY)
    return tree


def disk_tree(mounts=None):
    """disk_monitor: usage of every real filesystem, keyed by mount point."""
    # The last mount on a mount point hides the earlier ones, and it is what statvfs() reports on.
    top = collections.OrderedDict()
    for device, mount_point, fstype in read_mounts() if mounts is None else mounts:
        top.pop(mount_point, None)
        top[mount_point] = (device, fstype)
    partitions = collections.OrderedDict()
    devices = set()
    for mount_point, (device, fstype) in top.items():
        if fstype in PSEUDO_FILESYSTEMS or (device is not None and device in devices):
            continue
        try:
            st = os.statvfs(mount_point)
        except OSError:
            continue
        if st.f_blocks == 0:
            continue
        devices.add(device)
        partitions[mount_point] = partition_tree(device, fstype, st)
    return collections.OrderedDict([("partitions", partitions)])


class DiskWorker(object):
    """Runs disk_tree() in a thread: statvfs() can hang on a dead network mount, and a heartbeat must
    never wait for plugin data. The thread writes a byte to wake_fd when it is done."""

    def __init__(self, wake_fd):
        self.wake_fd = wake_fd
        self.thread = None
        self.started = None
        self.result = None

    def busy(self):
        return self.thread is not None and self.thread.is_alive()

    def start(self, now):
        self.started = now
        self.thread = threading.Thread(target=self._run, name="disk_monitor")
        self.thread.daemon = True
        self.thread.start()

    def _run(self):
        time_ms = now_ms()
        try:
            self.result = (time_ms, disk_tree(), None)
        except Exception as e:  # a plugin's failure is reported to the server, whatever it is
            self.result = (time_ms, None, "%s: %s" % (type(e).__name__, e))
        try:
            os.write(self.wake_fd, b"x")
        except OSError:
            pass

    def take(self):
        result, self.result = self.result, None
        return result


def boot_time_ms():
    """When the host booted, in Unix milliseconds; 0 where that is unknown."""
    try:
        with open("/proc/uptime") as f:
            return now_ms() - int(float(f.read().split()[0]) * 1000)
    except (OSError, ValueError, IndexError):
        pass
    try:
        import subprocess
        out = subprocess.check_output(["sysctl", "-n", "kern.boottime"], stderr=subprocess.DEVNULL)
    except (OSError, ValueError, subprocess.SubprocessError):
        return 0
    # macOS and FreeBSD print "{ sec = 1764115200, usec = 123 } ..."; where it is a date, it stays unknown
    import re
    match = re.match(r"\s*\{\s*sec\s*=\s*([0-9]+)", out.decode("ascii", "replace"))
    return int(match.group(1)) * 1000 if match else 0


# ---------------------------------------------------------------- the client

def now_ms():
    return int(time.time() * 1000)


def now_us():
    return int(time.time() * 1000000)


def log(message):
    try:
        sys.stderr.write("%s %s: %s\n" % (time.strftime("%Y-%m-%d %H:%M:%S"), PROG, message))
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def format_seconds(seconds):
    return "%g" % seconds


class Server(object):
    """One configured server: where datagrams go, and what its answers told us."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.label = ("[%s]:%d" if ":" in host else "%s:%d") % (host, port)
        self.sock = None
        self.family = None
        self.address = None
        self.next_address = 0       # each re-resolution tries the next of the name's addresses
        self.must_resolve = True
        self.resolve_failed = False
        self.send_failed = False
        self.outstanding = collections.OrderedDict()   # seq -> monotonic time sent
        self.rtt_us = NO_RTT
        self.unanswered = 0         # heartbeats sent since the last accepted ACK
        self.answering = None       # None until known
        self.refused = 0            # datagrams ignored since the last log line about them
        self.refusal_logged_at = None
        self.boot_pending = False
        self.cmd_done = 0           # command ids are per server (section 7)

    def remember(self, seq, now):
        self.outstanding[seq] = now
        while len(self.outstanding) > OUTSTANDING:
            self.outstanding.popitem(last=False)


class Client(object):
    """The client's state and behaviour (section 10), apart from its main loop and sockets."""

    def __init__(self, host, servers, interval=DEFAULT_INTERVAL, key=None, boot=False,
                 plugin_interval=DEFAULT_PLUGIN_INTERVAL, verbose=False):
        self.host = host
        self.servers = [Server(h, p) for h, p in servers]
        self.interval = float(interval)
        self.key = key
        self.plugin_interval = float(plugin_interval)
        self.verbose = verbose
        self.seq = now_us()
        self.next_heartbeat = None
        self.heartbeats_sent = 0
        for server in self.servers:
            server.boot_pending = boot

    def take_seqs(self, count=1):
        """The first of count consecutive, never used sequence numbers (section 8.3)."""
        first = self.seq
        self.seq += count
        return first

    def interval_ms(self):
        return int(round(self.interval * 1000))

    # -- sending

    def send(self, server, datagram):
        """Sends one datagram to a server; False when it could not be sent."""
        if server.address is None:
            return False
        try:
            server.sock.sendto(datagram, server.address)
        except OSError as e:
            if not server.send_failed:
                log("sending to %s failed: %s" % (server.label, e.strerror or e))
            server.send_failed = True
            server.must_resolve = True
            return False
        if server.send_failed:
            log("sending to %s works again" % server.label)
        server.send_failed = False
        return True

    def send_heartbeat(self, server, now):
        seq = self.take_seqs()
        boot = boot_time_ms() if server.boot_pending else None
        rtt = None if server.rtt_us == NO_RTT else server.rtt_us
        datagram = encode_heartbeat(self.host, seq, now_ms(), self.interval_ms(), rtt, server.cmd_done, self.key,
                                    boot)
        server.remember(seq, now)
        server.unanswered += 1
        if self.send(server, datagram):
            server.boot_pending = False
            if self.verbose:
                log("sent %s seq %d to %s (%d bytes)" % ("boot" if boot is not None else "heartbeat", seq,
                                                         server.label, len(datagram)))

    def next_heartbeat_after(self, now):
        """When the heartbeat after one sent now is due (section 10): the first goes out at start, the second
        after a random half to whole interval, so that a fleet started together spreads out."""
        if self.heartbeats_sent == 1:
            return now + random.uniform(0.5, 1.0) * self.interval
        return self.next_heartbeat + self.interval

    def heartbeat_all(self, now):
        resolved = False
        for server in self.servers:
            if server.unanswered >= SILENT_HEARTBEATS and server.answering is not False:
                log("%s is not answering (%d heartbeats without an ACK)" % (server.label, server.unanswered))
                server.answering = False
            if server.must_resolve or (server.unanswered and server.unanswered % SILENT_HEARTBEATS == 0):
                self.resolve(server)
                resolved = True
        if resolved:
            now = time.monotonic()  # a name look-up may take long: round trips start when we send
        for server in self.servers:
            self.send_heartbeat(server, now)
        self.heartbeats_sent += 1

    def send_sample(self, plugin, time_ms, interval_ms, tree):
        """Sends a plugin's value tree to every server, split when it must be, or its PLUGIN_ERROR."""
        try:
            encoded = encode_value(tree)
            fragments = split_sample(self.host, plugin, encoded, self.key is not None)
        except ValueError as e:
            self.send_plugin_error(plugin, interval_ms, str(e))
            return
        for server in self.servers:
            first = self.take_seqs(len(fragments))
            for part, fragment in enumerate(fragments):
                datagram = encode_plugin_data(self.host, first + part, time_ms, interval_ms, plugin, part,
                                              len(fragments), fragment, self.key)
                if self.send(server, datagram) and self.verbose:
                    log("sent plugin_data %s part %d/%d seq %d to %s (%d bytes)" % (
                        plugin, part + 1, len(fragments), first + part, server.label, len(datagram)))

    def send_plugin_error(self, plugin, interval_ms, message):
        message = truncate_utf8(message, MAX_ERROR_MESSAGE)
        log("plugin %s failed: %s" % (plugin, message))
        for server in self.servers:
            seq = self.take_seqs()
            datagram = encode_plugin_error(self.host, seq, now_ms(), interval_ms, plugin, message, self.key)
            if self.send(server, datagram) and self.verbose:
                log("sent plugin_error %s seq %d to %s" % (plugin, seq, server.label))

    # -- resolving

    def resolve(self, server):
        try:
            infos = socket.getaddrinfo(server.host, server.port, 0, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
            if not infos:
                raise OSError("no address")
            family, _, _, _, address = infos[server.next_address % len(infos)]
            server.next_address += 1
            if server.sock is None or server.family != family:
                sock = socket.socket(family, socket.SOCK_DGRAM)
                sock.setblocking(False)
                if server.sock is not None:
                    server.sock.close()
                server.sock, server.family = sock, family
        except (OSError, UnicodeError) as e:
            if not server.resolve_failed:
                log("cannot resolve %s: %s" % (server.label, getattr(e, "strerror", None) or e))
            server.resolve_failed = True
            server.must_resolve = True
            return
        if address != server.address and (server.address is not None or self.verbose):
            log("%s is at %s" % (server.label, address[0]))
        server.address = address
        server.must_resolve = False
        server.resolve_failed = False

    # -- receiving

    def handle_datagram(self, server, data, now):
        """Handles a datagram that came in on a server's socket. Returns None when it was an ACK to one of
        our heartbeats (whose commands were then run), else why it was ignored."""
        try:
            ack = decode_ack(data, self.key)
        except Refused as e:
            return e.reason
        sent = server.outstanding.pop(ack.seq, None)
        if sent is None:
            return "UNKNOWN_SEQ"
        server.rtt_us = min(max(int(round((now - sent) * 1000000)), 0), NO_RTT - 1)
        server.unanswered = 0
        if server.answering is not True:
            log("%s is answering (rtt %.3f ms)" % (server.label, server.rtt_us / 1000.0))
        server.answering = True
        if self.verbose:
            log("ack seq %d from %s: rtt %.3f ms, %d command(s)" % (ack.seq, server.label, server.rtt_us / 1000.0,
                                                                  len(ack.commands)))
        self.run_commands(server, ack.commands, now)
        return None

    def run_commands(self, server, commands, now):
        """Runs, in order, the commands not run before (section 7); a ping answers once all are counted."""
        ping = False
        for command in commands:
            if command.id <= server.cmd_done:
                continue
            server.cmd_done = command.id
            if command.name == "ping":
                ping = True
            elif command.name == "set-interval":
                self.set_interval(command.arg, server, now)
            elif self.verbose:
                log("ignoring unknown command %d %s from %s" % (command.id, command.name, server.label))
        if ping:
            self.send_heartbeat(server, now)

    def set_interval(self, arg, server, now):
        seconds = int(arg) if arg and set(arg) <= DIGITS else 0
        if not 1 <= seconds <= MAX_INTERVAL:
            log("ignoring set-interval %r from %s: not a number of seconds from 1 to %d"
                % (arg, server.label, MAX_INTERVAL))
            return
        # A heartbeat goes out at once, announcing the new interval, so that every server's deadline
        # follows it; the schedule continues from there.
        self.next_heartbeat = now
        self.interval = float(seconds)
        log("heartbeat interval set to %d s by %s" % (seconds, server.label))


class Stop(Exception):
    """Raised by the SIGTERM and SIGINT handlers to leave the main loop."""


def _stop(signum, frame):
    raise Stop(signal.Signals(signum).name)


def run(client):
    """The main loop: heartbeats on a monotonic schedule, plugin samples, ACKs. Returns on Stop."""
    wake_r, wake_w = os.pipe()
    for fd in (wake_r, wake_w):
        os.set_blocking(fd, False)
    disk = DiskWorker(wake_w)
    cpu = CpuMonitor()
    start = time.monotonic()
    client.next_heartbeat = start
    next_plugins = client.next_heartbeat if client.plugin_interval > 0 else None
    try:
        while True:
            now = time.monotonic()
            if now >= client.next_heartbeat:
                client.heartbeat_all(now)
                client.next_heartbeat = client.next_heartbeat_after(now)
                if client.next_heartbeat <= now:    # we were suspended: no burst of heartbeats
                    client.next_heartbeat = now + client.interval
            if next_plugins is not None and now >= next_plugins:
                collect_plugins(client, cpu, disk, now)
                next_plugins += client.plugin_interval
                if next_plugins <= now:
                    next_plugins = now + client.plugin_interval
            deadline = client.next_heartbeat if next_plugins is None else min(client.next_heartbeat, next_plugins)
            wait(client, disk, wake_r, deadline - time.monotonic())
    finally:
        for server in client.servers:
            if server.sock is not None:
                server.sock.close()
        os.close(wake_r)
        os.close(wake_w)


def collect_plugins(client, cpu, disk, now):
    interval_ms = int(round(client.plugin_interval * 1000))
    for plugin, collect in (("cpu_monitor", cpu.sample), ("memory_monitor", memory_tree)):
        time_ms = now_ms()
        try:
            tree = collect()
        except Exception as e:  # a plugin's failure is reported to the server, whatever it is
            client.send_plugin_error(plugin, interval_ms, "%s: %s" % (type(e).__name__, e))
            continue
        client.send_sample(plugin, time_ms, interval_ms, tree)
    if disk.busy():
        client.send_plugin_error("disk_monitor", interval_ms, "statvfs() still running after %s s; sample skipped"
                                 % format_seconds(round(now - disk.started)))
    else:
        disk.start(now)


def wait(client, disk, wake_r, timeout):
    """Waits up to timeout seconds for ACKs and for the disk worker, handling whatever arrives."""
    by_socket = dict((s.sock, s) for s in client.servers if s.sock is not None)
    readable = select.select(list(by_socket) + [wake_r], [], [], max(0.0, timeout))[0]
    for r in readable:
        if r == wake_r:
            _drain(wake_r)
            result = disk.take()
            if result is not None:
                time_ms, tree, error = result
                interval_ms = int(round(client.plugin_interval * 1000))
                if error is None:
                    client.send_sample("disk_monitor", time_ms, interval_ms, tree)
                else:
                    client.send_plugin_error("disk_monitor", interval_ms, error)
        else:
            receive(client, by_socket[r])


def _drain(fd):
    try:
        while os.read(fd, 64):
            pass
    except OSError:
        pass


def receive(client, server):
    for _ in range(RECEIVE_BATCH):
        try:
            data, source = server.sock.recvfrom(2048)
        except OSError:
            return
        now = time.monotonic()
        reason = client.handle_datagram(server, data, now)
        if reason is not None:
            note_refusal(client, server, source[0], reason, now)


def note_refusal(client, server, source, reason, now):
    """Logs an ignored datagram: each one when verbose, else at most one line a minute per server."""
    server.refused += 1
    if client.verbose or server.refusal_logged_at is None or now - server.refusal_logged_at >= REFUSAL_LOG_INTERVAL:
        more = " (and %d more since the last such line)" % (server.refused - 1) if server.refused > 1 else ""
        hint = " (has the server this host's key?)" if reason == "BAD_MAC" else ""
        log("ignoring datagram from %s on %s's socket: %s%s%s" % (source, server.label, reason, hint, more))
        server.refusal_logged_at = now
        server.refused = 0


# ---------------------------------------------------------------- command line

USAGE = """\
usage: hbc_mini [-p PORT] [-i SECONDS] [-b] [-k KEYFILE] [-n NAME] [-m SECONDS] [-v] [-h | --help] SERVER [SERVER...]

Reports this host to Heartbeat servers (wire protocol v1, UDP): a heartbeat every interval, and cpu,
memory and disk figures every -m seconds. Each SERVER gets every datagram.

  SERVER      host name or address of a server: name, 192.0.2.1, 2001:db8::1, name:port, [2001:db8::1]:port
  -p PORT     UDP port of the servers given without one (default 50003)
  -i SECONDS  heartbeat interval, 1 to 86400, fractions allowed (default 20)
  -b          send a BOOT message instead of the first heartbeat (start it like this at boot)
  -k KEYFILE  sign every datagram with the host key in KEYFILE (base64, as 'hbd hostkey NAME' makes it)
              and accept only ACKs signed with that key
  -n NAME     host name to report (default: what gethostname() returns, as is)
  -m SECONDS  send cpu, memory and disk figures every SECONDS, 1 to 86400; 0 turns them off (default 60)
  -v          log every datagram sent and every ACK received, with its round-trip time
  -h, --help  show this help

Logs go to stderr. Exit status: 0 after SIGTERM or SIGINT, 2 for bad arguments."""

Options = collections.namedtuple("Options", "host servers interval key boot plugin_interval verbose")


class UsageError(Exception):
    pass


def parse_port(text, what):
    if not (text and set(text) <= DIGITS and 1 <= int(text) <= 65535):
        raise UsageError("%s %r is not a port number from 1 to 65535" % (what, text))
    return int(text)


def parse_seconds(text, option, allow_zero):
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not (math.isfinite(seconds) and (1 <= seconds <= MAX_INTERVAL or (allow_zero and seconds == 0))):
        raise UsageError("%s %r is not a number of seconds from %s1 to %d"
                         % (option, text, "0 or " if allow_zero else "", MAX_INTERVAL))
    return seconds


def parse_server(spec, default_port):
    """(host, port) of a SERVER argument: name, IPv4, IPv6, name:port or [IPv6]:port."""
    host, port = spec, default_port
    if spec.startswith("["):
        close = spec.find("]")
        rest = spec[close + 1:] if close > 0 else None
        if rest is None or (rest and not rest.startswith(":")):
            raise UsageError("server %r: expected [IPv6 address] or [IPv6 address]:port" % spec)
        host = spec[1:close]
        if rest:
            port = parse_port(rest[1:], "server %r: port" % spec)
    elif spec.count(":") == 1:
        host, port_text = spec.split(":")
        port = parse_port(port_text, "server %r: port" % spec)
    if not host:
        raise UsageError("server %r has no host name or address" % spec)
    return host, port


def parse_args(argv):
    """Options of a command line (without the program name). Raises UsageError; returns None for -h or --help."""
    try:
        opts, args = getopt.gnu_getopt(argv, "p:i:bk:n:m:vh", ["help"])
    except getopt.GetoptError as e:
        raise UsageError(str(e))
    port, interval, key, boot, name = DEFAULT_PORT, DEFAULT_INTERVAL, None, False, None
    plugin_interval, verbose = DEFAULT_PLUGIN_INTERVAL, False
    for opt, value in opts:
        if opt in ("-h", "--help"):
            return None
        elif opt == "-p":
            port = parse_port(value, "-p")
        elif opt == "-i":
            interval = parse_seconds(value, "-i", False)
        elif opt == "-b":
            boot = True
        elif opt == "-k":
            try:
                key = read_key_file(value)
            except ValueError as e:
                raise UsageError(str(e))
        elif opt == "-n":
            name = value
        elif opt == "-m":
            plugin_interval = parse_seconds(value, "-m", True)
        elif opt == "-v":
            verbose = True
    if not args:
        raise UsageError("no SERVER given")
    servers = [parse_server(spec, port) for spec in args]
    if name is None:
        name = socket.gethostname()
    problem = host_name_problem(name)
    if problem:
        raise UsageError("%s%s" % (problem, "" if "-n" in [o for o, _ in opts] else "; give one with -n"))
    return Options(name, servers, interval, key, boot, plugin_interval, verbose)


def main(argv=None):
    try:
        options = parse_args(sys.argv[1:] if argv is None else argv)
    except UsageError as e:
        sys.stderr.write("%s: %s (try -h)\n" % (PROG, e))
        return 2
    if options is None:
        sys.stdout.write(USAGE + "\n")
        return 0
    client = Client(options.host, options.servers, options.interval, options.key, options.boot,
                    options.plugin_interval, options.verbose)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log("reporting as %s to %s every %s s" % (client.host, ", ".join(s.label for s in client.servers),
                                              format_seconds(client.interval)))
    try:
        run(client)
    except Stop as stop:
        log("stopping (%s)" % stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
