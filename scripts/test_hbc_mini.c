/*
 * test_hbc_mini.c: checks hbc_mini.c against the protocol test vectors, FIPS 180-2 (SHA-256), RFC 4231
 * (HMAC-SHA256) and unit checks of its own. It includes hbc_mini.c, so it sees every function there.
 *
 *     cc -Wall -Wextra -O1 -g -fsanitize=address,undefined -o test_hbc_mini test_hbc_mini.c
 *     ./test_hbc_mini docs/protocol-vectors.txt
 *
 * Prints one line per check, "ok <name>" or "not ok <name>: <reason>", and exits 1 if any check failed.
 * run_c_tests.sh builds and runs it.
 */
#define HBC_MINI_NO_MAIN 1
#include "hbc_mini.c"

static int failures;
static char problem_text[1024];

/* Formats a check's problem; checks return it, or NULL when they pass. */
static const char *PRINTF_LIKE(1, 2) problem(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(problem_text, sizeof problem_text, fmt, ap);
    va_end(ap);
    return problem_text;
}

static void report(const char *name, const char *why)
{
    char *p;

    if (why == NULL) {
        printf("ok %s\n", name);
        return;
    }
    failures++;
    if (why != problem_text)
        snprintf(problem_text, sizeof problem_text, "%s", why);
    for (p = problem_text; *p != '\0'; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    printf("not ok %s: %s\n", name, problem_text);
}

static void reportf(const char *why, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void reportf(const char *why, const char *fmt, ...)
{
    char name[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    report(name, why);
}

static void to_hex(const unsigned char *d, size_t n, char *out)
{
    size_t i;

    for (i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
    out[2 * n] = '\0';
}

/* Decodes lowercase or uppercase hex into out (max bytes); returns the length, or -1. */
static long from_hex(const char *hex, unsigned char *out, size_t max)
{
    size_t n = strlen(hex), i;

    if (n % 2 != 0 || n / 2 > max)
        return -1;
    for (i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1 || strchr("0123456789abcdefABCDEF", hex[2 * i + 1]) == NULL)
            return -1;
        out[i] = (unsigned char)v;
    }
    return (long)(n / 2);
}

/* Compares a datagram with the expected hex. */
static const char *same_bytes(const unsigned char *d, size_t n, const char *hex)
{
    static char got[2 * 4096 + 1];

    if (n == 0)
        return "the encoder refused it";
    if (n > 4096)
        return "far too long";
    to_hex(d, n, got);
    return strcmp(got, hex) == 0 ? NULL : problem("encoding is %s, expected %s", got, hex);
}

/* ------------------------------------------------------------------ reading the vectors */

#define MAX_FIELDS 48

struct vector {
    char *name;
    size_t n;
    char *field[MAX_FIELDS], *value[MAX_FIELDS];
};

struct vectors {
    struct vector *v;
    size_t count;
};

static const char *get(const struct vector *v, const char *field)
{
    size_t i;

    for (i = 0; i < v->n; i++)
        if (strcmp(v->field[i], field) == 0)
            return v->value[i];
    return NULL;
}

static void free_vectors(struct vectors *vs)
{
    size_t i, k;

    for (i = 0; i < vs->count; i++) {
        free(vs->v[i].name);
        for (k = 0; k < vs->v[i].n; k++) {
            free(vs->v[i].field[k]);
            free(vs->v[i].value[k]);
        }
    }
    free(vs->v);
}

static char *copy(const char *s)
{
    return dup_string(s, strlen(s));
}

/* Reads a protocol-vectors.txt file (PROTOCOL.md section 11): fgets line by line, split at the first space. */
static const char *read_vectors(const char *path, struct vectors *vs)
{
    static char line[16384];
    FILE *f = fopen(path, "r");
    struct vector *cur = NULL;
    int number = 0;

    vs->v = NULL, vs->count = 0;
    if (f == NULL)
        return problem("cannot open %s: %s", path, strerror(errno));
    while (fgets(line, sizeof line, f) != NULL) {
        size_t len = strlen(line);
        char *space, *value;
        number++;
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            fclose(f);
            return problem("line %d is too long", number);
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        space = strchr(line, ' ');
        value = space != NULL ? space + 1 : line + len;
        if (space != NULL)
            *space = '\0';
        if (cur == NULL) {
            struct vector *grown;
            if (strcmp(line, "vector") != 0) {
                fclose(f);
                return problem("line %d: '%s' outside a vector", number, line);
            }
            if ((grown = realloc(vs->v, (vs->count + 1) * sizeof *grown)) == NULL) {
                fclose(f);
                return "out of memory";
            }
            vs->v = grown;
            cur = &vs->v[vs->count++];
            memset(cur, 0, sizeof *cur);
            cur->name = copy(value);
        } else if (strcmp(line, "end") == 0) {
            cur = NULL;
        } else if (cur->n == MAX_FIELDS) {
            fclose(f);
            return problem("vector %s has more than %d fields", cur->name, MAX_FIELDS);
        } else {
            cur->field[cur->n] = copy(line);
            cur->value[cur->n++] = copy(value);
        }
    }
    fclose(f);
    if (cur != NULL)
        return problem("vector %s has no end", cur->name);
    return vs->count > 0 ? NULL : "no vectors in the file";
}

/* ------------------------------------------------------------------ trees written out for the plugin_data vectors */

static void build_cpu(struct tree *t)
{
    tv_map(t);
    tv_key(t, "cpu_percent");
    tv_double(t, 12.5);
    tv_key(t, "per_core");
    tv_list(t);
    tv_double(t, 10.0);
    tv_double(t, 15.0);
    tv_end(t);
    tv_key(t, "load");
    tv_map(t);
    tv_key(t, "1");
    tv_double(t, 0.5);
    tv_key(t, "5");
    tv_double(t, 0.25);
    tv_key(t, "15");
    tv_double(t, 0.125);
    tv_end(t);
    tv_key(t, "cores");
    tv_int(t, 2);
    tv_end(t);
}

static void build_disk(struct tree *t)
{
    tv_map(t);
    tv_key(t, "partitions");
    tv_map(t);
    tv_key(t, "/");
    tv_map(t);
    tv_key(t, "total");
    tv_int(t, INT64_C(63350468608));
    tv_key(t, "used");
    tv_int(t, INT64_C(26290245632));
    tv_key(t, "free");
    tv_int(t, INT64_C(33814822912));
    tv_key(t, "percent");
    tv_double(t, 41.5);
    tv_key(t, "fstype");
    tv_str(t, "ext4");
    tv_key(t, "readonly");
    tv_bool(t, 0);
    tv_end(t);
    tv_key(t, "/srv/a.b");
    tv_map(t);
    tv_key(t, "total");
    tv_int(t, 1000000);
    tv_key(t, "used");
    tv_int(t, -1);
    tv_key(t, "percent");
    tv_double(t, 0.0);
    tv_key(t, "readonly");
    tv_bool(t, 1);
    tv_end(t);
    tv_end(t);
    tv_end(t);
}

static void build_memory(struct tree *t)
{
    tv_map(t);
    tv_key(t, "total");
    tv_int(t, INT64_C(25197318144));
    tv_key(t, "available");
    tv_int(t, INT64_C(21997318144));
    tv_key(t, "percent");
    tv_double(t, 12.7);
    tv_key(t, "swap");
    tv_map(t);
    tv_end(t);
    tv_key(t, "notes");
    tv_list(t);
    tv_end(t);
    tv_end(t);
}

static void build_deepest(struct tree *t)
{
    int i;

    for (i = 0; i < 15; i++) {
        tv_map(t);
        tv_key(t, "a");
    }
    tv_int(t, 1);
    for (i = 0; i < 15; i++)
        tv_end(t);
}

static void build_split_sample(struct tree *t)
{
    static const double rates[3] = {0.0, 1000.5, 2001.0};
    static const char *const names[3] = {"eth0", "eth1", "eth2"};
    int i;

    tv_map(t);
    tv_key(t, "interfaces");
    tv_map(t);
    for (i = 0; i < 3; i++) {
        tv_key(t, names[i]);
        tv_map(t);
        tv_key(t, "bytes_in_per_s");
        tv_double(t, rates[i]);
        tv_key(t, "up");
        tv_bool(t, i % 2 == 0);
        tv_end(t);
    }
    tv_end(t);
    tv_end(t);
}

static const struct {
    const char *vector;
    void (*build)(struct tree *t);
} tree_builders[] = {
    {"plugin_data_cpu", build_cpu},
    {"plugin_data_cpu_signed", build_cpu},
    {"plugin_data_disk", build_disk},
    {"plugin_data_memory_empty_containers", build_memory},
    {"plugin_deepest_allowed", build_deepest},
};

/* ------------------------------------------------------------------ vector checks */

static int vector_key(const struct vector *v, unsigned char key[KEY_LEN], const unsigned char **out)
{
    const char *text = get(v, "key");

    *out = NULL;
    if (text == NULL || strcmp(text, "-") == 0)
        return 0;
    if (parse_key(text, key) != 0)
        return -1;
    *out = key;
    return 0;
}

static int vector_head(const struct vector *v, struct head *h, unsigned char key[KEY_LEN])
{
    const char *host = get(v, "host"), *seq = get(v, "seq"), *time_ms = get(v, "time_ms"),
               *interval = get(v, "interval_ms");

    if (host == NULL || seq == NULL || time_ms == NULL || interval == NULL || vector_key(v, key, &h->key) != 0)
        return -1;
    h->host = host;
    h->seq = strtoull(seq, NULL, 10);
    h->time_ms = strtoll(time_ms, NULL, 10);
    h->interval_ms = (uint32_t)strtoul(interval, NULL, 10);
    return 0;
}

static const char *encode_plugin_vector(const struct vector *v, const struct head *h, unsigned char *d, size_t *n)
{
    const char *plugin = get(v, "plugin"), *fragment = get(v, "fragment");
    unsigned part = (unsigned)atoi(get(v, "part") ? get(v, "part") : "0");
    unsigned parts = (unsigned)atoi(get(v, "parts") ? get(v, "parts") : "0");
    unsigned char bytes[MAX_DATAGRAM];
    struct tree t;
    const char *why = NULL;
    size_t i;
    long len;

    if (plugin == NULL)
        return "no plugin field";
    if (get(v, "value") == NULL) {
        if (fragment == NULL || (len = from_hex(fragment, bytes, sizeof bytes)) < 0)
            return "no value or fragment";
        *n = encode_plugin_data(d, h, plugin, part, parts, bytes, (size_t)len);
        return NULL;
    }
    for (i = 0; i < sizeof tree_builders / sizeof tree_builders[0]; i++)
        if (strcmp(tree_builders[i].vector, v->name) == 0)
            break;
    if (i == sizeof tree_builders / sizeof tree_builders[0])
        return "no tree written out for this vector in test_hbc_mini.c";
    tree_init(&t);
    tree_builders[i].build(&t);
    if ((why = tree_error(&t)) == NULL && t.b.len > fragment_room(h->host, plugin, h->key != NULL))
        why = "the tree does not fit one datagram";
    if (why == NULL)
        *n = encode_plugin_data(d, h, plugin, part, parts, t.b.p, t.b.len);
    tree_free(&t);
    return why;
}

static const char *encode_vector(const struct vector *v)
{
    const char *type = get(v, "type"), *hex = get(v, "hex"), *why = NULL;
    unsigned char key[KEY_LEN], d[MAX_DATAGRAM];
    struct head h;
    size_t n = 0;

    if (vector_head(v, &h, key) != 0 || hex == NULL)
        return "vector lacks host, seq, time_ms, interval_ms, hex or a good key";
    if (strcmp(type, "heartbeat") == 0 || strcmp(type, "boot") == 0) {
        const char *rtt = get(v, "rtt_us"), *done = get(v, "cmd_done"), *boot = get(v, "boot_time_ms");
        int is_boot = strcmp(type, "boot") == 0;
        if (rtt == NULL || done == NULL || (is_boot && boot == NULL))
            return "vector lacks rtt_us, cmd_done or boot_time_ms";
        n = encode_heartbeat(d, &h, strcmp(rtt, "-") == 0 ? NO_RTT : (uint32_t)strtoul(rtt, NULL, 10),
                             (uint32_t)strtoul(done, NULL, 10), is_boot, is_boot ? strtoll(boot, NULL, 10) : 0);
    } else if (strcmp(type, "plugin_error") == 0) {
        if (get(v, "plugin") == NULL || get(v, "message") == NULL)
            return "vector lacks plugin or message";
        n = encode_plugin_error(d, &h, get(v, "plugin"), get(v, "message"));
    } else if ((why = encode_plugin_vector(v, &h, d, &n)) != NULL) {
        return why;
    }
    return same_bytes(d, n, hex);
}

/* A split sample's fragments, concatenated, are the encoding of the whole tree (built in build_split_sample). */
static const char *sample_vector(const struct vectors *vs, const struct vector *last)
{
    unsigned char whole[2 * MAX_DATAGRAM];
    size_t len = 0, i;
    struct tree t;
    const char *why;

    for (i = 0; i < vs->count; i++) {
        const struct vector *v = &vs->v[i];
        const char *plugin = get(v, "plugin"), *fragment = get(v, "fragment");
        long n;
        if (plugin == NULL || fragment == NULL || strcmp(plugin, get(last, "plugin")) != 0 ||
            strtoull(get(v, "seq"), NULL, 10) - strtoull(get(v, "part"), NULL, 10) !=
                strtoull(get(last, "seq"), NULL, 10) - strtoull(get(last, "part"), NULL, 10))
            continue;
        if ((n = from_hex(fragment, whole + len, sizeof whole - len)) < 0)
            return "bad fragment";
        len += (size_t)n;
    }
    tree_init(&t);
    build_split_sample(&t);
    why = tree_error(&t);
    if (why == NULL && (t.b.len != len || memcmp(t.b.p, whole, len) != 0))
        why = "the fragments are not the encoding of the tree written out in build_split_sample";
    tree_free(&t);
    return why;
}

static int is_ack_vector(const struct vector *v)
{
    const char *type = get(v, "type"), *hex = get(v, "hex");

    return (type != NULL && strcmp(type, "ack") == 0) || (hex != NULL && strlen(hex) >= 8 && strncmp(hex + 6, "05", 2) == 0);
}

static const char *ack_vector(const struct vector *v)
{
    static unsigned char d[4096];
    unsigned char key_bytes[KEY_LEN];
    const unsigned char *key;
    const char *valid = get(v, "valid"), *reason = get(v, "reason");
    struct ack a;
    enum refusal r;
    long n = from_hex(get(v, "hex") ? get(v, "hex") : "", d, sizeof d);
    size_t i, k = 0;

    if (n < 0 || valid == NULL || vector_key(v, key_bytes, &key) != 0)
        return "bad hex, key or valid field";
    r = decode_ack(d, (size_t)n, key, &a);
    if (strcmp(valid, "1") != 0) {
        if (r == ACCEPTED)
            return problem("accepted an invalid ACK (%s)", reason ? reason : "?");
        return reason == NULL || strcmp(refusal_names[r], reason) == 0
                   ? NULL
                   : problem("reason is %s, expected %s", refusal_names[r], reason);
    }
    if (r != ACCEPTED)
        return problem("refused a valid ACK: %s", refusal_names[r]);
    if (a.seq != strtoull(get(v, "seq"), NULL, 10) || a.time_ms != strtoll(get(v, "time_ms"), NULL, 10))
        return problem("seq %llu time_ms %lld differ from the vector's", (unsigned long long)a.seq, (long long)a.time_ms);
    for (i = 0; i < v->n; i++) {
        char text[600];
        const struct command *c = &a.cmd[k];
        if (strcmp(v->field[i], "command") != 0)
            continue;
        if (k == a.count)
            return "fewer commands than the vector has";
        snprintf(text, sizeof text, c->arg_len ? "%lu %.*s %.*s" : "%lu %.*s", (unsigned long)c->id,
                 (int)c->name_len, (const char *)c->name, (int)c->arg_len, (const char *)c->arg);
        if (strcmp(text, v->value[i]) != 0)
            return problem("command %zu is '%s', expected '%s'", k, text, v->value[i]);
        k++;
    }
    return k == a.count ? NULL : "more commands than the vector has";
}

static const char *not_an_ack_vector(const struct vector *v)
{
    static unsigned char d[4096];
    unsigned char key_bytes[KEY_LEN];
    const unsigned char *key;
    long n = from_hex(get(v, "hex") ? get(v, "hex") : "", d, sizeof d);
    struct ack a;

    if (n < 0 || vector_key(v, key_bytes, &key) != 0)
        return "bad hex or key";
    if (decode_ack(d, (size_t)n, NULL, &a) == ACCEPTED || (key && decode_ack(d, (size_t)n, key, &a) == ACCEPTED))
        return problem("decoded as an ACK with seq %llu", (unsigned long long)a.seq);
    return NULL;
}

static int is_client_type(const char *type)
{
    return type != NULL && (strcmp(type, "heartbeat") == 0 || strcmp(type, "boot") == 0 ||
                            strcmp(type, "plugin_data") == 0 || strcmp(type, "plugin_error") == 0);
}

static void vector_checks(const struct vectors *vs)
{
    size_t i;

    for (i = 0; i < vs->count; i++) {
        const struct vector *v = &vs->v[i];
        const char *valid = get(v, "valid");
        if (valid != NULL && strcmp(valid, "1") == 0 && is_client_type(get(v, "type"))) {
            reportf(encode_vector(v), "encode %s", v->name);
            if (get(v, "sample_value") != NULL)
                reportf(sample_vector(vs, v), "sample %s", v->name);
        }
        if (is_ack_vector(v))
            reportf(ack_vector(v), "ack %s", v->name);
        else
            reportf(not_an_ack_vector(v), "not an ack %s", v->name);
    }
}

/* ------------------------------------------------------------------ SHA-256 and HMAC-SHA256 */

static const char *digest_is(const unsigned char *digest, size_t n, const char *hex)
{
    char got[65];

    to_hex(digest, n, got);
    return strcmp(got, hex) == 0 ? NULL : problem("digest %s, expected %s", got, hex);
}

static void sha256_checks(void)
{
    static const struct {
        const char *name, *message, *digest;
    } cases[] = {
        {"abc", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"empty", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"448 bits", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"896 bits",
         "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopq"
         "rstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    static const char million_a[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    unsigned char digest[32], chunk[1000];
    struct sha256 s;
    size_t i, done;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sha256(cases[i].message, strlen(cases[i].message), digest);
        reportf(digest_is(digest, 32, cases[i].digest), "sha256 fips 180-2 %s", cases[i].name);
    }
    memset(chunk, 'a', sizeof chunk);
    sha256_init(&s);
    for (i = 0; i < 1000; i++)
        sha256_update(&s, chunk, sizeof chunk);
    sha256_final(&s, digest);
    report("sha256 fips 180-2 one million a", digest_is(digest, 32, million_a));
    sha256_init(&s); /* odd-sized pieces cross the 64-byte block boundaries everywhere */
    for (done = 0, i = 1; done < 1000000; done += i, i = i % 131 + 1)
        sha256_update(&s, chunk, i < 1000000 - done ? i : 1000000 - done);
    sha256_final(&s, digest);
    report("sha256 one million a in uneven pieces", digest_is(digest, 32, million_a));
}

static void hmac_checks(void)
{
    static const char *const digests[7] = {
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
        "a3b6167473100ee06e0c796c2955552b", /* test case 5 compares the first 128 bits */
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"};
    static const char *const texts[7] = {
        "Hi There", "what do ya want for nothing?", NULL, NULL, "Test With Truncation",
        "Test Using Larger Than Block-Size Key - Hash Key First",
        "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
        "hashed before being used by the HMAC algorithm."};
    unsigned char key[131], data[50], mac[32];
    size_t key_len, data_len;
    int i;

    for (i = 0; i < 7; i++) {
        key_len = i == 1 ? 4 : i == 3 ? 25 : i >= 5 ? 131 : 20;
        if (i == 1)
            memcpy(key, "Jefe", 4);
        else if (i == 3)
            for (key_len = 0; key_len < 25; key_len++)
                key[key_len] = (unsigned char)(key_len + 1);
        else
            memset(key, i == 0 ? 0x0b : i == 4 ? 0x0c : 0xaa, key_len);
        data_len = texts[i] != NULL ? strlen(texts[i]) : 50;
        memset(data, i == 2 ? 0xdd : 0xcd, sizeof data);
        hmac_sha256(key, key_len, texts[i] != NULL ? (const unsigned char *)texts[i] : data, data_len, mac);
        reportf(digest_is(mac, i == 4 ? 16 : 32, digests[i]), "hmac-sha256 rfc 4231 test case %d", i + 1);
    }
}

/* ------------------------------------------------------------------ a client whose datagrams are recorded */

#define MAX_RECORDED 256

static unsigned char recorded[MAX_RECORDED][MAX_DATAGRAM];
static size_t recorded_len[MAX_RECORDED], nrecorded;

static int record(struct client *c, struct server *s, const unsigned char *d, size_t n)
{
    (void)c, (void)s;
    if (nrecorded < MAX_RECORDED) {
        memcpy(recorded[nrecorded], d, n);
        recorded_len[nrecorded] = n;
    }
    nrecorded++;
    return 0;
}

static const unsigned char KEY[KEY_LEN] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15,
                                           16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};
static const unsigned char OTHER_KEY[KEY_LEN] = {32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
                                                 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63};

static void test_client(struct client *c, const char *host, const unsigned char *key, int boot, size_t nservers)
{
    size_t i;

    client_init(c);
    snprintf(c->host, sizeof c->host, "%s", host);
    if (key != NULL) {
        memcpy(c->key_bytes, key, KEY_LEN);
        c->key = c->key_bytes;
    }
    c->boot = boot;
    c->send = record;
    for (i = 0; i < nservers; i++) {
        if (add_server(c, "srv", 3, "50003") != 0)
            abort();
        c->servers[i].must_resolve = 0; /* no name look-ups in a unit test */
    }
    nrecorded = 0;
}

struct sent_heartbeat {
    unsigned type;
    uint64_t seq;
    uint32_t interval_ms, rtt_us, cmd_done;
};

static uint64_t be(const unsigned char *p, int n)
{
    uint64_t v = 0;

    while (n-- > 0)
        v = v << 8 | *p++;
    return v;
}

static struct sent_heartbeat fields_of(size_t index)
{
    const unsigned char *d = recorded[index];
    struct sent_heartbeat h;
    size_t n = d[5];

    h.type = d[3];
    h.seq = be(d + 6, 8);
    h.interval_ms = (uint32_t)be(d + 22 + n, 4);
    h.rtt_us = (uint32_t)be(d + 26 + n, 4);
    h.cmd_done = (uint32_t)be(d + 30 + n, 4);
    return h;
}

static struct sent_heartbeat heartbeat(struct client *c, int64_t now)
{
    send_heartbeat(c, &c->servers[0], now);
    return fields_of(nrecorded - 1);
}

struct test_command {
    uint32_t id;
    const char *name, *arg;
};

/* An ACK written here from PROTOCOL.md section 5, independently of hbc_mini's decoder. */
static size_t make_ack(unsigned char *out, uint64_t seq, const struct test_command *cmds, size_t ncmds,
                       const unsigned char *key)
{
    size_t n = 0, i;
    int k;

    memcpy(out, "HB\x01\x05", 4);
    out[4] = key != NULL;
    out[5] = 0;
    for (k = 0; k < 8; k++)
        out[6 + k] = (unsigned char)(seq >> (56 - 8 * k));
    memcpy(out + 14, "\x00\x00\x01\x9a\xbd\x75\xb8\x7d", 8);
    out[22] = (unsigned char)ncmds;
    n = 23;
    for (i = 0; i < ncmds; i++) {
        for (k = 0; k < 4; k++)
            out[n++] = (unsigned char)(cmds[i].id >> (24 - 8 * k));
        out[n++] = (unsigned char)strlen(cmds[i].name);
        memcpy(out + n, cmds[i].name, strlen(cmds[i].name));
        n += strlen(cmds[i].name);
        out[n++] = (unsigned char)strlen(cmds[i].arg);
        memcpy(out + n, cmds[i].arg, strlen(cmds[i].arg));
        n += strlen(cmds[i].arg);
    }
    if (key != NULL) {
        hmac_sha256(key, KEY_LEN, out, n, out + n);
        n += MAC_LEN;
    }
    return n;
}

static enum refusal ack_from(struct client *c, size_t server, uint64_t seq, const struct test_command *cmds,
                             size_t ncmds, const unsigned char *key, int64_t now)
{
    unsigned char d[MAX_DATAGRAM];

    return handle_datagram(c, &c->servers[server], d, make_ack(d, seq, cmds, ncmds, key), now);
}

static enum refusal ack(struct client *c, uint64_t seq, const struct test_command *cmds, size_t ncmds,
                        const unsigned char *key, int64_t now)
{
    return ack_from(c, 0, seq, cmds, ncmds, key, now);
}

#define MS INT64_C(1000000)
#define SEC INT64_C(1000000000)

/* ------------------------------------------------------------------ unit checks of the client */

static const char *seq_start(void)
{
    struct client c;
    uint64_t before = (uint64_t)(clock_ns(CLOCK_REALTIME) / 1000), after, first, second;

    test_client(&c, "web1", NULL, 0, 1);
    after = (uint64_t)(clock_ns(CLOCK_REALTIME) / 1000);
    first = take_seqs(&c, 1);
    second = take_seqs(&c, 3);
    client_free(&c);
    if (first < before || first > after)
        return problem("first seq %llu not in [%llu, %llu]", (unsigned long long)first, (unsigned long long)before,
                       (unsigned long long)after);
    return second == first + 1 ? NULL : "seqs are not consecutive";
}

static const char *seq_per_datagram(void)
{
    struct client c;
    unsigned char tree[] = {'m', 0, 1, 0, 1, 'x', 'T'};
    size_t i;
    const char *why = NULL;

    test_client(&c, "web1", NULL, 0, 2);
    heartbeat_all(&c, SEC);
    send_sample(&c, "cpu_monitor", 1, tree, sizeof tree);
    for (i = 1; i < nrecorded && why == NULL; i++)
        if (be(recorded[i] + 6, 8) != be(recorded[0] + 6, 8) + i)
            why = problem("datagram %zu has seq %llu", i, (unsigned long long)be(recorded[i] + 6, 8));
    client_free(&c);
    return nrecorded != 4 ? problem("%zu datagrams sent, expected 4", nrecorded) : why;
}

static const char *first_heartbeat(void)
{
    struct client c;
    struct sent_heartbeat h;

    test_client(&c, "web1", NULL, 0, 1);
    h = heartbeat(&c, SEC);
    client_free(&c);
    return h.type == HEARTBEAT && h.interval_ms == 20000 && h.rtt_us == NO_RTT && h.cmd_done == 0
               ? NULL
               : problem("type %u interval %u rtt %u cmd_done %u", h.type, h.interval_ms, h.rtt_us, h.cmd_done);
}

static const char *boot_first(void)
{
    struct client c;
    unsigned first, second;
    int64_t boot_time;

    test_client(&c, "web1", NULL, 1, 1);
    first = heartbeat(&c, SEC).type;
    second = heartbeat(&c, 2 * SEC).type;
    boot_time = to_i64(be(recorded[0] + recorded_len[0] - 8, 8));
    client_free(&c);
    if (first != BOOT || second != HEARTBEAT)
        return problem("types %u then %u", first, second);
    if (access("/proc/uptime", R_OK) == 0 && (boot_time <= 0 || boot_time > now_ms()))
        return problem("boot_time_ms %lld", (long long)boot_time);
    return NULL;
}

static const char *silent_server(void)
{
    struct client c;
    struct server *s;
    int answering[7], i, answering_after_ack;
    unsigned resolved;
    unsigned long unanswered_after_ack;

    test_client(&c, "web1", NULL, 0, 0);
    if (add_server(&c, "127.0.0.1", 9, "50003") != 0)
        return "out of memory";
    s = &c.servers[0];
    for (i = 0; i < 7; i++) {
        heartbeat_all(&c, (i + 1) * SEC);
        answering[i] = s->answering;
    }
    resolved = s->next_address;
    ack(&c, be(recorded[nrecorded - 1] + 6, 8), NULL, 0, NULL, 8 * SEC);
    answering_after_ack = s->answering;
    unanswered_after_ack = s->unanswered;
    client_free(&c);
    if (resolved != 3)
        return problem("resolved %u times, expected 3 (at the start, after 3 and after 6 unanswered)", resolved);
    for (i = 0; i < 7; i++)
        if (answering[i] != (i < 3 ? -1 : 0))
            return problem("answering is %d after heartbeat %d", answering[i], i + 1);
    return answering_after_ack == 1 && unanswered_after_ack == 0 ? NULL : "an ACK did not make it answer again";
}

static const char *unknown_seq(void)
{
    static const struct test_command ping = {1, "ping", ""};
    struct client c;
    enum refusal r;
    uint64_t seq;
    uint32_t done;

    test_client(&c, "web1", NULL, 0, 1);
    seq = heartbeat(&c, SEC).seq;
    r = ack(&c, seq + 1000, &ping, 1, NULL, SEC + MS);
    done = c.servers[0].cmd_done;
    client_free(&c);
    return r == UNKNOWN_SEQ && done == 0 && nrecorded == 1 ? NULL : problem("%s, cmd_done %u", refusal_names[r], done);
}

static const char *duplicate_ack(void)
{
    struct client c;
    enum refusal first, second;
    uint64_t seq;
    uint32_t rtt;

    test_client(&c, "web1", NULL, 0, 1);
    seq = heartbeat(&c, SEC).seq;
    first = ack(&c, seq, NULL, 0, NULL, SEC + 1500000);
    second = ack(&c, seq, NULL, 0, NULL, 2 * SEC);
    rtt = c.servers[0].rtt_us;
    client_free(&c);
    return first == ACCEPTED && second == UNKNOWN_SEQ && rtt == 1500
               ? NULL
               : problem("%s then %s, rtt %u", refusal_names[first], refusal_names[second], rtt);
}

static const char *rtt_reported(void)
{
    struct client c;
    uint32_t rtt;

    test_client(&c, "web1", NULL, 0, 1);
    ack(&c, heartbeat(&c, SEC).seq, NULL, 0, NULL, SEC + 2500000);
    rtt = heartbeat(&c, 2 * SEC).rtt_us;
    client_free(&c);
    return rtt == 2500 ? NULL : problem("rtt_us %u, expected 2500", rtt);
}

static const char *late_ack(void)
{
    struct client c;
    uint64_t first = 0;
    enum refusal r;
    int i;

    test_client(&c, "web1", NULL, 0, 1);
    for (i = 0; i < 3; i++) {
        uint64_t seq = heartbeat(&c, (i + 1) * SEC).seq;
        first = i == 0 ? seq : first;
    }
    r = ack(&c, first, NULL, 0, NULL, 4 * SEC);
    client_free(&c);
    return r == ACCEPTED ? NULL : refusal_names[r];
}

static const char *outstanding_limited(void)
{
    struct client c;
    uint64_t seqs[OUTSTANDING + 1];
    enum refusal oldest, next;
    int i;

    test_client(&c, "web1", NULL, 0, 1);
    for (i = 0; i <= OUTSTANDING; i++)
        seqs[i] = heartbeat(&c, (i + 1) * SEC).seq;
    oldest = ack(&c, seqs[0], NULL, 0, NULL, 20 * SEC);
    next = ack(&c, seqs[1], NULL, 0, NULL, 20 * SEC);
    client_free(&c);
    return oldest == UNKNOWN_SEQ && next == ACCEPTED ? NULL
                                                      : problem("%s, %s", refusal_names[oldest], refusal_names[next]);
}

static const char *command_dedupe(void)
{
    static const struct test_command ping = {1, "ping", ""};
    struct client c;
    struct sent_heartbeat pinged;
    size_t after_first;
    uint32_t done;

    test_client(&c, "web1", NULL, 0, 1);
    ack(&c, heartbeat(&c, SEC).seq, &ping, 1, NULL, SEC + MS);
    after_first = nrecorded;
    pinged = fields_of(nrecorded - 1);
    ack(&c, pinged.seq, &ping, 1, NULL, SEC + 2 * MS);
    done = c.servers[0].cmd_done;
    client_free(&c);
    if (after_first != 2 || pinged.cmd_done != 1)
        return problem("%zu datagrams after the ping, cmd_done %u", after_first, pinged.cmd_done);
    return nrecorded == 2 && done == 1 ? NULL : problem("the same ping ran again (%zu datagrams)", nrecorded);
}

static const char *two_pings(void)
{
    static const struct test_command pings[2] = {{1, "ping", ""}, {2, "ping", ""}};
    struct client c;
    uint32_t done;

    test_client(&c, "web1", NULL, 0, 1);
    ack(&c, heartbeat(&c, SEC).seq, pings, 2, NULL, SEC + MS);
    done = fields_of(nrecorded - 1).cmd_done;
    client_free(&c);
    return nrecorded == 2 && done == 2 ? NULL : problem("%zu datagrams, cmd_done %u", nrecorded, done);
}

static const char *set_interval_cases(void)
{
    static const struct test_command cmds[6] = {{2, "set-interval", "30"},    {3, "set-interval", "0"},
                                                {4, "set-interval", "abc"},   {5, "set-interval", "86401"},
                                                {6, "set-interval", "-5"},    {7, "set-interval", ""}};
    struct client c;
    int64_t intervals[6], next;
    uint32_t announced, done;
    int i;

    test_client(&c, "web1", NULL, 0, 1);
    c.next_heartbeat = 21 * SEC;
    for (i = 0; i < 6; i++) {
        ack(&c, heartbeat(&c, SEC).seq, &cmds[i], 1, NULL, SEC + MS);
        intervals[i] = c.interval_ms;
    }
    announced = heartbeat(&c, 2 * SEC).interval_ms;
    next = c.next_heartbeat;
    done = c.servers[0].cmd_done;
    client_free(&c);
    for (i = 0; i < 6; i++)
        if (intervals[i] != 30000)
            return problem("interval %lld ms after command %d", (long long)intervals[i], i);
    return done == 7 && announced == 30000 && next == SEC + MS
               ? NULL
               : problem("cmd_done %u, announced %u, next heartbeat %lld (expected at once)", done, announced,
                         (long long)next);
}

static const char *unknown_command(void)
{
    static const struct test_command cmd = {9, "reboot-now", "please"};
    struct client c;
    uint32_t done;

    test_client(&c, "web1", NULL, 0, 1);
    ack(&c, heartbeat(&c, SEC).seq, &cmd, 1, NULL, SEC + MS);
    done = c.servers[0].cmd_done;
    client_free(&c);
    return done == 9 && nrecorded == 1 ? NULL : problem("cmd_done %u, %zu datagrams", done, nrecorded);
}

static const char *signed_client(void)
{
    static const struct test_command ping = {1, "ping", ""}, ping2 = {2, "ping", ""};
    struct client c;
    enum refusal r[5];
    uint64_t seq;
    uint32_t done;
    size_t i;

    test_client(&c, "web1", KEY, 0, 1);
    seq = heartbeat(&c, SEC).seq;
    r[0] = ack(&c, seq, &ping, 1, NULL, SEC + MS);
    r[1] = ack(&c, seq, &ping, 1, OTHER_KEY, SEC + MS);
    r[2] = ack(&c, seq + 1, &ping, 1, KEY, SEC + MS);
    r[3] = ack(&c, seq, &ping, 1, KEY, SEC + MS);
    r[4] = ack(&c, seq, &ping2, 1, KEY, SEC + MS);
    done = c.servers[0].cmd_done;
    client_free(&c);
    if (r[0] != BAD_MAC || r[1] != BAD_MAC || r[2] != UNKNOWN_SEQ || r[3] != ACCEPTED || r[4] != UNKNOWN_SEQ)
        return problem("results %s %s %s %s %s", refusal_names[r[0]], refusal_names[r[1]], refusal_names[r[2]],
                       refusal_names[r[3]], refusal_names[r[4]]);
    for (i = 0; i < nrecorded; i++)
        if (recorded[i][4] != FLAG_SIGNED || recorded_len[i] != 70)
            return "an unsigned datagram was sent";
    return done == 1 ? NULL : problem("cmd_done %u", done);
}

/* Two servers number their commands independently: id 1 from each is run, and each is reported to its own
 * server (section 7). */
static const char *command_ids_per_server(void)
{
    static const struct test_command ping = {1, "ping", ""};
    struct client c;
    uint64_t seq_a, seq_b;
    uint32_t done_a, done_b;
    size_t before;

    test_client(&c, "web1", NULL, 0, 2);
    heartbeat_all(&c, SEC);
    seq_a = fields_of(0).seq;
    seq_b = fields_of(1).seq;
    before = nrecorded;
    ack_from(&c, 0, seq_a, &ping, 1, NULL, SEC + MS);
    ack_from(&c, 1, seq_b, &ping, 1, NULL, SEC + MS);
    done_a = c.servers[0].cmd_done;
    done_b = c.servers[1].cmd_done;
    client_free(&c);
    if (before != 2 || nrecorded != 4)
        return problem("%zu datagrams before, %zu after the two pings", before, nrecorded);
    return done_a == 1 && done_b == 1 ? NULL : problem("cmd_done %u and %u", done_a, done_b);
}

/* The first heartbeat goes out at once, the second after half to one interval, then one every interval. */
static const char *second_heartbeat_jittered(void)
{
    struct client c;
    int64_t second_lo, second_hi, third;

    test_client(&c, "web1", NULL, 0, 1);
    c.interval_ms = 20000;
    c.next_heartbeat = 100 * SEC;
    heartbeat_all(&c, 100 * SEC);
    second_lo = next_heartbeat_after(&c, 100 * SEC, 0);
    second_hi = next_heartbeat_after(&c, 100 * SEC, UINT64_MAX);
    c.next_heartbeat = second_lo;
    heartbeat_all(&c, second_lo);
    third = next_heartbeat_after(&c, second_lo, 12345);
    client_free(&c);
    if (second_lo < 110 * SEC || second_hi > 120 * SEC || second_hi < second_lo)
        return problem("second heartbeat between %lld and %lld ns", (long long)second_lo, (long long)second_hi);
    return third == second_lo + 20 * SEC ? NULL : problem("third heartbeat at %lld", (long long)third);
}

static const char *no_non_finite(void)
{
    const double bad[3] = {NAN, INFINITY, -INFINITY};
    struct tree t;
    int i, where;

    for (i = 0; i < 3; i++) {
        for (where = 0; where < 3; where++) {
            tree_init(&t);
            tv_map(&t);
            tv_key(&t, "x");
            if (where > 0)
                (where == 1 ? tv_list : tv_map)(&t);
            if (where == 2)
                tv_key(&t, "y");
            if (where == 1)
                tv_double(&t, 1.0);
            tv_double(&t, bad[i]);
            if (where > 0)
                tv_end(&t);
            tv_end(&t);
            if (tree_error(&t) == NULL) {
                tree_free(&t);
                return problem("encoded a tree with %g", bad[i]);
            }
            tree_free(&t);
        }
    }
    return NULL;
}

static const char *non_finite_becomes_error(void)
{
    struct client c;
    struct tree t;
    unsigned type;

    test_client(&c, "web1", NULL, 0, 1);
    tree_init(&t);
    tv_map(&t);
    tv_key(&t, "cpu_percent");
    tv_double(&t, NAN);
    tv_end(&t);
    send_tree(&c, "cpu_monitor", 1, &t, NULL);
    tree_free(&t);
    type = nrecorded == 1 ? recorded[0][3] : 0;
    client_free(&c);
    return type == PLUGIN_ERROR ? NULL : problem("%zu datagrams, first of type %u", nrecorded, type);
}

static const char *tree_misuse(void)
{
    struct tree t;
    const char *why = NULL;
    int i;

    tree_init(&t);
    tv_int(&t, 1); /* the root must be a map */
    if (tree_error(&t) == NULL)
        why = "a scalar root was accepted";
    tree_free(&t);
    tree_init(&t);
    for (i = 0; i < 17; i++) {
        tv_map(&t);
        tv_key(&t, "a");
    }
    if (why == NULL && tree_error(&t) == NULL)
        why = "17 levels of nesting were accepted";
    tree_free(&t);
    tree_init(&t);
    tv_map(&t);
    tv_int(&t, 1);
    if (why == NULL && tree_error(&t) == NULL)
        why = "a map value without a key was accepted";
    tree_free(&t);
    tree_init(&t);
    tv_map(&t);
    tv_key(&t, "");
    if (why == NULL && tree_error(&t) == NULL)
        why = "an empty key was accepted";
    tree_free(&t);
    tree_init(&t);
    tv_map(&t);
    tv_key(&t, "s");
    tv_str(&t, "\xc3\x28");
    tv_end(&t);
    if (why == NULL && tree_error(&t) == NULL)
        why = "an invalid UTF-8 string was accepted";
    tree_free(&t);
    return why;
}

/* ------------------------------------------------------------------ checking what the collectors produce */

struct walk {
    const unsigned char *d;
    size_t n, pos;
    const char *error;
};

static int walk_need(struct walk *w, size_t k)
{
    if (w->error == NULL && k > w->n - w->pos)
        w->error = "truncated";
    return w->error == NULL;
}

/* Decodes one value strictly (section 6.1); sets w->error on anything a server would refuse. */
static void walk_value(struct walk *w, int depth)
{
    unsigned char tag;
    size_t count, i, j, *keys = NULL, *key_len = NULL;
    double x;

    if (!walk_need(w, 1))
        return;
    tag = w->d[w->pos++];
    if (tag == 'T' || tag == 'F')
        return;
    if (tag == 'i' || tag == 'd') {
        if (walk_need(w, 8) && tag == 'd') {
            uint64_t bits = be(w->d + w->pos, 8);
            memcpy(&x, &bits, sizeof x);
            if (!isfinite(x))
                w->error = "non-finite number";
        }
        w->pos += w->error == NULL ? 8 : 0;
        return;
    }
    if (!walk_need(w, 2))
        return;
    count = (size_t)be(w->d + w->pos, 2);
    w->pos += 2;
    if (tag == 's') {
        if (walk_need(w, count) && !utf8_valid(w->d + w->pos, count))
            w->error = "invalid UTF-8";
        w->pos += w->error == NULL ? count : 0;
        return;
    }
    if ((tag != 'l' && tag != 'm') || depth > MAX_DEPTH) {
        w->error = tag != 'l' && tag != 'm' ? "bad tag" : "too deep";
        return;
    }
    if (tag == 'm' && ((keys = malloc((count + 1) * sizeof *keys)) == NULL ||
                       (key_len = malloc((count + 1) * sizeof *key_len)) == NULL))
        w->error = "out of memory";
    for (i = 0; i < count && w->error == NULL; i++) {
        if (tag == 'm' && walk_need(w, 2)) {
            key_len[i] = (size_t)be(w->d + w->pos, 2);
            keys[i] = w->pos + 2;
            w->pos += 2;
            if (walk_need(w, key_len[i]) && (key_len[i] == 0 || !utf8_valid(w->d + keys[i], key_len[i])))
                w->error = "empty or invalid key";
            for (j = 0; j < i && w->error == NULL; j++)
                if (key_len[j] == key_len[i] && memcmp(w->d + keys[j], w->d + keys[i], key_len[i]) == 0)
                    w->error = "duplicate key";
            w->pos += w->error == NULL ? key_len[i] : 0;
        }
        if (w->error == NULL)
            walk_value(w, depth + 1);
    }
    free(keys);
    free(key_len);
}

/* Whether the encoded key appears in the tree (a key in any map, as a test's rough look-up). */
static int has_key(const struct tree *t, const char *key)
{
    size_t n = strlen(key), i;

    for (i = 0; i + 2 + n <= t->b.len; i++)
        if (be(t->b.p + i, 2) == n && memcmp(t->b.p + i + 2, key, n) == 0)
            return 1;
    return 0;
}

static const char *valid_tree(const struct tree *t, const char *const *keys)
{
    struct walk w;

    if (tree_error(t) != NULL)
        return tree_error(t);
    w.d = t->b.p, w.n = t->b.len, w.pos = 0, w.error = NULL;
    if (w.n == 0 || w.d[0] != 'm')
        return "root is not a map";
    walk_value(&w, 1);
    if (w.error == NULL && w.pos != w.n)
        w.error = "trailing bytes";
    if (w.error != NULL)
        return w.error;
    for (; *keys != NULL; keys++)
        if (!has_key(t, *keys))
            return problem("no key %s", *keys);
    return NULL;
}

static const char *cpu_collector(void)
{
    static const char *const linux_keys[] = {"cpu_percent", "per_cpu_percent", "load_1", "load_5", "load_15",
                                             "cores", NULL};
    struct cpu_monitor m = {NULL, 0};
    struct timespec pause = {0, 200000000};
    struct tree t;
    const char *why;

    tree_init(&t);
    why = cpu_tree(&m, &t);
    tree_free(&t);
    nanosleep(&pause, NULL);
    tree_init(&t);
    if (why == NULL && (why = cpu_tree(&m, &t)) == NULL)
        why = valid_tree(&t, access("/proc/stat", R_OK) == 0 ? linux_keys : linux_keys + 2);
    tree_free(&t);
    free(m.times);
    return why;
}

static const char *memory_collector(void)
{
    static const char *const keys[] = {"total", "available", "used", "percent", "swap", NULL};
    struct tree t;
    const char *why;

    tree_init(&t);
    if ((why = memory_tree(&t)) == NULL)
        why = valid_tree(&t, access("/proc/meminfo", R_OK) == 0 ? keys : keys + 4);
    tree_free(&t);
    return why;
}

static const char *disk_collector(void)
{
    static const char *const keys[] = {"partitions", "/", "total", "used", "free", "percent", "readonly", NULL};
    struct tree t;
    const char *why;

    tree_init(&t);
    if ((why = disk_tree(&t)) == NULL)
        why = valid_tree(&t, keys);
    tree_free(&t);
    return why;
}

static const char *disk_child_result(void)
{
    struct client c;
    struct disk_job job = {0, -1, 0, 0, {NULL, 0, 0, 0, 0, NULL}};
    struct pollfd p;
    int64_t give_up = mono_ns() + 10 * SEC;
    unsigned type = 0;

    test_client(&c, "web1", NULL, 0, 1);
    disk_start(&c, &job, mono_ns());
    while (job.fd >= 0 && mono_ns() < give_up) {
        p.fd = job.fd, p.events = POLLIN;
        if (poll(&p, 1, 1000) > 0)
            disk_read(&c, &job);
    }
    while (job.pid != 0 && mono_ns() < give_up)
        disk_reap(&job);
    if (nrecorded > 0)
        type = recorded[0][3];
    disk_close(&job);
    client_free(&c);
    return type == PLUGIN_DATA && job.pid == 0 ? NULL : problem("first datagram of type %u, child %ld", type, (long)job.pid);
}

static const char *disk_still_running(void)
{
    struct client c;
    struct cpu_monitor cpu = {NULL, 0};
    struct disk_job job = {0, -1, 0, 0, {NULL, 0, 0, 0, 0, NULL}};
    unsigned types[3] = {0, 0, 0};
    int p[2], status = 0, killed, i;
    pid_t pid;

    if (pipe(p) != 0)
        return problem("pipe: %s", strerror(errno));
    if ((pid = fork()) < 0)
        return problem("fork: %s", strerror(errno));
    if (pid == 0) { /* stands for a statvfs() hung on a dead mount */
        close(p[0]);
        pause();
        _exit(0);
    }
    close(p[1]);
    test_client(&c, "web1", NULL, 0, 1);
    job.pid = pid, job.fd = p[0], job.started = mono_ns() - 75 * SEC;
    buf_dynamic(&job.out, 16);
    collect_plugins(&c, &cpu, &job, mono_ns());
    killed = waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    for (i = 0; i < 3 && (size_t)i < nrecorded; i++)
        types[i] = recorded[i][3];
    free(cpu.times);
    client_free(&c);
    if (nrecorded != 3 || types[0] != PLUGIN_DATA || types[1] != PLUGIN_DATA || types[2] != PLUGIN_ERROR)
        return problem("%zu datagrams of types %u %u %u", nrecorded, types[0], types[1], types[2]);
    return killed && job.fd == -1 ? NULL : "the hung collector was not killed and closed";
}

static const char *disk_mount_rules(void)
{
    struct mounts ms = {NULL, 0, 0}, stacked = {NULL, 0, 0};
    struct tree t, top;
    const char *why = NULL;

    if (add_mount(&ms, "/dev/a", "/", "ext4") || add_mount(&ms, "proc", "/proc", "proc") ||
        add_mount(&ms, "/dev/a", "/usr", "ext4") || add_mount(&ms, "/dev/b", "/nonexistent-hbc-mini-test", "ext4") ||
        add_mount(&ms, "tmpfs", "/tmp", "tmpfs") || add_mount(&stacked, "/dev/a", "/", "ext4") ||
        add_mount(&stacked, "/dev/c", "/", "xfs"))
        why = "out of memory";
    tree_init(&t);
    tree_init(&top);
    if (why == NULL) {
        disk_tree_of(&ms, &t);
        disk_tree_of(&stacked, &top);
        if (tree_error(&t) != NULL || tree_error(&top) != NULL)
            why = "a tree is invalid";
        else if (!has_key(&t, "/") || has_key(&t, "/usr") || has_key(&t, "/proc") || has_key(&t, "/tmp") ||
                 has_key(&t, "/nonexistent-hbc-mini-test"))
            why = "wrong mount points reported";
        else if (!has_key(&top, "xfs") || has_key(&top, "ext4"))
            why = "the lower of two stacked mounts was reported";
    }
    tree_free(&t);
    tree_free(&top);
    free_mounts(&ms);
    free_mounts(&stacked);
    return why;
}

static const char *mount_unescape(void)
{
    char field[] = "/mnt/my\\040disk\\134x\\9";

    return strcmp(unescape_mount_field(field), "/mnt/my disk\\x\\9") == 0 ? NULL : problem("got '%s'", field);
}

/* ------------------------------------------------------------------ splitting and plugin errors */

static const char *split_large(void)
{
    struct client c;
    struct tree t;
    char key[16], host[61];
    static unsigned char joined[MAX_SAMPLE];
    size_t p = 22 + 60 + 4 + 1 + strlen("big_plugin"), len = 0, i;
    const char *why = NULL;

    memset(host, 'w', 60);
    host[60] = '\0';
    test_client(&c, host, KEY, 0, 1);
    tree_init(&t);
    tv_map(&t);
    for (i = 0; i < 400; i++) {
        snprintf(key, sizeof key, "k%04zu", i);
        tv_key(&t, key);
        tv_double(&t, (double)i * 1.5);
    }
    tv_end(&t);
    send_sample(&c, "big_plugin", 7, t.b.p, t.b.len);
    for (i = 0; i < nrecorded && why == NULL; i++) {
        const unsigned char *d = recorded[i];
        if (d[p] != i || d[p + 1] != nrecorded || be(d + 6, 8) != be(recorded[0] + 6, 8) + i)
            why = problem("datagram %zu is part %u of %u", i, d[p], d[p + 1]);
        else if (i + 1 < nrecorded && recorded_len[i] != MAX_DATAGRAM)
            why = problem("datagram %zu has %zu bytes", i, recorded_len[i]);
        memcpy(joined + len, d + p + 2, recorded_len[i] - p - 2 - MAC_LEN);
        len += recorded_len[i] - p - 2 - MAC_LEN;
    }
    if (why == NULL && (nrecorded < 2 || len != t.b.len || memcmp(joined, t.b.p, len) != 0))
        why = "the fragments are not the tree";
    tree_free(&t);
    client_free(&c);
    return why;
}

static const char *oversized_sample(void)
{
    struct client c;
    static unsigned char tree[MAX_SAMPLE];
    unsigned type;

    test_client(&c, "web1", NULL, 0, 1);
    memset(tree, 'T', sizeof tree);
    send_sample(&c, "big_plugin", 7, tree, sizeof tree);
    type = nrecorded == 1 ? recorded[0][3] : 0;
    client_free(&c);
    return type == PLUGIN_ERROR ? NULL : problem("%zu datagrams, first of type %u", nrecorded, type);
}

static const char *error_truncated(void)
{
    struct client c;
    char message[1 + 2 * 600 + 1] = "a";
    size_t i, n = 0;

    for (i = 0; i < 600; i++)
        memcpy(message + 1 + 2 * i, "\xc3\xa9", 2);
    message[1 + 2 * 600] = '\0';
    test_client(&c, "web1", NULL, 0, 1);
    send_plugin_error(&c, "disk_monitor", message);
    if (nrecorded == 1)
        n = (size_t)be(recorded[0] + 22 + 4 + 4 + 1 + 12, 2);
    client_free(&c);
    return n == 1023 ? NULL : problem("message of %zu bytes", n);
}

static const char *garbage(void)
{
    static const struct test_command cmds[2] = {{1, "ping", ""}, {2, "set-interval", "30"}};
    unsigned char good[MAX_DATAGRAM], d[MAX_DATAGRAM + 1];
    struct client signed_c, open_c;
    uint64_t x = 42;
    size_t good_len, n, k;
    const char *why = NULL;
    int i;

    test_client(&signed_c, "web1", KEY, 0, 1);
    test_client(&open_c, "web1", NULL, 0, 1);
    heartbeat(&signed_c, SEC);
    good_len = make_ack(good, be(recorded[0] + 6, 8), cmds, 2, KEY);
    for (i = 0; i < 20000 && why == NULL; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        if (i % 2) {
            n = (size_t)(x % 81);
            for (k = 0; k < n; k++)
                d[k] = (unsigned char)(x >> (k % 8 * 8)) ^ (unsigned char)k;
        } else {
            memcpy(d, good, good_len);
            n = i % 4 == 0 ? (size_t)(x % (good_len + 1)) : good_len;
            d[(x >> 8) % good_len] ^= (unsigned char)(1 + (x >> 16) % 255);
        }
        if (handle_datagram(&signed_c, &signed_c.servers[0], d, n, SEC + MS) == ACCEPTED)
            why = problem("the signed client accepted a mangled ACK (datagram %d)", i);
        handle_datagram(&open_c, &open_c.servers[0], d, n, SEC + MS);
    }
    client_free(&signed_c);
    client_free(&open_c);
    return why;
}

/* ------------------------------------------------------------------ names, keys and the command line */

static const struct {
    const char *label, *name;
    int valid;
} host_names[] = {
    {"plain", "web1", 1},
    {"dotted", "db-2.example.com", 1},
    {"utf8", "h\xc3\xb6st-\xc3\xbcn\xc3\xaf" "code", 1},
    {"upper case", "Web1", 1},
    {"colon", "web:1", 1},
    {"four-byte character", "web-\xf0\x9f\x9a\x80", 1},
    {"empty", "", 0},
    {"space", "web 1", 0},
    {"tab", "web\t1", 0},
    {"newline", "web\n1", 0},
    {"slash", "web/1", 0},
    {"del", "web\x7f" "1", 0},
    {"c1 control", "web\xc2\x85" "1", 0},
    {"no-break space", "web\xc2\xa0" "1", 0},
    {"em space", "web\xe2\x80\x83" "1", 0},
    {"ideographic space", "web\xe3\x80\x80" "1", 0},
    {"line separator", "web\xe2\x80\xa8" "1", 0},
    {"invalid utf8", "web\xff", 0},
    {"overlong utf8", "web\xc0\xaf", 0},
    {"surrogate utf8", "web\xed\xa0\x80", 0},
    {"truncated utf8", "web\xc3", 0},
};

static void host_name_checks(void)
{
    char name[300];
    size_t i;

    for (i = 0; i < sizeof host_names / sizeof host_names[0]; i++)
        reportf((host_name_problem(host_names[i].name) == NULL) == host_names[i].valid ? NULL : "misjudged",
                "host name %s is %s", host_names[i].label, host_names[i].valid ? "valid" : "invalid");
    memset(name, 'h', 256);
    name[255] = '\0';
    report("host name 255 bytes is valid", host_name_problem(name) == NULL ? NULL : "misjudged");
    name[255] = 'h', name[256] = '\0';
    report("host name 256 bytes is invalid", host_name_problem(name) != NULL ? NULL : "misjudged");
    for (i = 0; i < 127; i++)
        memcpy(name + 2 * i, "\xc3\xa9", 2);
    name[254] = '\0';
    report("host name 254 bytes of 2-byte chars is valid", host_name_problem(name) == NULL ? NULL : "misjudged");
    memcpy(name + 254, "\xc3\xa9", 3);
    report("host name 256 bytes of 2-byte chars is invalid", host_name_problem(name) != NULL ? NULL : "misjudged");
}

static const char *encoder_refuses_bad_host(void)
{
    unsigned char d[MAX_DATAGRAM];
    struct head h = {"web 1", 1, 2, 3, NULL};

    return encode_heartbeat(d, &h, NO_RTT, 0, 0, 0) == 0 ? NULL : "encoded a heartbeat for 'web 1'";
}

static const char *key_parsing(void)
{
    char path[] = "/tmp/hbc_mini_test_key_XXXXXX", err[256];
    static const char text[] = "# host key of web1\n\n  AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=  \n";
    unsigned char key[KEY_LEN];
    int fd = mkstemp(path), ok;

    if (fd < 0)
        return problem("mkstemp: %s", strerror(errno));
    ok = write_all(fd, text, sizeof text - 1) == 0;
    close(fd);
    ok = ok && read_key_file(path, key, err, sizeof err) == 0 && memcmp(key, KEY, KEY_LEN) == 0;
    unlink(path);
    if (!ok)
        return "the key file was not read";
    if (parse_key("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw=", key) == 0 || parse_key("not base64!", key) == 0 ||
        parse_key("", key) == 0 || parse_key("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", key) == 0)
        return "a bad key was accepted";
    return NULL;
}

static const struct {
    const char *label, *spec, *host, *port;
} server_specs[] = {
    {"name", "hb.example.com", "hb.example.com", "50003"},
    {"name and port", "hb.example.com:6000", "hb.example.com", "6000"},
    {"ipv4", "192.0.2.1", "192.0.2.1", "50003"},
    {"ipv4 and port", "192.0.2.1:7", "192.0.2.1", "7"},
    {"ipv6", "2001:db8::1", "2001:db8::1", "50003"},
    {"bracketed ipv6", "[2001:db8::1]", "2001:db8::1", "50003"},
    {"bracketed ipv6 and port", "[::1]:6000", "::1", "6000"},
    {"port 0", "h:0", NULL, NULL},
    {"port 65536", "h:65536", NULL, NULL},
    {"empty port", "h:", NULL, NULL},
    {"no host", ":6000", NULL, NULL},
    {"unclosed bracket", "[::1", NULL, NULL},
    {"junk after bracket", "[::1]x", NULL, NULL},
    {"empty", "", NULL, NULL},
};

static void server_spec_checks(void)
{
    char err[256];
    size_t i;

    for (i = 0; i < sizeof server_specs / sizeof server_specs[0]; i++) {
        struct client c;
        const char *why = NULL;
        client_init(&c);
        if (parse_server(&c, server_specs[i].spec, DEFAULT_PORT, err, sizeof err) != 0) {
            if (server_specs[i].host != NULL)
                why = problem("refused: %s", err);
        } else if (server_specs[i].host == NULL) {
            why = "accepted";
        } else if (strcmp(c.servers[0].host, server_specs[i].host) != 0 ||
                   strcmp(c.servers[0].port, server_specs[i].port) != 0) {
            why = problem("parsed as %s port %s", c.servers[0].host, c.servers[0].port);
        }
        client_free(&c);
        reportf(why, "server argument %s", server_specs[i].label);
    }
}

static const struct {
    const char *label;
    const char *argv[16];
    int rc;
    size_t nservers;
    int64_t interval_ms, plugin_interval_ms;
} argument_cases[] = {
    {"defaults", {"-n", "web1", "srv"}, 0, 1, 20000, 60000},
    {"all options", {"-p", "6000", "-i", "2.5", "-b", "-n", "web1", "-m", "0", "-v", "a", "[::1]:7"}, 0, 2, 2500, 0},
    {"clustered flags and attached values", {"-bvi5", "-nweb1", "srv"}, 0, 1, 5000, 60000},
    {"options after servers", {"srv", "-n", "web1", "-i", "5"}, 0, 1, 5000, 60000},
    {"no server", {"-n", "web1"}, -1, 0, 0, 0},
    {"interval below 1", {"-i", "0.5", "-n", "a", "s"}, -1, 0, 0, 0},
    {"interval nan", {"-i", "nan", "-n", "a", "s"}, -1, 0, 0, 0},
    {"interval inf", {"-i", "inf", "-n", "a", "s"}, -1, 0, 0, 0},
    {"plugin interval 0.5", {"-m", "0.5", "-n", "a", "s"}, -1, 0, 0, 0},
    {"bad port", {"-p", "x", "-n", "a", "s"}, -1, 0, 0, 0},
    {"bad host name", {"-n", "a b", "s"}, -1, 0, 0, 0},
    {"unknown option", {"-x", "-n", "a", "s"}, -1, 0, 0, 0},
    {"missing value", {"-n", "a", "s", "-i"}, -1, 0, 0, 0},
    {"missing key file", {"-k", "/nonexistent/hbc-mini.key", "-n", "a", "s"}, -1, 0, 0, 0},
    {"help", {"-h"}, 1, 0, 0, 0},
    {"long help", {"--help"}, 1, 0, 0, 0},
    {"long help among other arguments", {"-n", "a", "srv", "--help"}, 1, 0, 0, 0},
    {"unknown long option", {"--verbose", "-n", "a", "s"}, -1, 0, 0, 0},
};

static void argument_checks(void)
{
    char *argv[18], err[512];
    size_t i;
    int argc, rc;

    for (i = 0; i < sizeof argument_cases / sizeof argument_cases[0]; i++) {
        struct client c;
        const char *why = NULL;
        argv[0] = "hbc_mini";
        for (argc = 1; argument_cases[i].argv[argc - 1] != NULL; argc++)
            argv[argc] = (char *)argument_cases[i].argv[argc - 1];
        argv[argc] = NULL;
        client_init(&c);
        rc = parse_args(&c, argc, argv, err, sizeof err);
        if (rc != argument_cases[i].rc)
            why = problem("parse_args returned %d (%s)", rc, rc < 0 ? err : "");
        else if (rc == 0 && (c.nservers != argument_cases[i].nservers ||
                             c.interval_ms != argument_cases[i].interval_ms ||
                             c.plugin_interval_ms != argument_cases[i].plugin_interval_ms))
            why = problem("%zu servers, -i %lld ms, -m %lld ms", c.nservers, (long long)c.interval_ms,
                          (long long)c.plugin_interval_ms);
        client_free(&c);
        reportf(why, "arguments %s", argument_cases[i].label);
    }
}

/* ------------------------------------------------------------------ main */

static void unit_checks(void)
{
    host_name_checks();
    report("encoder refuses a bad host name", encoder_refuses_bad_host());
    report("seq starts at unix time in microseconds", seq_start());
    report("seq increases by one per datagram over all servers", seq_per_datagram());
    report("first heartbeat announces interval and no rtt", first_heartbeat());
    report("boot replaces the first heartbeat only", boot_first());
    report("silent server after 3 unanswered heartbeats is resolved again", silent_server());
    report("ack matching ignores an unknown seq", unknown_seq());
    report("ack matching ignores a duplicate ack", duplicate_ack());
    report("ack matching measures rtt for the next heartbeat", rtt_reported());
    report("ack matching accepts a late ack", late_ack());
    report("ack matching keeps the last 8 seqs", outstanding_limited());
    report("command dedupe executes the same id once", command_dedupe());
    report("command two pings in one ack send one heartbeat", two_pings());
    report("command set-interval accepts 1 to 86400 only", set_interval_cases());
    report("command ids are per server", command_ids_per_server());
    report("second heartbeat after half to one interval", second_heartbeat_jittered());
    report("command unknown name is counted as done", unknown_command());
    report("signed client accepts only acks signed with its key", signed_client());
    report("encoder never emits nan or infinity", no_non_finite());
    report("non-finite sample is sent as plugin_error", non_finite_becomes_error());
    report("encoder refuses misuse of the tree api", tree_misuse());
    report("collector cpu_monitor sends a valid finite tree", cpu_collector());
    report("collector memory_monitor sends a valid finite tree", memory_collector());
    report("collector disk_monitor sends a valid finite tree", disk_collector());
    report("collector disk_monitor runs in a child process", disk_child_result());
    report("disk sample still running when the next is due is sent as plugin_error", disk_still_running());
    report("disk mounts skip pseudo and duplicate devices and last mount wins", disk_mount_rules());
    report("disk mount field unescaping", mount_unescape());
    report("split sample uses full datagrams and consecutive seqs", split_large());
    report("sample over 64 datagrams is sent as plugin_error", oversized_sample());
    report("plugin error message cut to 1024 bytes at a character", error_truncated());
    report("decoder survives 20000 garbage datagrams", garbage());
    report("key file and key parsing", key_parsing());
    server_spec_checks();
    argument_checks();
}

int main(int argc, char **argv)
{
    struct vectors vs;
    const char *why;

    if (argc != 2) {
        fprintf(stderr, "usage: %s protocol-vectors.txt\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    why = read_vectors(argv[1], &vs);
    report("read vectors", why);
    if (why == NULL) {
        log_stream = fopen("/dev/null", "w"); /* the client's log lines would only clutter the output */
        vector_checks(&vs);
        sha256_checks();
        hmac_checks();
        unit_checks();
        if (log_stream != NULL)
            fclose(log_stream);
    }
    free_vectors(&vs);
    return failures ? 1 : 0;
}
