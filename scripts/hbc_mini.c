/*
 * hbc_mini.c: a Heartbeat client in one file of C99 and POSIX, needing nothing but libc.
 *
 * It speaks the Heartbeat wire protocol, version 1 (docs/PROTOCOL.md): it sends a HEARTBEAT (or, with -b,
 * first a BOOT) to every server each interval, measures the round trip from their ACKs, runs the commands
 * the ACKs carry and reports cpu, memory and disk figures as PLUGIN_DATA. It carries its own SHA-256 and
 * HMAC-SHA256, so it needs no crypto library.
 *
 *     cc -Wall -Wextra -O2 -o hbc_mini hbc_mini.c
 *     ./hbc_mini -h
 *
 * test_hbc_mini.c includes this file with HBC_MINI_NO_MAIN defined and calls its functions directly.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1 /* glibc and musl: POSIX.1-2008 plus getloadavg(), even under -std=c99 */
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__DragonFly__) || defined(__OpenBSD__)
#define HAVE_GETMNTINFO 1
#include <sys/param.h>
#include <sys/ucred.h>
#include <sys/mount.h>
#endif
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__DragonFly__) || defined(__OpenBSD__)
#define HAVE_KERN_BOOTTIME 1 /* a struct timeval there; NetBSD's is a struct timespec */
#include <sys/time.h>
#include <sys/sysctl.h>
#endif

#if defined(__GNUC__) || defined(__clang__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#define PROG "hbc_mini"
#define DEFAULT_PORT "50003"
#define DEFAULT_INTERVAL_MS 20000
#define DEFAULT_PLUGIN_INTERVAL_MS 60000
#define MAX_INTERVAL_S 86400

enum { HEARTBEAT = 1, BOOT = 2, PLUGIN_DATA = 3, PLUGIN_ERROR = 4, ACK = 5 };
#define FLAG_SIGNED 0x01
#define MAX_DATAGRAM 1452
#define MAC_LEN 32
#define KEY_LEN 32
#define NO_RTT 0xFFFFFFFFu
#define MAX_HOST_NAME 255
#define MAX_PLUGIN_NAME 64
#define MAX_PARTS 64
#define MAX_DEPTH 16
#define MAX_ERROR_MESSAGE 1024
#define MAX_COMMAND_NAME 32
#define CLIENT_HEADER 22 /* bytes before the host name */
#define PLUGIN_HEADER 7  /* interval_ms, plugin_len, part and parts (plus the plugin name) */
#define MAX_SAMPLE ((size_t)MAX_PARTS * MAX_DATAGRAM)

#define OUTSTANDING 8      /* heartbeat seqs remembered per server for matching late ACKs */
#define SILENT_HEARTBEATS 3 /* heartbeats in a row without an ACK: the server is silent, resolve its name again */
#define RECEIVE_BATCH 64   /* datagrams read per socket per wake-up, so a flood cannot starve the timers */
#define REFUSAL_LOG_INTERVAL_S 60 /* seconds between log lines about ignored datagrams, per server */
#define NS_PER_MS INT64_C(1000000)

/* ------------------------------------------------------------------ SHA-256 (FIPS 180-2) and HMAC (RFC 2104) */

struct sha256 {
    uint32_t h[8];
    uint64_t length; /* bytes hashed so far */
    unsigned char block[64];
    size_t used;
};

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static uint32_t load_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64], v[8], t1, t2;
    int i;

    for (i = 0; i < 16; i++)
        w[i] = load_be32(p + 4 * i);
    for (i = 16; i < 64; i++) {
        uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, h, sizeof v);
    for (i = 0; i < 64; i++) {
        t1 = v[7] + (ror32(v[4], 6) ^ ror32(v[4], 11) ^ ror32(v[4], 25)) + ((v[4] & v[5]) ^ (~v[4] & v[6])) +
             sha256_k[i] + w[i];
        t2 = (ror32(v[0], 2) ^ ror32(v[0], 13) ^ ror32(v[0], 22)) + ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
        memmove(v + 1, v, 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (i = 0; i < 8; i++)
        h[i] += v[i];
}

static void sha256_init(struct sha256 *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->length = 0;
    s->used = 0;
}

static void sha256_update(struct sha256 *s, const void *data, size_t n)
{
    const unsigned char *p = data;

    s->length += n;
    while (n > 0) {
        size_t take = 64 - s->used < n ? 64 - s->used : n;
        memcpy(s->block + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
        if (s->used == 64) {
            sha256_block(s->h, s->block);
            s->used = 0;
        }
    }
}

static void sha256_final(struct sha256 *s, unsigned char out[32])
{
    uint64_t bits = s->length * 8;
    unsigned char pad[72] = {0x80};
    size_t padding = (s->used < 56 ? 56 : 120) - s->used, i;

    for (i = 0; i < 8; i++)
        pad[padding + i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(s, pad, padding + 8);
    for (i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(s->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)s->h[i];
    }
}

static void sha256(const void *data, size_t n, unsigned char out[32])
{
    struct sha256 s;

    sha256_init(&s);
    sha256_update(&s, data, n);
    sha256_final(&s, out);
}

static void hmac_sha256(const unsigned char *key, size_t key_len, const unsigned char *msg, size_t n,
                        unsigned char out[32])
{
    unsigned char k[64] = {0}, pad[64], inner[32];
    struct sha256 s;
    int i;

    if (key_len > 64)
        sha256(key, key_len, k);
    else
        memcpy(k, key, key_len);
    for (i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x36;
    sha256_init(&s);
    sha256_update(&s, pad, 64);
    sha256_update(&s, msg, n);
    sha256_final(&s, inner);
    for (i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x5c;
    sha256_init(&s);
    sha256_update(&s, pad, 64);
    sha256_update(&s, inner, 32);
    sha256_final(&s, out);
}

/* Compares two MACs in a time that does not depend on where they differ. */
static int same_mac(const unsigned char *a, const unsigned char *b)
{
    unsigned char diff = 0;
    int i;

    for (i = 0; i < MAC_LEN; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* ------------------------------------------------------------------ names, UTF-8 and keys */

/* Decodes the code point at s (n bytes left) into *cp; returns its length, or 0 where the UTF-8 is invalid
 * (overlong forms, surrogates, code points above U+10FFFF and truncated sequences included). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t v, min;
    size_t len, i;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2, v = s[0] & 0x1Fu, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, v = s[0] & 0x0Fu, min = 0x800;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4, v = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static int utf8_valid(const unsigned char *s, size_t n)
{
    uint32_t cp;
    size_t i, len;

    for (i = 0; i < n; i += len)
        if ((len = utf8_next(s + i, n - i, &cp)) == 0)
            return 0;
    return 1;
}

/* Unicode space separators, line and paragraph separators: the white space section 4 forbids, besides
 * the ASCII white space that is already a control character. */
static int is_white_space(uint32_t cp)
{
    return cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* What makes name unusable as a host name (PROTOCOL.md section 4), or NULL. */
static const char *host_name_problem(const char *name)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t n = strlen(name), i, len;
    uint32_t cp;

    if (n == 0)
        return "host name is empty";
    if (n > MAX_HOST_NAME)
        return "host name is longer than 255 bytes";
    for (i = 0; i < n; i += len) {
        if ((len = utf8_next(s + i, n - i, &cp)) == 0)
            return "host name is not valid UTF-8";
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
            return "host name contains a control character";
        if (is_white_space(cp))
            return "host name contains white space";
        if (cp == '/')
            return "host name contains '/'";
    }
    return NULL;
}

static int plugin_name_valid(const char *plugin)
{
    size_t n = strlen(plugin), i;

    if (n == 0 || n > MAX_PLUGIN_NAME)
        return 0;
    for (i = 0; i < n; i++) {
        char c = plugin[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-'))
            return 0;
    }
    return 1;
}

static int command_name_valid(const unsigned char *name, size_t n)
{
    size_t i;

    if (n == 0 || n > MAX_COMMAND_NAME)
        return 0;
    for (i = 0; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '-'))
            return 0;
    return 1;
}

static int base64_value(int c)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(alphabet, c) : NULL;

    return p ? (int)(p - alphabet) : -1;
}

/* Parses a key's text form: standard base64 with padding of exactly 32 bytes (44 characters). */
static int parse_key(const char *text, unsigned char key[KEY_LEN])
{
    size_t i, out = 0;
    uint32_t acc = 0;

    if (strlen(text) != 44 || text[43] != '=' || text[42] == '=')
        return -1;
    for (i = 0; i < 43; i++) {
        int v = base64_value((unsigned char)text[i]);
        if (v < 0)
            return -1;
        acc = acc << 6 | (uint32_t)v;
        if (i % 4 == 3) {
            key[out++] = (unsigned char)(acc >> 16);
            key[out++] = (unsigned char)(acc >> 8);
            key[out++] = (unsigned char)acc;
            acc = 0;
        }
    }
    key[out++] = (unsigned char)(acc >> 10); /* the last group: 3 characters, 2 bytes */
    key[out] = (unsigned char)(acc >> 2);
    return 0;
}

static char *strip(char *s)
{
    char *end = s + strlen(s);

    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
        *--end = '\0';
    return s;
}

/* Reads a key file: its first non-empty line that does not start with '#'. On error, says why in err. */
static int read_key_file(const char *path, unsigned char key[KEY_LEN], char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    char *line = NULL, *s = NULL;
    size_t cap = 0;
    int rc = -1;

    if (f == NULL) {
        snprintf(err, errlen, "cannot read key file %s: %s", path, strerror(errno));
        return -1;
    }
    while (getline(&line, &cap, f) >= 0) {
        s = strip(line);
        if (*s != '\0' && *s != '#')
            break;
        s = NULL;
    }
    if (s == NULL)
        snprintf(err, errlen, "%s: no key in file", path);
    else if (parse_key(s, key) != 0)
        snprintf(err, errlen, "%s: a host key must be 32 bytes in base64 (44 characters)", path);
    else
        rc = 0;
    free(line);
    fclose(f);
    return rc;
}

/* ------------------------------------------------------------------ byte buffers */

/* A byte buffer that never grows beyond max: either caller memory (fixed) or malloc'd, growing on demand.
 * The first failure is kept in error and every later write is ignored. */
struct buf {
    unsigned char *p;
    size_t len, cap, max;
    int owned;
    const char *error;
};

static const char buf_too_large[] = "too large";

static void buf_fixed(struct buf *b, unsigned char *mem, size_t size)
{
    b->p = mem, b->len = 0, b->cap = size, b->max = size, b->owned = 0, b->error = NULL;
}

static void buf_dynamic(struct buf *b, size_t max)
{
    b->p = NULL, b->len = 0, b->cap = 0, b->max = max, b->owned = 1, b->error = NULL;
}

static void buf_free(struct buf *b)
{
    if (b->owned)
        free(b->p);
    b->p = NULL, b->len = 0, b->cap = 0;
}

static int buf_room(struct buf *b, size_t n)
{
    if (b->error != NULL)
        return 0;
    if (n > b->max - b->len) {
        b->error = buf_too_large;
        return 0;
    }
    if (n > b->cap - b->len) {
        size_t cap = b->cap < 256 ? 256 : b->cap;
        unsigned char *p;
        while (cap - b->len < n)
            cap = cap > b->max / 2 ? b->max : cap * 2;
        if ((p = realloc(b->p, cap)) == NULL) {
            b->error = "out of memory";
            return 0;
        }
        b->p = p, b->cap = cap;
    }
    return 1;
}

static void put(struct buf *b, const void *data, size_t n)
{
    if (n > 0 && buf_room(b, n)) {
        memcpy(b->p + b->len, data, n);
        b->len += n;
    }
}

static void put_be(struct buf *b, uint64_t v, int bytes)
{
    unsigned char tmp[8];
    int i;

    for (i = 0; i < bytes; i++)
        tmp[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
    put(b, tmp, (size_t)bytes);
}

static void put_u8(struct buf *b, unsigned v)
{
    put_be(b, v, 1);
}

/* ------------------------------------------------------------------ value trees (section 6) */

/* Encodes a value tree as it is built: tv_map() / tv_list() open a container, tv_end() closes it, and in a
 * map every value follows its tv_key(). Counts are patched in when a container closes. The first misuse
 * or impossible value (a non-finite number, nesting deeper than 16...) is kept in error; the encoding is
 * then void, so no invalid tree is ever sent. Callers keep the keys of one map unique. */
struct tree {
    struct buf b;
    int depth;
    size_t count_at[MAX_DEPTH];
    unsigned long count[MAX_DEPTH];
    int is_map[MAX_DEPTH];
    int want_value; /* a key was written; its value comes next */
    int done;       /* the root map is closed */
    const char *error;
};

static void tree_init(struct tree *t)
{
    memset(t, 0, sizeof *t);
    buf_dynamic(&t->b, MAX_SAMPLE);
}

static void tree_free(struct tree *t)
{
    buf_free(&t->b);
}

static void tree_fail(struct tree *t, const char *error)
{
    if (t->error == NULL)
        t->error = error;
}

/* Why the tree cannot be sent, or NULL when it is a complete, valid encoding. */
static const char *tree_error(const struct tree *t)
{
    if (t->error != NULL)
        return t->error;
    if (t->b.error != NULL)
        return t->b.error == buf_too_large ? "value tree larger than 64 datagrams" : t->b.error;
    return t->done ? NULL : "value tree not closed";
}

static int tree_count(struct tree *t)
{
    if (++t->count[t->depth - 1] > 0xFFFF) {
        tree_fail(t, "more than 65535 elements in a list or map");
        return 0;
    }
    return 1;
}

/* Checks that a value may be written here, and counts it. */
static int tree_value(struct tree *t)
{
    if (t->error != NULL)
        return 0;
    if (t->depth == 0) {
        tree_fail(t, t->done ? "value after the root map" : "the root of a value tree must be a map");
        return 0;
    }
    if (t->is_map[t->depth - 1]) {
        if (!t->want_value) {
            tree_fail(t, "map value without a key");
            return 0;
        }
        t->want_value = 0;
        return 1;
    }
    return tree_count(t);
}

static void put_string(struct tree *t, const char *s)
{
    size_t n = strlen(s);

    if (n > 0xFFFF || !utf8_valid((const unsigned char *)s, n)) {
        tree_fail(t, n > 0xFFFF ? "string longer than 65535 bytes" : "string is not valid UTF-8");
        return;
    }
    put_be(&t->b, n, 2);
    put(&t->b, s, n);
}

static void tv_key(struct tree *t, const char *key)
{
    if (t->error != NULL)
        return;
    if (t->depth == 0 || !t->is_map[t->depth - 1] || t->want_value) {
        tree_fail(t, "map key out of place");
        return;
    }
    if (key[0] == '\0') {
        tree_fail(t, "empty map key");
        return;
    }
    if (tree_count(t)) {
        put_string(t, key);
        t->want_value = 1;
    }
}

static void tree_open(struct tree *t, char tag)
{
    if (t->depth == 0 && !t->done && t->b.len == 0 && tag == 'm' && t->error == NULL) {
        /* the root map */
    } else if (!tree_value(t)) {
        return;
    }
    if (t->depth == MAX_DEPTH) {
        tree_fail(t, "value tree nests deeper than 16");
        return;
    }
    put_u8(&t->b, (unsigned char)tag);
    t->count_at[t->depth] = t->b.len;
    t->count[t->depth] = 0;
    t->is_map[t->depth] = tag == 'm';
    t->depth++;
    put_be(&t->b, 0, 2);
}

static void tv_map(struct tree *t)
{
    tree_open(t, 'm');
}

static void tv_list(struct tree *t)
{
    tree_open(t, 'l');
}

static void tv_end(struct tree *t)
{
    size_t at;

    if (t->error != NULL)
        return;
    if (t->depth == 0 || t->want_value) {
        tree_fail(t, t->depth == 0 ? "tv_end without an open list or map" : "map key without a value");
        return;
    }
    t->depth--;
    at = t->count_at[t->depth];
    if (t->b.error == NULL) {
        t->b.p[at] = (unsigned char)(t->count[t->depth] >> 8);
        t->b.p[at + 1] = (unsigned char)t->count[t->depth];
    }
    t->done = t->depth == 0;
}

static void tv_int(struct tree *t, int64_t v)
{
    if (tree_value(t)) {
        put_u8(&t->b, 'i');
        put_be(&t->b, (uint64_t)v, 8);
    }
}

static void tv_double(struct tree *t, double v)
{
    uint64_t bits;

    if (!isfinite(v)) {
        tree_fail(t, "non-finite number");
        return;
    }
    if (tree_value(t)) {
        memcpy(&bits, &v, sizeof bits); /* IEEE 754 binary64 (C99 Annex F) in host byte order */
        put_u8(&t->b, 'd');
        put_be(&t->b, bits, 8);
    }
}

static void tv_bool(struct tree *t, int v)
{
    if (tree_value(t))
        put_u8(&t->b, v ? 'T' : 'F');
}

static void tv_str(struct tree *t, const char *s)
{
    if (tree_value(t)) {
        put_u8(&t->b, 's');
        put_string(t, s);
    }
}

/* ------------------------------------------------------------------ client datagrams (section 4) */

/* The fields every client message starts with; key NULL: unsigned. */
struct head {
    const char *host;
    uint64_t seq;
    int64_t time_ms;
    uint32_t interval_ms;
    const unsigned char *key;
};

static void put_head(struct buf *b, int type, const struct head *h)
{
    size_t n = strlen(h->host);

    put(b, "HB", 2);
    put_u8(b, 1);
    put_u8(b, (unsigned)type);
    put_u8(b, h->key != NULL ? FLAG_SIGNED : 0);
    put_u8(b, (unsigned)n);
    put_be(b, h->seq, 8);
    put_be(b, (uint64_t)h->time_ms, 8);
    put(b, h->host, n);
    put_be(b, h->interval_ms, 4);
}

/* Appends the MAC when signing; returns the datagram's length, or 0 when it did not fit. */
static size_t finish(struct buf *b, const unsigned char *key)
{
    unsigned char mac[MAC_LEN];

    if (key != NULL && b->error == NULL) {
        hmac_sha256(key, KEY_LEN, b->p, b->len, mac);
        put(b, mac, MAC_LEN);
    }
    return b->error != NULL ? 0 : b->len;
}

/* A HEARTBEAT, or a BOOT when boot is set; out holds MAX_DATAGRAM bytes. Returns its length, 0 if invalid. */
static size_t encode_heartbeat(unsigned char *out, const struct head *h, uint32_t rtt_us, uint32_t cmd_done,
                               int boot, int64_t boot_time_ms)
{
    struct buf b;

    if (host_name_problem(h->host) != NULL)
        return 0;
    buf_fixed(&b, out, MAX_DATAGRAM);
    put_head(&b, boot ? BOOT : HEARTBEAT, h);
    put_be(&b, rtt_us, 4);
    put_be(&b, cmd_done, 4);
    if (boot)
        put_be(&b, (uint64_t)boot_time_ms, 8);
    return finish(&b, h->key);
}

static size_t encode_plugin_data(unsigned char *out, const struct head *h, const char *plugin, unsigned part,
                                 unsigned parts, const unsigned char *fragment, size_t len)
{
    struct buf b;

    if (host_name_problem(h->host) != NULL || !plugin_name_valid(plugin) || parts < 1 || parts > MAX_PARTS ||
        part >= parts || len == 0)
        return 0;
    buf_fixed(&b, out, MAX_DATAGRAM);
    put_head(&b, PLUGIN_DATA, h);
    put_u8(&b, (unsigned)strlen(plugin));
    put(&b, plugin, strlen(plugin));
    put_u8(&b, part);
    put_u8(&b, parts);
    put(&b, fragment, len);
    if (h->key != NULL && b.len > MAX_DATAGRAM - MAC_LEN)
        return 0;
    return finish(&b, h->key);
}

static size_t encode_plugin_error(unsigned char *out, const struct head *h, const char *plugin, const char *message)
{
    struct buf b;
    size_t n = strlen(message);

    if (host_name_problem(h->host) != NULL || !plugin_name_valid(plugin) || n > MAX_ERROR_MESSAGE ||
        !utf8_valid((const unsigned char *)message, n))
        return 0;
    buf_fixed(&b, out, MAX_DATAGRAM);
    put_head(&b, PLUGIN_ERROR, h);
    put_u8(&b, (unsigned)strlen(plugin));
    put(&b, plugin, strlen(plugin));
    put_be(&b, n, 2);
    put(&b, message, n);
    if (h->key != NULL && b.len > MAX_DATAGRAM - MAC_LEN)
        return 0;
    return finish(&b, h->key);
}

/* How many bytes of an encoded tree one PLUGIN_DATA datagram of this host and plugin carries. */
static size_t fragment_room(const char *host, const char *plugin, int signed_)
{
    return MAX_DATAGRAM - CLIENT_HEADER - strlen(host) - PLUGIN_HEADER - strlen(plugin) - (signed_ ? MAC_LEN : 0);
}

/* The length of the longest prefix of s that has at most limit bytes and does not cut a character. */
static size_t utf8_prefix(const char *s, size_t limit)
{
    size_t n = strlen(s);

    if (n <= limit)
        return n;
    while (limit > 0 && ((unsigned char)s[limit] & 0xC0) == 0x80)
        limit--;
    return limit;
}

/* ------------------------------------------------------------------ ACKs (section 5) */

enum refusal {
    ACCEPTED, TRUNCATED, OVERSIZED, BAD_MAGIC, UNKNOWN_VERSION, UNKNOWN_TYPE, BAD_FLAGS, BAD_FIELD, BAD_UTF8,
    TRAILING_BYTES, BAD_MAC, NOT_AN_ACK, UNKNOWN_SEQ
};

static const char *const refusal_names[] = {
    "ACCEPTED", "TRUNCATED", "OVERSIZED", "BAD_MAGIC", "UNKNOWN_VERSION", "UNKNOWN_TYPE", "BAD_FLAGS", "BAD_FIELD",
    "BAD_UTF8", "TRAILING_BYTES", "BAD_MAC", "NOT_AN_ACK", "UNKNOWN_SEQ"};

/* A command points into the datagram it was decoded from. */
struct command {
    uint32_t id;
    const unsigned char *name, *arg;
    size_t name_len, arg_len;
};

struct ack {
    uint64_t seq;
    int64_t time_ms;
    unsigned count;
    struct command cmd[255];
};

/* Bounds-checked big-endian reads; a read past the end sets truncated and yields 0 or NULL. */
struct reader {
    const unsigned char *p;
    size_t pos, end;
    int truncated;
};

static const unsigned char *read_bytes(struct reader *r, size_t n)
{
    const unsigned char *p = r->p + r->pos;

    if (r->truncated || n > r->end - r->pos) {
        r->truncated = 1;
        return NULL;
    }
    r->pos += n;
    return p;
}

static uint64_t read_be(struct reader *r, size_t n)
{
    const unsigned char *p = read_bytes(r, n);
    uint64_t v = 0;
    size_t i;

    for (i = 0; p != NULL && i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Two's complement without implementation-defined conversions. */
static int64_t to_i64(uint64_t u)
{
    return u <= INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

/* Decodes an ACK into *a; returns ACCEPTED or why the datagram must be ignored. With a key, only a signed
 * ACK whose MAC verifies is accepted; without one, a signed ACK's MAC cannot be checked and is skipped. */
static enum refusal decode_ack(const unsigned char *d, size_t n, const unsigned char *key, struct ack *a)
{
    struct reader r = {d, 5, n, 0};
    unsigned char mac[MAC_LEN];
    unsigned i, reserved;
    int signed_;

    if (n > MAX_DATAGRAM)
        return OVERSIZED;
    if (n < 6)
        return TRUNCATED;
    if (d[0] != 'H' || d[1] != 'B')
        return BAD_MAGIC;
    if (d[2] != 1)
        return UNKNOWN_VERSION;
    if (d[3] < HEARTBEAT || d[3] > ACK)
        return UNKNOWN_TYPE;
    if (d[3] != ACK)
        return NOT_AN_ACK;
    if (d[4] & ~FLAG_SIGNED)
        return BAD_FLAGS;
    signed_ = d[4] & FLAG_SIGNED;
    if (signed_ && n < 5 + MAC_LEN)
        return key != NULL ? BAD_MAC : TRUNCATED;
    if (signed_)
        r.end = n - MAC_LEN;
    if (key != NULL) {
        if (!signed_)
            return BAD_MAC;
        hmac_sha256(key, KEY_LEN, d, r.end, mac);
        if (!same_mac(mac, d + r.end))
            return BAD_MAC;
    }
    reserved = (unsigned)read_be(&r, 1);
    a->seq = read_be(&r, 8);
    a->time_ms = to_i64(read_be(&r, 8));
    a->count = (unsigned)read_be(&r, 1);
    if (r.truncated)
        return TRUNCATED;
    if (reserved != 0)
        return BAD_FIELD;
    for (i = 0; i < a->count; i++) {
        struct command *c = &a->cmd[i];
        c->id = (uint32_t)read_be(&r, 4);
        c->name_len = (size_t)read_be(&r, 1);
        c->name = read_bytes(&r, c->name_len);
        c->arg_len = (size_t)read_be(&r, 1);
        c->arg = read_bytes(&r, c->arg_len);
        if (r.truncated)
            return TRUNCATED;
        if (c->id == 0 || !command_name_valid(c->name, c->name_len))
            return BAD_FIELD;
        if (!utf8_valid(c->arg, c->arg_len))
            return BAD_UTF8;
    }
    return r.pos == r.end ? ACCEPTED : TRAILING_BYTES;
}

/* ------------------------------------------------------------------ clocks and logging */

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;

    if (clock_gettime(id, &ts) != 0)
        return 0;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t mono_ns(void)
{
    return clock_ns(CLOCK_MONOTONIC);
}

static int64_t now_ms(void)
{
    return clock_ns(CLOCK_REALTIME) / NS_PER_MS;
}

static FILE *log_stream; /* NULL: stderr */

static void PRINTF_LIKE(1, 2) log_msg(const char *fmt, ...)
{
    char stamp[32] = "-", line[1024];
    time_t t = time(NULL);
    struct tm tm;
    va_list ap;

    if (localtime_r(&t, &tm) != NULL && strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm) == 0)
        strcpy(stamp, "-");
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(log_stream != NULL ? log_stream : stderr, "%s " PROG ": %s\n", stamp, line);
}

/* ------------------------------------------------------------------ the client (section 10) */

struct sent {
    uint64_t seq;
    int64_t at; /* monotonic ns */
    int waiting;
};

/* One configured server: where datagrams go, and what its answers told us. */
struct server {
    char *host, *port, *label;
    int fd, family;
    struct sockaddr_storage addr;
    socklen_t addr_len;          /* 0: no address yet */
    unsigned next_address;       /* each re-resolution tries the next of the name's addresses */
    int must_resolve, resolve_failed, send_failed;
    struct sent sent[OUTSTANDING];
    unsigned sent_next;
    uint32_t rtt_us;
    unsigned long unanswered;    /* heartbeats sent since the last accepted ACK */
    int answering;               /* -1 not known yet, 0 silent, 1 answering */
    unsigned long refused;       /* datagrams ignored since the last log line about them */
    int64_t refusal_logged_at;   /* monotonic ns; 0: never */
    int boot_pending;
    uint32_t cmd_done;           /* command ids are per server (section 7) */
};

struct client;
typedef int (*send_fn)(struct client *c, struct server *s, const unsigned char *d, size_t n);

struct client {
    char host[MAX_HOST_NAME + 1];
    struct server *servers;
    size_t nservers;
    int64_t interval_ms, plugin_interval_ms;
    unsigned char key_bytes[KEY_LEN];
    const unsigned char *key; /* key_bytes when signing, else NULL */
    int boot, verbose;
    uint64_t seq;
    int64_t next_heartbeat; /* monotonic ns; 0: not scheduled yet */
    unsigned long heartbeats_sent; /* rounds of heartbeats to all servers */
    send_fn send;
};

static int send_udp(struct client *c, struct server *s, const unsigned char *d, size_t n);

static void client_init(struct client *c)
{
    memset(c, 0, sizeof *c);
    c->interval_ms = DEFAULT_INTERVAL_MS;
    c->plugin_interval_ms = DEFAULT_PLUGIN_INTERVAL_MS;
    c->seq = (uint64_t)(clock_ns(CLOCK_REALTIME) / 1000); /* section 8.3: Unix time in microseconds */
    c->send = send_udp;
}

static void client_free(struct client *c)
{
    size_t i;

    for (i = 0; i < c->nservers; i++) {
        if (c->servers[i].fd >= 0)
            close(c->servers[i].fd);
        free(c->servers[i].host);
        free(c->servers[i].port);
        free(c->servers[i].label);
    }
    free(c->servers);
    c->servers = NULL;
    c->nservers = 0;
}

static char *dup_string(const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static int add_server(struct client *c, const char *host, size_t host_len, const char *port)
{
    struct server *servers = realloc(c->servers, (c->nservers + 1) * sizeof *servers);
    struct server *s;
    size_t label_len = host_len + strlen(port) + 4;
    int v6 = memchr(host, ':', host_len) != NULL;

    if (servers == NULL)
        return -1;
    c->servers = servers;
    s = &servers[c->nservers];
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->must_resolve = 1;
    s->rtt_us = NO_RTT;
    s->answering = -1;
    s->boot_pending = c->boot;
    s->host = dup_string(host, host_len);
    s->port = dup_string(port, strlen(port));
    s->label = malloc(label_len);
    c->nservers++;
    if (s->host == NULL || s->port == NULL || s->label == NULL)
        return -1;
    snprintf(s->label, label_len, v6 ? "[%s]:%s" : "%s:%s", s->host, port);
    return 0;
}

static uint64_t take_seqs(struct client *c, unsigned count)
{
    uint64_t first = c->seq;

    c->seq += count;
    return first;
}

static void remember(struct server *s, uint64_t seq, int64_t now)
{
    struct sent *e = &s->sent[s->sent_next++ % OUTSTANDING];

    e->seq = seq, e->at = now, e->waiting = 1;
}

static int send_udp(struct client *c, struct server *s, const unsigned char *d, size_t n)
{
    (void)c;
    if (s->addr_len == 0)
        return -1;
    if (sendto(s->fd, d, n, 0, (const struct sockaddr *)&s->addr, s->addr_len) < 0) {
        if (!s->send_failed)
            log_msg("sending to %s failed: %s", s->label, strerror(errno));
        s->send_failed = 1;
        s->must_resolve = 1;
        return -1;
    }
    if (s->send_failed)
        log_msg("sending to %s works again", s->label);
    s->send_failed = 0;
    return 0;
}

static int64_t boot_time_ms(void)
{
    FILE *f = fopen("/proc/uptime", "r");
    double up = -1;
#ifdef HAVE_KERN_BOOTTIME
    int mib[2] = {CTL_KERN, KERN_BOOTTIME};
    struct timeval tv;
    size_t len = sizeof tv;
#endif

    if (f != NULL) {
        if (fscanf(f, "%lf", &up) != 1)
            up = -1;
        fclose(f);
        if (up >= 0 && up < 1e12)
            return now_ms() - (int64_t)(up * 1000.0);
    }
#ifdef HAVE_KERN_BOOTTIME
    if (sysctl(mib, 2, &tv, &len, NULL, 0) == 0 && len == sizeof tv)
        return (int64_t)tv.tv_sec * 1000 + (int64_t)tv.tv_usec / 1000;
#endif
    return 0;
}

static void send_heartbeat(struct client *c, struct server *s, int64_t now)
{
    unsigned char d[MAX_DATAGRAM];
    int boot = s->boot_pending;
    struct head h = {c->host, take_seqs(c, 1), now_ms(), (uint32_t)c->interval_ms, c->key};
    size_t n = encode_heartbeat(d, &h, s->rtt_us, s->cmd_done, boot, boot ? boot_time_ms() : 0);

    remember(s, h.seq, now);
    s->unanswered++;
    if (n > 0 && c->send(c, s, d, n) == 0) {
        s->boot_pending = 0;
        if (c->verbose)
            log_msg("sent %s seq %llu to %s (%zu bytes)", boot ? "boot" : "heartbeat", (unsigned long long)h.seq,
                    s->label, n);
    }
}

static void send_plugin_error(struct client *c, const char *plugin, const char *message)
{
    unsigned char d[MAX_DATAGRAM];
    char text[MAX_ERROR_MESSAGE + 1];
    size_t i, n = utf8_prefix(message, MAX_ERROR_MESSAGE);

    memcpy(text, message, n);
    text[n] = '\0';
    log_msg("plugin %s failed: %s", plugin, text);
    for (i = 0; i < c->nservers; i++) {
        struct head h = {c->host, take_seqs(c, 1), now_ms(), (uint32_t)c->plugin_interval_ms, c->key};
        size_t len = encode_plugin_error(d, &h, plugin, text);
        if (len > 0 && c->send(c, &c->servers[i], d, len) == 0 && c->verbose)
            log_msg("sent plugin_error %s seq %llu to %s", plugin, (unsigned long long)h.seq, c->servers[i].label);
    }
}

/* Sends an encoded value tree to every server, split as section 6.3 says when it must be. */
static void send_sample(struct client *c, const char *plugin, int64_t time_ms, const unsigned char *tree, size_t len)
{
    unsigned char d[MAX_DATAGRAM];
    size_t room = fragment_room(c->host, plugin, c->key != NULL), i;
    unsigned parts = (unsigned)((len + room - 1) / room), k;

    if (parts > MAX_PARTS) {
        send_plugin_error(c, plugin, "value tree larger than 64 datagrams");
        return;
    }
    for (i = 0; i < c->nservers; i++) {
        uint64_t first = take_seqs(c, parts);
        for (k = 0; k < parts; k++) {
            size_t at = k * room, take = len - at < room ? len - at : room;
            struct head h = {c->host, first + k, time_ms, (uint32_t)c->plugin_interval_ms, c->key};
            size_t n = encode_plugin_data(d, &h, plugin, k, parts, tree + at, take);
            if (n > 0 && c->send(c, &c->servers[i], d, n) == 0 && c->verbose)
                log_msg("sent plugin_data %s part %u/%u seq %llu to %s (%zu bytes)", plugin, k + 1, parts,
                        (unsigned long long)h.seq, c->servers[i].label, n);
        }
    }
}

/* Sends a collected tree, or a PLUGIN_ERROR when collecting or encoding it failed. */
static void send_tree(struct client *c, const char *plugin, int64_t time_ms, struct tree *t, const char *error)
{
    if (error == NULL)
        error = tree_error(t);
    if (error != NULL)
        send_plugin_error(c, plugin, error);
    else
        send_sample(c, plugin, time_ms, t->b.p, t->b.len);
}

static int set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
        return -1;
    return 0;
}

static void format_address(const struct sockaddr *sa, socklen_t len, char *out, size_t size)
{
    if (getnameinfo(sa, len, out, (socklen_t)size, NULL, 0, NI_NUMERICHOST) != 0)
        snprintf(out, size, "?");
}

/* Opens a socket for the family if the server has none of it yet. */
static int server_socket(struct server *s, int family)
{
    int fd;

    if (s->fd >= 0 && s->family == family)
        return 0;
    if ((fd = socket(family, SOCK_DGRAM, 0)) < 0)
        return -1;
    if (set_nonblocking(fd) != 0) {
        close(fd);
        return -1;
    }
    if (s->fd >= 0)
        close(s->fd);
    s->fd = fd, s->family = family;
    return 0;
}

static void resolve(struct client *c, struct server *s)
{
    struct addrinfo hints, *list = NULL, *ai;
    unsigned count = 0, pick;
    char text[64];
    int rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV;
    s->must_resolve = 1;
    if ((rc = getaddrinfo(s->host, s->port, &hints, &list)) != 0 || list == NULL) {
        if (!s->resolve_failed)
            log_msg("cannot resolve %s: %s", s->label,
                    rc == 0 ? "no address" : rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
        s->resolve_failed = 1;
        return;
    }
    for (ai = list; ai != NULL; ai = ai->ai_next)
        count++;
    for (ai = list, pick = s->next_address++ % count; pick > 0; pick--)
        ai = ai->ai_next;
    if (ai->ai_addrlen > sizeof s->addr || server_socket(s, ai->ai_family) != 0) {
        log_msg("cannot open a socket for %s: %s", s->label, strerror(errno));
    } else {
        if (s->addr_len != ai->ai_addrlen || memcmp(&s->addr, ai->ai_addr, ai->ai_addrlen) != 0) {
            format_address(ai->ai_addr, ai->ai_addrlen, text, sizeof text);
            if (s->addr_len != 0 || c->verbose)
                log_msg("%s is at %s", s->label, text);
        }
        memcpy(&s->addr, ai->ai_addr, ai->ai_addrlen);
        s->addr_len = ai->ai_addrlen;
        s->must_resolve = 0;
        s->resolve_failed = 0;
    }
    freeaddrinfo(list);
}

static void heartbeat_all(struct client *c, int64_t now)
{
    int resolved = 0;
    size_t i;

    for (i = 0; i < c->nservers; i++) {
        struct server *s = &c->servers[i];
        if (s->unanswered >= SILENT_HEARTBEATS && s->answering != 0) {
            log_msg("%s is not answering (%lu heartbeats without an ACK)", s->label, s->unanswered);
            s->answering = 0;
        }
        if (s->must_resolve || (s->unanswered > 0 && s->unanswered % SILENT_HEARTBEATS == 0)) {
            resolve(c, s);
            resolved = 1;
        }
    }
    if (resolved)
        now = mono_ns(); /* a name look-up may take long: round trips start when we send */
    for (i = 0; i < c->nservers; i++)
        send_heartbeat(c, &c->servers[i], now);
    c->heartbeats_sent++;
}

static void set_interval(struct client *c, struct server *s, const unsigned char *arg, size_t n, int64_t now)
{
    int64_t seconds = n > 0 ? 0 : -1;
    size_t i;

    for (i = 0; i < n && seconds >= 0; i++)
        seconds = arg[i] >= '0' && arg[i] <= '9' && seconds <= MAX_INTERVAL_S ? seconds * 10 + (arg[i] - '0') : -1;
    if (seconds < 1 || seconds > MAX_INTERVAL_S) {
        log_msg("ignoring set-interval from %s: its argument is not a number of seconds from 1 to %d", s->label,
                MAX_INTERVAL_S);
        return;
    }
    /* A heartbeat goes out at once, announcing the new interval, so that every server's deadline follows
     * it; the schedule continues from there. */
    c->next_heartbeat = now;
    c->interval_ms = seconds * 1000;
    log_msg("heartbeat interval set to %lld s by %s", (long long)seconds, s->label);
}

/* Runs, in order, the commands not run before (section 7); a ping answers once all are counted. */
static void run_commands(struct client *c, struct server *s, const struct ack *a, int64_t now)
{
    int ping = 0;
    unsigned i;

    for (i = 0; i < a->count; i++) {
        const struct command *cmd = &a->cmd[i];
        if (cmd->id <= s->cmd_done)
            continue;
        s->cmd_done = cmd->id;
        if (cmd->name_len == 4 && memcmp(cmd->name, "ping", 4) == 0)
            ping = 1;
        else if (cmd->name_len == 12 && memcmp(cmd->name, "set-interval", 12) == 0)
            set_interval(c, s, cmd->arg, cmd->arg_len, now);
        else if (c->verbose)
            log_msg("ignoring unknown command %lu %.*s from %s", (unsigned long)cmd->id, (int)cmd->name_len,
                    (const char *)cmd->name, s->label);
    }
    if (ping)
        send_heartbeat(c, s, now);
}

/* Handles a datagram that came in on a server's socket: ACCEPTED when it was an ACK to one of our
 * heartbeats (whose commands were then run), else why it was ignored. */
static enum refusal handle_datagram(struct client *c, struct server *s, const unsigned char *d, size_t n, int64_t now)
{
    struct ack a;
    struct sent *e = NULL;
    enum refusal r = decode_ack(d, n, c->key, &a);
    int64_t rtt;
    int i;

    if (r != ACCEPTED)
        return r;
    for (i = 0; i < OUTSTANDING && e == NULL; i++)
        if (s->sent[i].waiting && s->sent[i].seq == a.seq)
            e = &s->sent[i];
    if (e == NULL)
        return UNKNOWN_SEQ;
    e->waiting = 0;
    rtt = (now - e->at + 500) / 1000;
    s->rtt_us = rtt < 0 ? 0 : rtt >= (int64_t)NO_RTT ? NO_RTT - 1 : (uint32_t)rtt;
    s->unanswered = 0;
    if (s->answering != 1)
        log_msg("%s is answering (rtt %.3f ms)", s->label, s->rtt_us / 1000.0);
    s->answering = 1;
    if (c->verbose)
        log_msg("ack seq %llu from %s: rtt %.3f ms, %u command(s)", (unsigned long long)a.seq, s->label,
                s->rtt_us / 1000.0, a.count);
    run_commands(c, s, &a, now);
    return ACCEPTED;
}

/* Logs an ignored datagram: each one when verbose, else at most one line a minute per server. */
static void note_refusal(struct client *c, struct server *s, const struct sockaddr_storage *from, socklen_t from_len,
                         enum refusal r, int64_t now)
{
    char text[64], more[64] = "";

    s->refused++;
    if (!c->verbose && s->refusal_logged_at != 0 &&
        now - s->refusal_logged_at < REFUSAL_LOG_INTERVAL_S * 1000 * NS_PER_MS)
        return;
    if (s->refused > 1)
        snprintf(more, sizeof more, " (and %lu more since the last such line)", s->refused - 1);
    format_address((const struct sockaddr *)from, from_len, text, sizeof text);
    log_msg("ignoring datagram from %s on %s's socket: %s%s%s", text, s->label, refusal_names[r],
            r == BAD_MAC ? " (has the server this host's key?)" : "", more);
    s->refusal_logged_at = now;
    s->refused = 0;
}

static void receive(struct client *c, struct server *s)
{
    unsigned char d[MAX_DATAGRAM + 1]; /* one more byte, so an oversized datagram shows */
    struct sockaddr_storage from;
    socklen_t from_len;
    int i;

    for (i = 0; i < RECEIVE_BATCH && s->fd >= 0; i++) {
        ssize_t n;
        int64_t now;
        enum refusal r;
        from_len = sizeof from;
        if ((n = recvfrom(s->fd, d, sizeof d, 0, (struct sockaddr *)&from, &from_len)) < 0)
            return;
        now = mono_ns();
        if ((r = handle_datagram(c, s, d, (size_t)n, now)) != ACCEPTED)
            note_refusal(c, s, &from, from_len, r, now);
    }
}

/* ------------------------------------------------------------------ plugins */

/* Jiffies of one /proc/stat line: id -1 for the "cpu" total line, else N of "cpuN". */
struct cpu_times {
    long id;
    uint64_t busy, total;
};

struct cpu_monitor {
    struct cpu_times *times; /* from the previous sample: the total first, then each CPU */
    size_t count;
};

/* Reads the cpu lines of /proc/stat into a malloc'd array; returns how many, 0 where there are none. */
static size_t read_proc_stat(struct cpu_times **out)
{
    FILE *f = fopen("/proc/stat", "r");
    struct cpu_times *times = NULL, *grown;
    size_t count = 0, cap = 0;
    char line[512];

    *out = NULL;
    if (f == NULL)
        return 0;
    while (fgets(line, sizeof line, f) != NULL && strncmp(line, "cpu", 3) == 0) {
        char *p = line + 3, *end;
        uint64_t ticks[8] = {0};
        int k;
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            if ((grown = realloc(times, cap * sizeof *times)) == NULL)
                break;
            times = grown;
        }
        times[count].id = *p == ' ' ? -1 : strtol(p, &p, 10);
        /* user nice system idle iowait irq softirq steal; guest time is already part of user and nice */
        for (k = 0; k < 8; k++, p = end) {
            ticks[k] = strtoull(p, &end, 10);
            if (end == p)
                break;
        }
        times[count].total = ticks[0] + ticks[1] + ticks[2] + ticks[3] + ticks[4] + ticks[5] + ticks[6] + ticks[7];
        times[count].busy = times[count].total - ticks[3] - ticks[4];
        count++;
    }
    fclose(f);
    if (count == 0 || times[0].id != -1) {
        free(times);
        return 0;
    }
    *out = times;
    return count;
}

/* Busy percentage between two samples into *percent; 0 when no time passed between them. */
static int percent_between(const struct cpu_times *before, const struct cpu_times *after, double *percent)
{
    double busy = (double)after->busy - (double)before->busy;
    double total = (double)after->total - (double)before->total;

    if (!(total > 0))
        return 0;
    *percent = busy <= 0 ? 0.0 : busy >= total ? 100.0 : 100.0 * busy / total;
    return 1;
}

static void put_per_cpu(struct tree *t, const struct cpu_times *before, const struct cpu_times *after, size_t n)
{
    double percent;
    size_t i;

    for (i = 0; i < n; i++)
        if (before[i].id != after[i].id || !percent_between(&before[i], &after[i], &percent))
            return;
    tv_key(t, "per_cpu_percent");
    tv_list(t);
    for (i = 0; i < n; i++) {
        percent_between(&before[i], &after[i], &percent);
        tv_double(t, percent);
    }
    tv_end(t);
}

/* cpu_monitor: busy percentages since the previous sample, load averages and online CPUs. */
static const char *cpu_tree(struct cpu_monitor *m, struct tree *t)
{
    struct cpu_times *now;
    size_t count = read_proc_stat(&now);
    double loads[3], percent;
    int nloads = getloadavg(loads, 3);
    long cores = -1;

#ifdef _SC_NPROCESSORS_ONLN
    cores = sysconf(_SC_NPROCESSORS_ONLN);
#endif
    if (count == 0 && nloads < 3 && cores < 1)
        return "no cpu figures on this system";
    tv_map(t);
    if (count > 0 && m->count > 0) {
        if (percent_between(&m->times[0], &now[0], &percent)) {
            tv_key(t, "cpu_percent");
            tv_double(t, percent);
        }
        if (count > 1 && count == m->count)
            put_per_cpu(t, m->times + 1, now + 1, count - 1);
    }
    free(m->times);
    m->times = now;
    m->count = count;
    if (nloads == 3) {
        tv_key(t, "load_1");
        tv_double(t, loads[0]);
        tv_key(t, "load_5");
        tv_double(t, loads[1]);
        tv_key(t, "load_15");
        tv_double(t, loads[2]);
    }
    if (cores > 0) {
        tv_key(t, "cores");
        tv_int(t, cores);
    }
    tv_end(t);
    return NULL;
}

/* Values from /proc/meminfo, in bytes; a field stays -1 when the file lacks it. */
static int read_meminfo(int64_t *total, int64_t *available, int64_t *swap_total, int64_t *swap_free)
{
    static const char *const names[4] = {"MemTotal:", "MemAvailable:", "SwapTotal:", "SwapFree:"};
    int64_t *fields[4] = {total, available, swap_total, swap_free};
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    int k;

    for (k = 0; k < 4; k++)
        *fields[k] = -1;
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        for (k = 0; k < 4; k++) {
            size_t len = strlen(names[k]);
            char *end;
            unsigned long long v;
            if (strncmp(line, names[k], len) != 0)
                continue;
            v = strtoull(line + len, &end, 10);
            if (end != line + len && v <= (unsigned long long)(INT64_MAX / 1024))
                *fields[k] = (int64_t)v * (strstr(end, "kB") != NULL ? 1024 : 1);
        }
    }
    fclose(f);
    return 0;
}

/* Physical memory where there is no /proc/meminfo: what sysconf() offers. */
static void sysconf_memory(int64_t *total, int64_t *available)
{
#if defined(_SC_PAGESIZE) && defined(_SC_PHYS_PAGES)
    long page = sysconf(_SC_PAGESIZE), pages = sysconf(_SC_PHYS_PAGES);
    if (page > 0 && pages > 0 && pages <= INT64_MAX / page)
        *total = (int64_t)pages * page;
#ifdef _SC_AVPHYS_PAGES
    pages = sysconf(_SC_AVPHYS_PAGES);
    if (page > 0 && pages > 0 && pages <= INT64_MAX / page)
        *available = (int64_t)pages * page;
#endif
#endif
    (void)total, (void)available;
}

/* memory_monitor: physical memory and swap in bytes. */
static const char *memory_tree(struct tree *t)
{
    int64_t total, available, swap_total, swap_free;

    if (read_meminfo(&total, &available, &swap_total, &swap_free) != 0)
        sysconf_memory(&total, &available);
    if (total <= 0 && (swap_total < 0 || swap_free < 0))
        return "no memory figures on this system";
    tv_map(t);
    if (total > 0) {
        tv_key(t, "total");
        tv_int(t, total);
        if (available >= 0) {
            tv_key(t, "available");
            tv_int(t, available);
            tv_key(t, "used");
            tv_int(t, total - available);
            tv_key(t, "percent");
            tv_double(t, 100.0 * (double)(total - available) / (double)total);
        }
    }
    if (swap_total >= 0 && swap_free >= 0) {
        tv_key(t, "swap");
        tv_map(t);
        tv_key(t, "total");
        tv_int(t, swap_total);
        tv_key(t, "used");
        tv_int(t, swap_total - swap_free);
        tv_key(t, "free");
        tv_int(t, swap_free);
        if (swap_total > 0) {
            tv_key(t, "percent");
            tv_double(t, 100.0 * (double)(swap_total - swap_free) / (double)swap_total);
        }
        tv_end(t);
    }
    tv_end(t);
    return NULL;
}

/* Linux's, then (from devfs on) those of the BSDs and macOS. */
static const char *const pseudo_filesystems[] = {
    "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "cgroup", "cgroup2", "overlay", "squashfs", "autofs", "mqueue",
    "debugfs", "tracefs", "securityfs", "pstore", "bpf", "configfs", "fusectl", "hugetlbfs", "binfmt_misc", "nsfs",
    "rpc_pipefs", "ramfs", "devfs", "fdescfs", "procfs", "linprocfs", "linsysfs", "mqueuefs", "kernfs", "ptyfs"};

static int is_pseudo(const char *fstype)
{
    size_t i;

    for (i = 0; fstype != NULL && i < sizeof pseudo_filesystems / sizeof pseudo_filesystems[0]; i++)
        if (strcmp(fstype, pseudo_filesystems[i]) == 0)
            return 1;
    return 0;
}

/* A mount: device and fstype are NULL where they are not known. */
struct mount {
    char *device, *dir, *fstype;
};

struct mounts {
    struct mount *m;
    size_t count, cap;
};

static void free_mounts(struct mounts *ms)
{
    size_t i;

    for (i = 0; i < ms->count; i++) {
        free(ms->m[i].device);
        free(ms->m[i].dir);
        free(ms->m[i].fstype);
    }
    free(ms->m);
    ms->m = NULL;
    ms->count = ms->cap = 0;
}

static char *dup_or_null(const char *s)
{
    return s != NULL ? dup_string(s, strlen(s)) : NULL;
}

static int add_mount(struct mounts *ms, const char *device, const char *dir, const char *fstype)
{
    struct mount *m;

    if (ms->count == ms->cap) {
        size_t cap = ms->cap ? ms->cap * 2 : 32;
        if ((m = realloc(ms->m, cap * sizeof *m)) == NULL)
            return -1;
        ms->m = m, ms->cap = cap;
    }
    m = &ms->m[ms->count];
    m->device = dup_or_null(device);
    m->dir = dup_string(dir, strlen(dir));
    m->fstype = dup_or_null(fstype);
    ms->count++;
    if ((device != NULL && m->device == NULL) || m->dir == NULL || (fstype != NULL && m->fstype == NULL))
        return -1;
    return 0;
}

/* Undoes, in place, the octal escapes (\040 for a space...) of a /proc/self/mounts field. */
static char *unescape_mount_field(char *s)
{
    char *in = s, *out = s;

    while (*in != '\0') {
        if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' && in[3] >= '0' &&
            in[3] <= '7') {
            *out++ = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
            in += 4;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
    return s;
}

/* Splits off the next field of a space-separated line. */
static char *next_field(char **p)
{
    char *start = *p + strspn(*p, " \t\n"), *end = start + strcspn(start, " \t\n");

    if (*end != '\0')
        *end++ = '\0';
    *p = end;
    return *start != '\0' ? start : NULL;
}

static int read_proc_mounts(struct mounts *ms)
{
    FILE *f = fopen("/proc/self/mounts", "r");
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;

    if (f == NULL)
        return -1;
    while (rc == 0 && getline(&line, &cap, f) >= 0) {
        char *p = line, *device = next_field(&p), *dir = next_field(&p), *fstype = next_field(&p);
        if (fstype != NULL)
            rc = add_mount(ms, unescape_mount_field(device), unescape_mount_field(dir), unescape_mount_field(fstype));
    }
    free(line);
    fclose(f);
    return rc;
}

/* Every mount, in mount order: from /proc/self/mounts, getmntinfo() or, failing those, "/" alone. */
static int read_mounts(struct mounts *ms)
{
#ifdef HAVE_GETMNTINFO
    struct statfs *fs;
    int i, n;
#endif

    if (read_proc_mounts(ms) == 0)
        return 0;
    free_mounts(ms);
#ifdef HAVE_GETMNTINFO
    if ((n = getmntinfo(&fs, MNT_NOWAIT)) > 0) {
        for (i = 0; i < n; i++)
            if (add_mount(ms, fs[i].f_mntfromname, fs[i].f_mntonname, fs[i].f_fstypename) != 0)
                return -1;
        return 0;
    }
#endif
    return add_mount(ms, NULL, "/", NULL);
}

/* count * unit into *out; 0 when it does not fit an i64. */
static int scaled(uint64_t count, uint64_t unit, int64_t *out)
{
    if (unit != 0 && count > (uint64_t)INT64_MAX / unit)
        return 0;
    *out = (int64_t)(count * unit);
    return 1;
}

static int is_utf8(const char *s)
{
    return s == NULL || utf8_valid((const unsigned char *)s, strlen(s));
}

/* One partition's map; 0 when its figures do not fit. */
static int put_partition(struct tree *t, const struct mount *m, const struct statvfs *st)
{
    uint64_t unit = st->f_frsize ? st->f_frsize : st->f_bsize;
    uint64_t used_blocks = st->f_blocks > st->f_bfree ? st->f_blocks - st->f_bfree : 0;
    uint64_t used_inodes = st->f_files > st->f_ffree ? st->f_files - st->f_ffree : 0;
    int64_t total, used, free_;

    if (!scaled(st->f_blocks, unit, &total) || !scaled(used_blocks, unit, &used) ||
        !scaled(st->f_bavail, unit, &free_) || (uint64_t)st->f_files > (uint64_t)INT64_MAX ||
        used > INT64_MAX - free_)
        return 0;
    tv_key(t, m->dir);
    tv_map(t);
    if (m->device != NULL) {
        tv_key(t, "device");
        tv_str(t, m->device);
    }
    if (m->fstype != NULL) {
        tv_key(t, "fstype");
        tv_str(t, m->fstype);
    }
    tv_key(t, "total");
    tv_int(t, total);
    tv_key(t, "used");
    tv_int(t, used);
    tv_key(t, "free");
    tv_int(t, free_);
    if (used + free_ > 0) {
        tv_key(t, "percent");
        tv_double(t, 100.0 * (double)used / (double)(used + free_));
    }
    if (st->f_files > 0) {
        tv_key(t, "inodes_total");
        tv_int(t, (int64_t)st->f_files);
        tv_key(t, "inodes_used");
        tv_int(t, (int64_t)used_inodes);
        tv_key(t, "inodes_free");
        tv_int(t, (int64_t)st->f_ffree);
        tv_key(t, "inodes_percent");
        tv_double(t, 100.0 * (double)used_inodes / (double)st->f_files);
    }
    tv_key(t, "readonly");
    tv_bool(t, (st->f_flag & ST_RDONLY) != 0);
    tv_end(t);
    return 1;
}

/* Whether mount i is reported: a real filesystem, on top of its mount point (a later mount on the same
 * point hides it, and statvfs() reports on the later one), and the first mount of its device. */
static int reported(const struct mounts *ms, size_t i, const char *const *devices, size_t ndevices)
{
    const struct mount *m = &ms->m[i];
    size_t j;

    if (is_pseudo(m->fstype) || !is_utf8(m->dir) || !is_utf8(m->device) || !is_utf8(m->fstype))
        return 0;
    for (j = i + 1; j < ms->count; j++)
        if (strcmp(ms->m[j].dir, m->dir) == 0)
            return 0;
    for (j = 0; m->device != NULL && j < ndevices; j++)
        if (strcmp(devices[j], m->device) == 0)
            return 0;
    return 1;
}

/* disk_monitor: usage of every real filesystem of the given mounts, keyed by mount point. */
static const char *disk_tree_of(const struct mounts *ms, struct tree *t)
{
    const char **devices = malloc((ms->count + 1) * sizeof *devices);
    size_t ndevices = 0, i;
    struct statvfs st;

    if (devices == NULL)
        return "out of memory";
    tv_map(t);
    tv_key(t, "partitions");
    tv_map(t);
    for (i = 0; i < ms->count; i++) {
        const struct mount *m = &ms->m[i];
        if (!reported(ms, i, devices, ndevices) || statvfs(m->dir, &st) != 0 || st.f_blocks == 0)
            continue;
        if (put_partition(t, m, &st) && m->device != NULL)
            devices[ndevices++] = m->device;
    }
    tv_end(t);
    tv_end(t);
    free(devices);
    return NULL;
}

static const char *disk_tree(struct tree *t)
{
    struct mounts ms = {NULL, 0, 0};
    const char *error = read_mounts(&ms) != 0 ? "cannot read the mount table" : disk_tree_of(&ms, t);

    free_mounts(&ms);
    return error;
}

/* disk_monitor runs in a child process: statvfs() can hang on a dead network mount, and a heartbeat must
 * never wait for plugin data. The child writes 'D' and the encoded tree, or 'E' and an error message. */
struct disk_job {
    pid_t pid; /* 0: none to wait for */
    int fd;    /* read end of the child's pipe; -1 once read or given up */
    int64_t started, time_ms;
    struct buf out;
};

static int write_all(int fd, const void *data, size_t n)
{
    const unsigned char *p = data;

    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void disk_child(int fd)
{
    struct tree t;
    const char *error;

    tree_init(&t);
    if ((error = disk_tree(&t)) == NULL)
        error = tree_error(&t);
    if (error == NULL)
        _exit(write_all(fd, "D", 1) == 0 && write_all(fd, t.b.p, t.b.len) == 0 ? 0 : 1);
    _exit(write_all(fd, "E", 1) == 0 && write_all(fd, error, strlen(error)) == 0 ? 0 : 1);
}

static void disk_start(struct client *c, struct disk_job *job, int64_t now)
{
    int p[2];
    pid_t pid;

    if (pipe(p) != 0) {
        send_plugin_error(c, "disk_monitor", strerror(errno));
        return;
    }
    if ((pid = fork()) < 0) {
        send_plugin_error(c, "disk_monitor", strerror(errno));
        close(p[0]);
        close(p[1]);
        return;
    }
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        close(p[0]);
        disk_child(p[1]);
    }
    close(p[1]);
    if (set_nonblocking(p[0]) != 0)
        log_msg("disk_monitor: %s", strerror(errno));
    job->pid = pid, job->fd = p[0], job->started = now, job->time_ms = now_ms();
    buf_dynamic(&job->out, MAX_SAMPLE + 1);
}

static void disk_close(struct disk_job *job)
{
    if (job->fd >= 0)
        close(job->fd);
    job->fd = -1;
    buf_free(&job->out);
}

/* Reads what the child wrote so far; sends the sample or its error once the child closed the pipe. */
static void disk_read(struct client *c, struct disk_job *job)
{
    unsigned char chunk[4096];
    ssize_t n;

    while ((n = read(job->fd, chunk, sizeof chunk)) > 0)
        put(&job->out, chunk, (size_t)n);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (job->out.error != NULL || job->out.len < 2) {
        send_plugin_error(c, "disk_monitor", job->out.error != NULL ? "value tree larger than 64 datagrams"
                                                                    : "collector ended without a result");
    } else if (job->out.p[0] == 'D') {
        send_sample(c, "disk_monitor", job->time_ms, job->out.p + 1, job->out.len - 1);
    } else {
        char message[MAX_ERROR_MESSAGE + 1];
        size_t len = job->out.len - 1 < MAX_ERROR_MESSAGE ? job->out.len - 1 : MAX_ERROR_MESSAGE;
        memcpy(message, job->out.p + 1, len);
        message[len] = '\0';
        send_plugin_error(c, "disk_monitor", message);
    }
    disk_close(job);
}

static void disk_reap(struct disk_job *job)
{
    if (job->pid != 0 && waitpid(job->pid, NULL, WNOHANG) == job->pid)
        job->pid = 0;
}

static void collect_plugins(struct client *c, struct cpu_monitor *cpu, struct disk_job *disk, int64_t now)
{
    struct tree t;
    char message[128];
    int64_t time_ms = now_ms();

    tree_init(&t);
    send_tree(c, "cpu_monitor", time_ms, &t, cpu_tree(cpu, &t));
    tree_free(&t);
    tree_init(&t);
    send_tree(c, "memory_monitor", time_ms, &t, memory_tree(&t));
    tree_free(&t);
    if (disk->pid == 0) {
        disk_start(c, disk, now);
        return;
    }
    snprintf(message, sizeof message, "statvfs() still running after %lld s; sample skipped",
             (long long)((now - disk->started) / (1000 * NS_PER_MS)));
    send_plugin_error(c, "disk_monitor", message);
    kill(disk->pid, SIGKILL);
    disk_close(disk);
}

/* ------------------------------------------------------------------ main loop */

static volatile sig_atomic_t stop_signal;
static int wake_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
    int saved = errno;
    ssize_t w;

    stop_signal = sig;
    w = write(wake_pipe[1], "x", 1); /* wakes poll(); a full pipe is awake already */
    (void)w;
    errno = saved;
}

static int install_signals(void)
{
    struct sigaction sa;

    if (pipe(wake_pipe) != 0 || set_nonblocking(wake_pipe[0]) != 0 || set_nonblocking(wake_pipe[1]) != 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal;
    if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0)
        return -1;
    sa.sa_handler = SIG_IGN; /* a closed stderr must not kill us */
    return sigaction(SIGPIPE, &sa, NULL);
}

static uint64_t random_seed(void)
{
    uint64_t seed = (uint64_t)clock_ns(CLOCK_REALTIME) ^ ((uint64_t)getpid() << 32);
    int fd = open("/dev/urandom", O_RDONLY);

    if (fd >= 0) {
        uint64_t r;
        if (read(fd, &r, sizeof r) == (ssize_t)sizeof r)
            seed ^= r;
        close(fd);
    }
    return seed;
}

static void drain(int fd)
{
    char junk[64];

    while (read(fd, junk, sizeof junk) > 0) {
    }
}

static int64_t advance(int64_t next, int64_t interval_ns, int64_t now)
{
    next += interval_ns;
    return next <= now ? now + interval_ns : next; /* after a suspend: no burst of catch-up datagrams */
}

/* When the heartbeat after one sent now is due (section 10): the first goes out at start, the second after a
 * random half to whole interval, so that a fleet started together spreads out, then one every interval. */
static int64_t next_heartbeat_after(const struct client *c, int64_t now, uint64_t random)
{
    int64_t interval_ns = c->interval_ms * NS_PER_MS;

    if (c->heartbeats_sent == 1)
        return now + interval_ns / 2 + (int64_t)(random % (uint64_t)(interval_ns / 2 + 1));
    return advance(c->next_heartbeat, interval_ns, now);
}

static int run(struct client *c)
{
    struct pollfd *fds = malloc((c->nservers + 2) * sizeof *fds);
    struct cpu_monitor cpu = {NULL, 0};
    struct disk_job disk = {0, -1, 0, 0, {NULL, 0, 0, 0, 0, NULL}};
    int64_t start = mono_ns(), next_plugins = 0;
    size_t i, nfds;

    if (fds == NULL || install_signals() != 0) {
        log_msg("cannot start: %s", strerror(errno));
        free(fds);
        return 1;
    }
    c->next_heartbeat = start;
    if (c->plugin_interval_ms > 0)
        next_plugins = c->next_heartbeat;
    while (!stop_signal) {
        int64_t now = mono_ns(), deadline;
        int timeout;
        if (now >= c->next_heartbeat) {
            heartbeat_all(c, now);
            c->next_heartbeat = next_heartbeat_after(c, now, random_seed());
        }
        if (next_plugins != 0 && now >= next_plugins) {
            collect_plugins(c, &cpu, &disk, now);
            next_plugins = advance(next_plugins, c->plugin_interval_ms * NS_PER_MS, now);
        }
        disk_reap(&disk);
        deadline = next_plugins != 0 && next_plugins < c->next_heartbeat ? next_plugins : c->next_heartbeat;
        timeout = (int)((deadline - mono_ns()) / NS_PER_MS + 1);
        nfds = 0;
        for (i = 0; i < c->nservers; i++)
            if (c->servers[i].fd >= 0)
                fds[nfds].fd = c->servers[i].fd, fds[nfds++].events = POLLIN;
        fds[nfds].fd = wake_pipe[0], fds[nfds++].events = POLLIN;
        if (disk.fd >= 0)
            fds[nfds].fd = disk.fd, fds[nfds++].events = POLLIN;
        if (poll(fds, (nfds_t)nfds, timeout < 0 ? 0 : timeout) < 0) {
            if (errno != EINTR)
                log_msg("poll: %s", strerror(errno));
            continue;
        }
        for (i = 0; i < c->nservers; i++)
            if (c->servers[i].fd >= 0)
                receive(c, &c->servers[i]);
        drain(wake_pipe[0]);
        if (disk.fd >= 0)
            disk_read(c, &disk);
    }
    log_msg("stopping (%s)", stop_signal == SIGTERM ? "SIGTERM" : "SIGINT");
    if (disk.pid != 0)
        kill(disk.pid, SIGKILL);
    disk_close(&disk);
    free(cpu.times);
    free(fds);
    return 0;
}

/* ------------------------------------------------------------------ command line */

static const char usage[] =
    "usage: hbc_mini [-p PORT] [-i SECONDS] [-b] [-k KEYFILE] [-n NAME] [-m SECONDS] [-v] [-h | --help]\n"
    "                SERVER [SERVER...]\n"
    "\n"
    "Reports this host to Heartbeat servers (wire protocol v1, UDP): a heartbeat every interval, and cpu,\n"
    "memory and disk figures every -m seconds. Each SERVER gets every datagram.\n"
    "\n"
    "  SERVER      host name or address of a server: name, 192.0.2.1, 2001:db8::1, name:port, [2001:db8::1]:port\n"
    "  -p PORT     UDP port of the servers given without one (default 50003)\n"
    "  -i SECONDS  heartbeat interval, 1 to 86400, fractions allowed (default 20)\n"
    "  -b          send a BOOT message instead of the first heartbeat (start it like this at boot)\n"
    "  -k KEYFILE  sign every datagram with the host key in KEYFILE (base64, as 'hbd hostkey NAME' makes it)\n"
    "              and accept only ACKs signed with that key\n"
    "  -n NAME     host name to report (default: what gethostname() returns, as is)\n"
    "  -m SECONDS  send cpu, memory and disk figures every SECONDS, 1 to 86400; 0 turns them off (default 60)\n"
    "  -v          log every datagram sent and every ACK received, with its round-trip time\n"
    "  -h, --help  show this help\n"
    "\n"
    "Logs go to stderr. Exit status: 0 after SIGTERM or SIGINT, 2 for bad arguments.\n";

static int port_valid(const char *s, size_t n)
{
    unsigned long v = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || (v = v * 10 + (unsigned long)(s[i] - '0')) > 65535)
            return 0;
    }
    return n > 0 && v >= 1;
}

/* Adds a SERVER argument: name, IPv4, IPv6, name:port or [IPv6]:port. */
static int parse_server(struct client *c, const char *spec, const char *default_port, char *err, size_t errlen)
{
    const char *host = spec, *colon = strchr(spec, ':'), *port = default_port;
    size_t host_len = strlen(spec);

    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (close == NULL || (close[1] != '\0' && close[1] != ':')) {
            snprintf(err, errlen, "server '%s': expected [IPv6 address] or [IPv6 address]:port", spec);
            return -1;
        }
        host = spec + 1, host_len = (size_t)(close - host);
        port = close[1] == ':' ? close + 2 : port;
    } else if (colon != NULL && strchr(colon + 1, ':') == NULL) {
        host_len = (size_t)(colon - spec);
        port = colon + 1;
    }
    if (port != default_port && !port_valid(port, strlen(port))) {
        snprintf(err, errlen, "server '%s': port '%s' is not a number from 1 to 65535", spec, port);
        return -1;
    }
    if (host_len == 0) {
        snprintf(err, errlen, "server '%s' has no host name or address", spec);
        return -1;
    }
    if (add_server(c, host, host_len, port) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* Seconds of -i or -m in milliseconds; -1 when the text is not a number in range. */
static int64_t parse_seconds(const char *text, int allow_zero)
{
    char *end;
    double s;

    errno = 0;
    s = strtod(text, &end);
    if (end == text || *end != '\0' || errno != 0 || !isfinite(s))
        return -1;
    if (allow_zero && s == 0)
        return 0;
    return s >= 1 && s <= MAX_INTERVAL_S ? (int64_t)(s * 1000 + 0.5) : -1;
}

/* The value of an option that takes one: the rest of its argument, or the next argument. */
static const char *option_value(int argc, char **argv, int *i, const char *rest)
{
    if (*rest != '\0')
        return rest;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

/* Applies option o with value v; returns -1 and says why in err when it is bad. */
static int apply_option(struct client *c, char o, const char *v, const char **port, const char **name, char *err,
                        size_t errlen)
{
    int64_t ms;

    switch (o) {
    case 'p':
        if (!port_valid(v, strlen(v))) {
            snprintf(err, errlen, "-p '%s' is not a port number from 1 to 65535", v);
            return -1;
        }
        *port = v;
        return 0;
    case 'i':
    case 'm':
        if ((ms = parse_seconds(v, o == 'm')) < 0) {
            snprintf(err, errlen, "-%c '%s' is not a number of seconds from %s1 to %d", o, v, o == 'm' ? "0 or " : "",
                     MAX_INTERVAL_S);
            return -1;
        }
        *(o == 'i' ? &c->interval_ms : &c->plugin_interval_ms) = ms;
        return 0;
    case 'k':
        if (read_key_file(v, c->key_bytes, err, errlen) != 0)
            return -1;
        c->key = c->key_bytes;
        return 0;
    default: /* 'n' */
        *name = v;
        return 0;
    }
}

/* Parses the options, in any order and clustered like -bv; SERVER arguments are collected in specs, for
 * parsing once -p is known. Returns how many servers there are, -2 for -h or --help, or -1 with the problem in
 * err. The only long option is --help. */
static int parse_options(struct client *c, int argc, char **argv, const char **specs, const char **port,
                         const char **name, char *err, size_t errlen)
{
    int i, only_servers = 0, nspecs = 0;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_servers || a[0] != '-' || a[1] == '\0') {
            specs[nspecs++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_servers = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0)
            return -2;
        if (a[1] == '-') {
            snprintf(err, errlen, "unknown option %s", a);
            return -1;
        }
        for (a++; *a != '\0'; a++) {
            const char *v;
            if (*a == 'h')
                return -2;
            if (*a == 'b' || *a == 'v') {
                *(*a == 'b' ? &c->boot : &c->verbose) = 1;
                continue;
            }
            if (strchr("pikmn", *a) == NULL) {
                snprintf(err, errlen, "unknown option -%c", *a);
                return -1;
            }
            if ((v = option_value(argc, argv, &i, a + 1)) == NULL) {
                snprintf(err, errlen, "option -%c needs a value", *a);
                return -1;
            }
            if (apply_option(c, *a, v, port, name, err, errlen) != 0)
                return -1;
            break;
        }
    }
    return nspecs;
}

/* Parses the command line into c (set up by client_init). Returns 0, 1 for -h or --help, or -1 with the problem
 * in err. */
static int parse_args(struct client *c, int argc, char **argv, char *err, size_t errlen)
{
    const char *port = DEFAULT_PORT, *name = NULL, *problem;
    const char **specs = malloc((size_t)(argc > 0 ? argc : 1) * sizeof *specs);
    char hostname[1024];
    int i, nspecs;

    if (specs == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    nspecs = parse_options(c, argc, argv, specs, &port, &name, err, errlen);
    if (nspecs == 0)
        snprintf(err, errlen, "no SERVER given");
    for (i = 0; i < nspecs; i++)
        if (parse_server(c, specs[i], port, err, errlen) != 0)
            nspecs = -1;
    free(specs);
    if (nspecs <= 0)
        return nspecs == -2 ? 1 : -1;
    if (name == NULL) {
        if (gethostname(hostname, sizeof hostname) != 0) {
            snprintf(err, errlen, "gethostname: %s; give a host name with -n", strerror(errno));
            return -1;
        }
        hostname[sizeof hostname - 1] = '\0';
        name = hostname;
    }
    if ((problem = host_name_problem(name)) != NULL) {
        snprintf(err, errlen, "%s%s", problem, name == hostname ? "; give one with -n" : "");
        return -1;
    }
    strcpy(c->host, name);
    return 0;
}

int hbc_main(int argc, char **argv);

int hbc_main(int argc, char **argv)
{
    struct client c;
    char err[512], servers[1024] = "";
    size_t i, used = 0;
    int rc;

    client_init(&c);
    rc = parse_args(&c, argc, argv, err, sizeof err);
    if (rc != 0) {
        if (rc < 0)
            fprintf(stderr, PROG ": %s (try -h)\n", err);
        else
            fputs(usage, stdout);
        client_free(&c);
        return rc < 0 ? 2 : 0;
    }
    for (i = 0; i < c.nservers && used < sizeof servers; i++)
        used += (size_t)snprintf(servers + used, sizeof servers - used, "%s%s", i ? ", " : "", c.servers[i].label);
    log_msg("reporting as %s to %s every %g s", c.host, servers, (double)c.interval_ms / 1000);
    rc = run(&c);
    client_free(&c);
    return rc;
}

#ifndef HBC_MINI_NO_MAIN
int main(int argc, char **argv)
{
    return hbc_main(argc, argv);
}
#endif
