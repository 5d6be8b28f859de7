/* ZIP archives (doc/formats.md, "zip"): a ZIP that is not a workbook holds inputs. Every member
 * is handed to the caller with its bytes in memory, to be detected by content like any
 * file. Plain, traditional PKWARE (ZipCrypto) and WinZip AES members are read (libzip).
 *
 * Passwords (never an argument, never written anywhere): from the --password-file
 * named by zip_password_file(), else BILLAUDIT_ZIP_PASSWORD, else a no-echo prompt when
 * standard input is a terminal. They are fetched once, on the first encrypted member, and
 * live only in this file's memory. */
#include "container.h"
#include "util.h"
#include "zipio.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <zip.h>

/* ---- limits: the XLSX ones, and what memory holds ---- */
#define ZIP_MAX_ENTRIES 10000              /* members in one archive */
#define ZIP_MAX_MEMBER_BYTES (256UL << 20) /* a member is held in memory: the run's bound */
#define ZIP_BOMB_MIN_BYTES (16ULL << 20)   /* ratio check starts past this... */
#define ZIP_MAX_RATIO 200                  /* ...refusing more than 200:1 (as XLSX) */
#define ZIP_MAX_DEPTH 1                    /* a ZIP inside a ZIP is read, one level deeper not */
#define ZIP_MAX_PASSWORDS 1000
#define ZIP_MAX_PASSWORD 1024
#define ZIP_CHUNK (64 << 10)

#define WRONG_PASSWORD                                                                                \
    "encrypted; wrong or missing password (WeChat sends it in the 微信支付 公众号, Alipay in " \
    "a 服务消息)"

/* ---- passwords ---- */

static const char *password_file;
static VEC(char *) passwords;
static int passwords_fetched;

void zip_password_file(const char *path)
{
    password_file = path;
}

static void add_password(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    if (n == 0 || n > ZIP_MAX_PASSWORD || passwords.n >= ZIP_MAX_PASSWORDS)
        return;
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    VEC_PUSH(passwords, p);
}

/* -1 when the named file cannot be read: said once, without its content. */
static int read_password_file(void)
{
    char why[128];
    FILE *f = fopen_regular(password_file, why, sizeof why); /* a FIFO would hang */
    if (!f) {
        fprintf(stderr, "%s: %s\n", name_shown(password_file), why);
        return -1;
    }
    char line[ZIP_MAX_PASSWORD + 2];
    while (fgets(line, sizeof line, f))
        add_password(line, strlen(line));
    fclose(f);
    return 0;
}

/* Standard input is a terminal: ask, echo off, on stderr (stdout may be a report). */
static void prompt_password(void)
{
    struct termios old, quiet;
    if (tcgetattr(STDIN_FILENO, &old) != 0)
        return;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    fprintf(stderr, "Password of the encrypted archive: ");
    fflush(stderr);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    char line[ZIP_MAX_PASSWORD + 2];
    if (fgets(line, sizeof line, stdin))
        add_password(line, strlen(line));
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fprintf(stderr, "\n");
    memset(line, 0, sizeof line);
}

static void fetch_passwords(void)
{
    if (passwords_fetched)
        return;
    passwords_fetched = 1;
    const char *env = getenv("BILLAUDIT_ZIP_PASSWORD");
    if (password_file)
        read_password_file();
    else if (env && env[0])
        add_password(env, strlen(env));
    else if (isatty(STDIN_FILENO))
        prompt_password();
}

/* ---- one member ---- */

typedef struct {
    unsigned char *p;
    size_t n;
} bytes_t;

static const char *method_label(const zip_stat_t *st)
{
    if (!(st->valid & ZIP_STAT_ENCRYPTION_METHOD) || st->encryption_method == ZIP_EM_NONE)
        return "zip";
    if (st->encryption_method == ZIP_EM_TRAD_PKWARE)
        return "zip(zipcrypto)";
    return "zip(aes)";
}

/* WinZip AE-2 stores no CRC (the field is 0; an HMAC authenticates instead), yet libzip
 * before 1.8 (Debian 12 has 1.7.3) checks it and fails at the end of the entry with a CRC
 * error. All of the declared bytes inflated, that error is this one (libzip issue 261). */
static int ae2_crc_quirk(zip_file_t *zf, const zip_stat_t *st, size_t got)
{
    return (st->valid & ZIP_STAT_ENCRYPTION_METHOD) && st->encryption_method != ZIP_EM_NONE &&
           st->encryption_method != ZIP_EM_TRAD_PKWARE && (st->valid & ZIP_STAT_CRC) &&
           st->crc == 0 && (st->valid & ZIP_STAT_SIZE) && st->size == got &&
           zip_error_code_zip(zip_file_get_error(zf)) == ZIP_ER_CRC;
}

/* Inflates an opened member under the size and ratio limits. 0, 1 on a read error (a
 * wrong ZipCrypto password shows only here, as a CRC error), -1 on a limit (in err). */
static int inflate_member(zip_file_t *zf, const zip_stat_t *st, bytes_t *out, char *err,
                          size_t errlen)
{
    uint64_t comp = (st->valid & ZIP_STAT_COMP_SIZE) ? st->comp_size : 0;
    sbuf_t s = {0};
    char buf[ZIP_CHUNK];
    zip_int64_t n;
    while ((n = zip_fread(zf, buf, sizeof buf)) > 0) {
        sb_addn(&s, buf, (size_t)n);
        if (s.n > ZIP_MAX_MEMBER_BYTES) {
            snprintf(err, errlen, "expands past the %lu MiB limit", ZIP_MAX_MEMBER_BYTES >> 20);
            break;
        }
        if (s.n > ZIP_BOMB_MIN_BYTES && s.n / ZIP_MAX_RATIO > comp) {
            snprintf(err, errlen, "expands past %d:1 (zip bomb?)", ZIP_MAX_RATIO);
            break;
        }
    }
    if (n < 0 && ae2_crc_quirk(zf, st, s.n))
        n = 0;
    if (n > 0 || n < 0) {
        if (n < 0)
            snprintf(err, errlen, "read error: %s (truncated or corrupt?)", zip_file_strerror(zf));
        sb_free(&s);
        return n < 0 ? 1 : -1;
    }
    out->n = s.n;
    out->p = (unsigned char *)sb_take(&s);
    return 0;
}

/* Opens and reads member i, trying every password when it is encrypted. 0; -1 with err
 * (this member only); -2 when no password opens it (the archive as a whole). */
static int read_member(zip_t *za, zip_uint64_t i, const zip_stat_t *st, bytes_t *out, char *err,
                       size_t errlen)
{
    if ((st->valid & ZIP_STAT_SIZE) && st->size > ZIP_MAX_MEMBER_BYTES) {
        snprintf(err, errlen, "declares %llu bytes, over the %lu MiB limit",
                 (unsigned long long)st->size, ZIP_MAX_MEMBER_BYTES >> 20);
        return -1;
    }
    int encrypted = strcmp(method_label(st), "zip") != 0;
    if (encrypted)
        fetch_passwords();
    size_t tries = encrypted ? passwords.n : 1;
    for (size_t k = 0; k < tries; k++) {
        zip_file_t *zf = encrypted ? zip_fopen_index_encrypted(za, i, 0, passwords.items[k])
                                   : zip_fopen_index(za, i, 0);
        if (!zf) {
            if (encrypted && zip_error_code_zip(zip_get_error(za)) == ZIP_ER_WRONGPASSWD)
                continue;
            snprintf(err, errlen, "cannot open: %s", zip_strerror(za));
            return -1;
        }
        int rc = inflate_member(zf, st, out, err, errlen);
        zip_fclose(zf);
        if (rc == 0 || rc < 0 || !encrypted)
            return rc == 0 ? 0 : -1;
    }
    if (!encrypted)
        return -1;
    snprintf(err, errlen, "%s", WRONG_PASSWORD);
    return -2;
}

/* Folders, and what archivers add beside the files (__MACOSX/, .DS_Store): not inputs. */
static int is_input_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || name[n - 1] == '/' || !strncmp(name, "__MACOSX/", 9))
        return 0;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    return base[0] != '.';
}

/* A member's name, owned, NULL when it has none. The ZIP format knows two encodings:
 * UTF-8 when the entry says so (flag bit 11), else CP437 — but archivers on Chinese
 * Windows write the local code page, GBK, without the flag. So: the bytes as they are when
 * they are UTF-8; else, without the flag, GBK when they decode as GBK; else libzip's
 * reading (CP437, or the bytes of a name declared UTF-8 that is not: every output escapes
 * them, JSON adds member_bytes). */
static char *member_name(zip_t *za, zip_uint64_t i)
{
    const char *raw = zip_get_name(za, i, ZIP_FL_ENC_RAW);
    if (!raw)
        return NULL;
    if (utf8_valid(raw, strlen(raw)))
        return xstrdup(raw);
    const char *strict = zip_get_name(za, i, ZIP_FL_ENC_STRICT);
    int flagged = strict && !strcmp(strict, raw); /* declared UTF-8: not converted */
    char *gbk = flagged ? NULL : gb18030_to_utf8(raw, strlen(raw));
    if (gbk)
        return gbk;
    /* Declared UTF-8 and not: the bytes, escaped by every output (path_bytes in JSON). */
    const char *guess = zip_get_name(za, i, ZIP_FL_ENC_GUESS);
    return xstrdup(guess ? guess : raw);
}

/* The index of the member zip_members named name, or -1. */
static zip_int64_t member_index(zip_t *za, const char *name)
{
    zip_int64_t i = zip_name_locate(za, name, 0), n = zip_get_num_entries(za, 0);
    char *at = i >= 0 ? member_name(za, (zip_uint64_t)i) : NULL;
    int same = at && !strcmp(at, name);
    free(at);
    for (zip_int64_t k = 0; !same && k < n; k++) { /* a name decoded from GBK */
        char *nm = member_name(za, (zip_uint64_t)k);
        if (nm && !strcmp(nm, name))
            i = k, same = 1;
        free(nm);
    }
    return same ? i : -1;
}

/* ---- names flagged UTF-8 that are not ---- */

/* libzip refuses a whole archive ("inconsistent") when one entry declares its name UTF-8
 * and it is not: archivers that set the flag over a GBK name exist, and one such member
 * must not hide the others. The archive is then read from a private copy in which those
 * entries no longer declare UTF-8 (central directory and local header), so their names
 * are read as any unflagged name is (member_name: GBK when it decodes). */
#define ZIP_RELABEL_MAX (64u << 20) /* the copy counts against the 256 MiB a run may use */

static unsigned rd16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static size_t rd32(const unsigned char *p)
{
    return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
}

/* Offset of the end-of-central-directory record (within the last 64 KiB of comment), or
 * n when there is none. */
static size_t find_eocd(const unsigned char *p, size_t n)
{
    if (n < 22)
        return n;
    size_t stop = n - 22 > 65535 ? n - 22 - 65535 : 0;
    for (size_t i = n - 22 + 1; i-- > stop;)
        if (!memcmp(p + i, "PK\5\6", 4))
            return i;
    return n;
}

/* Clears the UTF-8 flag (bit 11) of every entry whose name is not UTF-8; how many. */
static int relabel(unsigned char *p, size_t n)
{
    size_t e = find_eocd(p, n);
    if (e == n)
        return 0;
    size_t count = rd16(p + e + 10), at = rd32(p + e + 16);
    int fixed = 0;
    for (size_t k = 0; k < count && at + 46 <= n && !memcmp(p + at, "PK\1\2", 4); k++) {
        unsigned char *h = p + at;
        size_t name = rd16(h + 28), extra = rd16(h + 30), comment = rd16(h + 32);
        size_t local = rd32(h + 42);
        if (name > n - at - 46)
            break;
        if ((h[9] & 0x08) && !utf8_valid((const char *)h + 46, name)) {
            h[9] &= (unsigned char)~0x08;
            if (local + 30 <= n && !memcmp(p + local, "PK\3\4", 4))
                p[local + 7] &= (unsigned char)~0x08;
            fixed++;
        }
        at += 46 + name + extra + comment;
    }
    return fixed;
}

/* The archive from a relabelled copy; NULL (code untouched) when relabelling changes
 * nothing or the copy does not open either. */
static zip_t *open_relabelled(const blob_t *b, int *code)
{
    size_t len;
    char why[256];
    unsigned char *p = blob_load(b, ZIP_RELABEL_MAX, &len, why, sizeof why);
    if (!p || !relabel(p, len)) {
        free(p);
        return NULL;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(p, len, 1, &ze); /* 1: libzip frees p */
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!src)
        free(p);
    else if (!za)
        zip_source_free(src);
    if (!za)
        *code = zip_error_code_zip(&ze);
    zip_error_fini(&ze);
    return za;
}

/* ---- the archive ---- */

static zip_t *open_archive(const blob_t *b, char *err, size_t errlen)
{
    int code = 0;
    zip_t *za = zip_open_blob(b, &code);
    if (!za && code == ZIP_ER_INCONS)
        za = open_relabelled(b, &code);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        snprintf(err, errlen, "not a readable ZIP archive (truncated or corrupt?): %s",
                 zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return NULL;
    }
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n > ZIP_MAX_ENTRIES) {
        snprintf(err, errlen, "ZIP holds %lld entries, over the limit of %d", (long long)n,
                 ZIP_MAX_ENTRIES);
        zip_discard(za);
        return NULL;
    }
    return za;
}

static int zip_members(const blob_t *b, int depth, member_fn each, void *ctx, char *err,
                       size_t errlen)
{
    if (depth > ZIP_MAX_DEPTH) {
        snprintf(err, errlen, "a ZIP inside a ZIP inside a ZIP: read one level deep only");
        return -1;
    }
    zip_t *za = open_archive(b, err, errlen);
    if (!za)
        return -1;
    int rc = 0;
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n && rc == 0; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        char *inner = member_name(za, (zip_uint64_t)i);
        if (!inner || zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 ||
            !(st.valid & ZIP_STAT_NAME) || !is_input_name(inner)) {
            free(inner);
            continue;
        }
        char *name = xasprintf("%s!%s", b->name, inner);
        free(inner);
        bytes_t m = {0};
        char merr[256] = "";
        int r = read_member(za, (zip_uint64_t)i, &st, &m, merr, sizeof merr);
        if (r == -2) {
            snprintf(err, errlen, "%s", merr);
            rc = -1;
        } else {
            blob_t mb = {name, NULL, m.p, m.n};
            each(ctx, &mb, method_label(&st), r == 0 ? NULL : merr);
        }
        free(m.p);
        free(name);
    }
    zip_discard(za);
    return rc;
}

/* The bytes of member `member` (its name in the archive) of b, as zip_members read them. */
unsigned char *zip_extract(const blob_t *b, const char *member, size_t *len, char *err,
                           size_t errlen)
{
    zip_t *za = open_archive(b, err, errlen);
    if (!za)
        return NULL;
    bytes_t m = {0};
    zip_int64_t i = member_index(za, member);
    zip_stat_t st;
    zip_stat_init(&st);
    if (i < 0 || zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0)
        snprintf(err, errlen, "%s: no longer in the archive", name_shown(member));
    else if (read_member(za, (zip_uint64_t)i, &st, &m, err, errlen) != 0)
        m.p = NULL;
    zip_discard(za);
    *len = m.n;
    return m.p;
}

/* A ZIP libzip cannot open (truncated): the name in its first local header tells a
 * workbook's parts ([Content_Types].xml, _rels/, docProps/, xl/) from an archive's files. */
static int first_name_is_part(const unsigned char *h, size_t n)
{
    static const char *const parts[] = {"[Content_Types].xml", "_rels/", "docProps/", "xl/"};
    if (n < 30)
        return 1;
    size_t len = (size_t)h[26] | (size_t)h[27] << 8;
    const char *name = (const char *)h + 30;
    if (30 + len > n)
        return 1;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        if (len >= strlen(parts[i]) && !memcmp(name, parts[i], strlen(parts[i])))
            return 1;
    return 0;
}

/* PK\3\4 without xl/workbook.xml: an archive. */
static int zip_sniff(const blob_t *b, const unsigned char *h, size_t n, char *why, size_t whylen)
{
    (void)why, (void)whylen;
    if (n < 4 || memcmp(h, "PK\x03\x04", 4))
        return 0;
    int code = 0;
    zip_t *za = zip_open_blob(b, &code);
    if (!za)
        return !first_name_is_part(h, n); /* its members says "truncated or corrupt" */
    int workbook = zip_name_locate(za, "xl/workbook.xml", ZIP_FL_NOCASE) >= 0;
    zip_discard(za);
    return !workbook;
}

const container_t container_zip = {"zip", zip_sniff, NULL, zip_members, 0};
