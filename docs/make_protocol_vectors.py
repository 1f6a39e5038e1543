#!/usr/bin/env python3
"""Writes docs/protocol-vectors.txt: test vectors for the Heartbeat wire protocol, version 1.

This encoder was written from docs/PROTOCOL.md with nothing but struct, hmac and hashlib. It shares no
code with the Java codec (hb.protocol) or the mini clients (scripts/hbc_mini.py, scripts/hbc_mini.c), which
all check their own encoders and decoders against its output. Run it again only when the protocol changes:

    python3 docs/make_protocol_vectors.py > docs/protocol-vectors.txt
"""
import base64
import hashlib
import hmac
import json
import struct

KEY = bytes(range(32))            # the key most signed vectors use
OTHER_KEY = bytes(range(32, 64))  # a different host's key

HEARTBEAT, BOOT, PLUGIN_DATA, PLUGIN_ERROR, ACK = 1, 2, 3, 4, 5
TYPE_NAMES = {1: "heartbeat", 2: "boot", 3: "plugin_data", 4: "plugin_error", 5: "ack"}
NO_RTT = 0xFFFFFFFF
SEQ = 1764115200000000      # Unix time in microseconds when the sender started
T = 1764115200123           # milliseconds


def b64(key):
    return base64.b64encode(key).decode() if key else "-"


def header(mtype, signed, name_len_or_reserved):
    return b"HB" + bytes([1, mtype, 1 if signed else 0, name_len_or_reserved])


def sign(datagram, key):
    return datagram + hmac.new(key, datagram, hashlib.sha256).digest()


def client(mtype, host, seq, time_ms, interval_ms, body, key=None):
    h = host.encode("utf-8")
    d = header(mtype, key is not None, len(h)) + struct.pack(">Qq", seq, time_ms) + h
    d += struct.pack(">I", interval_ms) + body
    return sign(d, key) if key else d


def hb_body(rtt_us, cmd_done):
    return struct.pack(">II", NO_RTT if rtt_us is None else rtt_us, cmd_done)


def value(v):
    """Encodes one value of a tree. Python bool before int: bool is a subclass of int."""
    if v is True:
        return b"T"
    if v is False:
        return b"F"
    if isinstance(v, int):
        return b"i" + struct.pack(">q", v)
    if isinstance(v, float):
        return b"d" + struct.pack(">d", v)
    if isinstance(v, str):
        s = v.encode("utf-8")
        return b"s" + struct.pack(">H", len(s)) + s
    if isinstance(v, list):
        return b"l" + struct.pack(">H", len(v)) + b"".join(value(x) for x in v)
    if isinstance(v, dict):
        out = b"m" + struct.pack(">H", len(v))
        for k, x in v.items():
            kb = k.encode("utf-8")
            out += struct.pack(">H", len(kb)) + kb + value(x)
        return out
    raise TypeError(v)


def plugin_body(plugin, part, parts, fragment):
    p = plugin.encode("ascii")
    return bytes([len(p)]) + p + bytes([part, parts]) + fragment


def error_body(plugin, message):
    p = plugin.encode("ascii")
    m = message.encode("utf-8")
    return bytes([len(p)]) + p + struct.pack(">H", len(m)) + m


def ack(seq, time_ms, commands, key=None, reserved=0):
    d = header(ACK, key is not None, reserved) + struct.pack(">Qq", seq, time_ms) + bytes([len(commands)])
    for cid, name, arg in commands:
        n = name.encode("ascii")
        a = arg.encode("utf-8")
        d += struct.pack(">I", cid) + bytes([len(n)]) + n + bytes([len(a)]) + a
    return sign(d, key) if key else d


out = []


def emit(name, datagram, key=None, valid=True, reason=None, **fields):
    out.append("vector " + name)
    out.append("key " + b64(key))
    out.append("hex " + datagram.hex())
    out.append("valid " + ("1" if valid else "0"))
    if reason:
        out.append("reason " + reason)
    for k, v in fields.items():
        if k == "commands":
            for c in v:
                out.append("command %d %s %s" % c if c[2] else "command %d %s" % c[:2])
            continue
        if k == "value":
            v = json.dumps(v, separators=(",", ":"), ensure_ascii=False)
        out.append("%s %s" % (k, "-" if v is None else v))
    out.append("end")
    out.append("")


def emit_client(name, mtype, host, seq, time_ms, interval_ms, body, key=None, **extra):
    emit(name, client(mtype, host, seq, time_ms, interval_ms, body, key), key,
         type=TYPE_NAMES[mtype], host=host, seq=seq, time_ms=time_ms, interval_ms=interval_ms, **extra)


print("# Heartbeat wire protocol version 1: test vectors (docs/PROTOCOL.md, section 11).")
print("# Written by docs/make_protocol_vectors.py; do not edit by hand.")
print("# Keys: %s is bytes 0..31, %s is bytes 32..63." % (b64(KEY), b64(OTHER_KEY)))
print()

# ---- valid client messages
emit_client("heartbeat_unsigned", HEARTBEAT, "web1", SEQ, T, 10000, hb_body(1234, 0),
            rtt_us=1234, cmd_done=0)
emit_client("heartbeat_first_no_rtt", HEARTBEAT, "web1", SEQ, T, 20000, hb_body(None, 0),
            rtt_us=None, cmd_done=0)
emit_client("heartbeat_no_interval", HEARTBEAT, "db-2.example.com", SEQ + 41, T + 5, 0, hb_body(870, 3),
            rtt_us=870, cmd_done=3)
emit_client("heartbeat_signed", HEARTBEAT, "web1", SEQ + 1, T + 10000, 10000, hb_body(1500, 7), KEY,
            rtt_us=1500, cmd_done=7)
emit_client("heartbeat_utf8_host", HEARTBEAT, "höst-ünïcode", SEQ, T, 10000, hb_body(None, 0),
            rtt_us=None, cmd_done=0)
emit_client("heartbeat_longest_host", HEARTBEAT, "h" * 255, SEQ, T, 10000, hb_body(5, 0),
            rtt_us=5, cmd_done=0)
emit_client("heartbeat_large_seq", HEARTBEAT, "web1", 0xFFFFFFFFFFFFFFF0, T, 10000,
            hb_body(0xFFFFFFFE, 0xFFFFFFFF), rtt_us=0xFFFFFFFE, cmd_done=0xFFFFFFFF)
emit_client("boot_unsigned", BOOT, "web1", SEQ, T, 10000, hb_body(None, 0) + struct.pack(">q", T - 42000),
            rtt_us=None, cmd_done=0, boot_time_ms=T - 42000)
emit_client("boot_signed", BOOT, "web1", SEQ, T, 60000, hb_body(None, 0) + struct.pack(">q", 0), KEY,
            rtt_us=None, cmd_done=0, boot_time_ms=0)

CPU = {"cpu_percent": 12.5, "per_core": [10.0, 15.0], "load": {"1": 0.5, "5": 0.25, "15": 0.125}, "cores": 2}
DISK = {"partitions": {
    "/": {"total": 63350468608, "used": 26290245632, "free": 33814822912, "percent": 41.5, "fstype": "ext4",
          "readonly": False},
    "/srv/a.b": {"total": 1000000, "used": -1, "percent": 0.0, "readonly": True}}}
MEM = {"total": 25197318144, "available": 21997318144, "percent": 12.7, "swap": {}, "notes": []}
for name, plugin, tree, key in [("plugin_data_cpu", "cpu_monitor", CPU, None),
                                ("plugin_data_cpu_signed", "cpu_monitor", CPU, KEY),
                                ("plugin_data_disk", "disk_monitor", DISK, None),
                                ("plugin_data_memory_empty_containers", "memory_monitor", MEM, None)]:
    fragment = value(tree)
    emit_client(name, PLUGIN_DATA, "web1", SEQ + 2, T, 60000, plugin_body(plugin, 0, 1, fragment), key,
                plugin=plugin, part=0, parts=1, value=tree)

# A sample split into two datagrams with consecutive sequence numbers; the value is the concatenation.
SPLIT = {"interfaces": {"eth%d" % i: {"bytes_in_per_s": 1000.5 * i, "up": i % 2 == 0} for i in range(3)}}
whole = value(SPLIT)
cut = len(whole) // 2
emit_client("plugin_data_split_part0", PLUGIN_DATA, "web1", SEQ + 10, T, 60000,
            plugin_body("network_monitor", 0, 2, whole[:cut]), plugin="network_monitor", part=0, parts=2,
            fragment=whole[:cut].hex())
emit_client("plugin_data_split_part1", PLUGIN_DATA, "web1", SEQ + 11, T, 60000,
            plugin_body("network_monitor", 1, 2, whole[cut:]), plugin="network_monitor", part=1, parts=2,
            fragment=whole[cut:].hex(), sample_value=json.dumps(SPLIT, separators=(",", ":")))
emit_client("plugin_error", PLUGIN_ERROR, "web1", SEQ + 3, T, 30000,
            error_body("nagios", "check_load timed out after 10 s"), plugin="nagios",
            message="check_load timed out after 10 s")
emit_client("plugin_error_signed_utf8", PLUGIN_ERROR, "web1", SEQ + 4, T, 30000,
            error_body("disk_monitor", "statvfs(\"/mnt/données\") failed"), KEY, plugin="disk_monitor",
            message="statvfs(\"/mnt/données\") failed")

# ---- valid ACKs
emit("ack_unsigned", ack(SEQ, T + 2, []), type="ack", seq=SEQ, time_ms=T + 2, commands=[])
emit("ack_signed", ack(SEQ + 1, T + 10002, [], KEY), KEY, type="ack", seq=SEQ + 1, time_ms=T + 10002, commands=[])
cmds = [(1, "ping", ""), (2, "set-interval", "30")]
emit("ack_commands_signed", ack(SEQ + 1, T + 10002, cmds, KEY), KEY, type="ack", seq=SEQ + 1,
     time_ms=T + 10002, commands=cmds)
emit("ack_commands_unsigned", ack(SEQ, T + 2, [(7, "ping", "")]), type="ack", seq=SEQ, time_ms=T + 2,
     commands=[(7, "ping", "")])

# ---- invalid datagrams: a receiver must drop them and never answer
good = client(HEARTBEAT, "web1", SEQ, T, 10000, hb_body(1234, 0))
emit("empty", b"", valid=False, reason="TRUNCATED")
emit("truncated_header", good[:5], valid=False, reason="TRUNCATED")
emit("truncated_heartbeat", good[:-1], valid=False, reason="TRUNCATED")
emit("trailing_bytes", good + b"\x00", valid=False, reason="TRAILING_BYTES")
emit("bad_magic", b"HC" + good[2:], valid=False, reason="BAD_MAGIC")
emit("unknown_version", good[:2] + b"\x02" + good[3:], valid=False, reason="UNKNOWN_VERSION")
emit("unknown_type_0", good[:3] + b"\x00" + good[4:], valid=False, reason="UNKNOWN_TYPE")
emit("unknown_type_9", good[:3] + b"\x09" + good[4:], valid=False, reason="UNKNOWN_TYPE")
emit("bad_flags", good[:4] + b"\x02" + good[5:], valid=False, reason="BAD_FLAGS")
emit("empty_host", client(HEARTBEAT, "", SEQ, T, 10000, hb_body(1, 0)), valid=False, reason="BAD_HOST_NAME")
emit("host_with_space", client(HEARTBEAT, "web 1", SEQ, T, 10000, hb_body(1, 0)), valid=False,
     reason="BAD_HOST_NAME")
emit("host_with_slash", client(HEARTBEAT, "web/1", SEQ, T, 10000, hb_body(1, 0)), valid=False,
     reason="BAD_HOST_NAME")
emit("host_with_control", client(HEARTBEAT, "web\n1", SEQ, T, 10000, hb_body(1, 0)), valid=False,
     reason="BAD_HOST_NAME")


def raw_host(name_bytes):
    d = header(HEARTBEAT, False, len(name_bytes)) + struct.pack(">Qq", SEQ, T) + name_bytes
    return d + struct.pack(">I", 10000) + hb_body(1, 0)


emit("host_invalid_utf8", raw_host(b"web\xff"), valid=False, reason="BAD_UTF8")
emit("host_overlong_utf8", raw_host(b"web\xc0\xaf"), valid=False, reason="BAD_UTF8")
emit("host_surrogate_utf8", raw_host(b"web\xed\xa0\x80"), valid=False, reason="BAD_UTF8")
emit("host_truncated_utf8", raw_host(b"web\xc3"), valid=False, reason="BAD_UTF8")
emit("name_len_beyond_end", good[:5] + b"\x40" + good[6:], valid=False, reason="TRUNCATED")


def plugin_dg(fragment, plugin="cpu_monitor", part=0, parts=1):
    return client(PLUGIN_DATA, "web1", SEQ, T, 60000, plugin_body(plugin, part, parts, fragment))


emit("plugin_nan", plugin_dg(b"m\x00\x01\x00\x01x" + b"d" + struct.pack(">d", float("nan"))), valid=False,
     reason="NON_FINITE")
emit("plugin_infinity", plugin_dg(b"m\x00\x01\x00\x01x" + b"d" + struct.pack(">d", float("inf"))), valid=False,
     reason="NON_FINITE")
emit("plugin_negative_infinity", plugin_dg(b"m\x00\x01\x00\x01x" + b"d" + struct.pack(">d", float("-inf"))),
     valid=False, reason="NON_FINITE")
emit("plugin_bad_tag", plugin_dg(b"m\x00\x01\x00\x01xz"), valid=False, reason="BAD_VALUE")
emit("plugin_root_not_map", plugin_dg(value([1, 2])), valid=False, reason="BAD_VALUE")
emit("plugin_duplicate_key", plugin_dg(b"m\x00\x02\x00\x01xT\x00\x01xF"), valid=False, reason="BAD_VALUE")
emit("plugin_empty_key", plugin_dg(b"m\x00\x01\x00\x00T"), valid=False, reason="BAD_VALUE")
deep = {"a": 1}
for _ in range(16):
    deep = {"a": deep}
emit("plugin_too_deep", plugin_dg(value(deep)), valid=False, reason="BAD_VALUE")
ok_deep = {"a": 1}
for _ in range(14):
    ok_deep = {"a": ok_deep}
emit_client("plugin_deepest_allowed", PLUGIN_DATA, "web1", SEQ, T, 60000,
            plugin_body("cpu_monitor", 0, 1, value(ok_deep)), plugin="cpu_monitor", part=0, parts=1, value=ok_deep)
emit("plugin_value_truncated", plugin_dg(value(CPU)[:-3]), valid=False, reason="TRUNCATED")
emit("plugin_value_trailing", plugin_dg(value(CPU) + b"T"), valid=False, reason="TRAILING_BYTES")
emit("plugin_string_invalid_utf8", plugin_dg(b"m\x00\x01\x00\x01xs\x00\x02\xc3\x28"), valid=False,
     reason="BAD_UTF8")
emit("plugin_count_beyond_end", plugin_dg(b"m\xff\xff\x00\x01xT"), valid=False, reason="TRUNCATED")
emit("plugin_name_with_space", plugin_dg(value(CPU), plugin="cpu monitor"), valid=False, reason="BAD_PLUGIN_NAME")
emit("plugin_name_empty", plugin_dg(value(CPU), plugin=""), valid=False, reason="BAD_PLUGIN_NAME")
emit("plugin_parts_zero", plugin_dg(value(CPU), parts=0), valid=False, reason="BAD_FIELD")
emit("plugin_part_not_below_parts", plugin_dg(value(CPU), part=2, parts=2), valid=False, reason="BAD_FIELD")
emit("plugin_parts_65", plugin_dg(value(CPU), part=0, parts=65), valid=False, reason="BAD_FIELD")
emit("plugin_without_values", plugin_dg(b""), valid=False, reason="TRUNCATED")
emit("oversized", plugin_dg(value({"x": "y" * 1500})), valid=False, reason="OVERSIZED")
emit("error_message_too_long", client(PLUGIN_ERROR, "web1", SEQ, T, 0, error_body("nagios", "x" * 1025)),
     valid=False, reason="BAD_FIELD")
emit("ack_reserved_not_zero", ack(SEQ, T, [], reserved=1), valid=False, reason="BAD_FIELD")
emit("ack_command_id_zero", ack(SEQ, T, [(0, "ping", "")]), valid=False, reason="BAD_FIELD")
emit("ack_command_bad_name", ack(SEQ, T, [(1, "Ping!", "")]), valid=False, reason="BAD_FIELD")
emit("ack_truncated_command", ack(SEQ, T, [(1, "ping", "")])[:-2], valid=False, reason="TRUNCATED")

# ---- authentication failures: well-formed, but not acceptable with the key given
signed = client(HEARTBEAT, "web1", SEQ + 1, T + 10000, 10000, hb_body(1500, 7), KEY)
emit("signed_with_other_key", client(HEARTBEAT, "web1", SEQ + 1, T + 10000, 10000, hb_body(1500, 7), OTHER_KEY),
     KEY, valid=False, reason="BAD_MAC")
flipped = bytearray(signed)
flipped[30] ^= 0x01
emit("signed_bit_flipped", bytes(flipped), KEY, valid=False, reason="BAD_MAC")
mac_flipped = bytearray(signed)
mac_flipped[-1] ^= 0x80
emit("signed_mac_flipped", bytes(mac_flipped), KEY, valid=False, reason="BAD_MAC")
emit("unsigned_where_key_required", good, KEY, valid=False, reason="BAD_MAC")
flag_cleared = bytearray(signed)
flag_cleared[4] = 0
emit("signed_flag_cleared", bytes(flag_cleared), KEY, valid=False, reason="TRAILING_BYTES")
emit("ack_signed_other_key", ack(SEQ + 1, T + 10002, cmds, OTHER_KEY), KEY, valid=False, reason="BAD_MAC")
emit("ack_unsigned_where_key_required", ack(SEQ + 1, T + 10002, cmds), KEY, valid=False, reason="BAD_MAC")

print("\n".join(out).rstrip("\n"))
