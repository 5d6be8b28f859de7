/* Legacy BIFF8 .xls (doc/formats.md, "xls") through FreeXL: the cells of a worksheet as rows,
 * like XLSX's. FreeXL decodes shared strings and dates (1900 and 1904 date systems)
 * itself; a merged range holds its value in the top-left cell only, as in XLSX.
 *
 * FreeXL is not safe on hostile bytes: 1.0.6 reads past a stack buffer on a string whose
 * declared length runs past its record (found by fuzz_xls), and it counts a date serial
 * out day by day (a serial of 2^31 is minutes of work per cell). So it never runs in this
 * process: this program is started anew as the reader (fork and exec: the parent has
 * threads, whose locks a bare fork would copy held), under a memory and a processor-time
 * limit, and sends the sheet's cells back through a pipe, row by row (the parent's memory
 * stays that of one row). A reader that crashes or runs out of time is a damaged
 * workbook, named as such. FreeXL reads only files: a workbook held in memory (an archive
 * member) is given to it as an anonymous memory file (memfd), else a private temporary
 * file removed once the reader ends. */
#include "cfb.h"
#include "container.h"
#include "rowsrc.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- limits ---- */
#define XLS_MAX_BYTES (256UL << 20) /* a member copied to a temporary file */
#define XLS_MAX_COLS 256            /* BIFF8's own limit (column IV) */
#define XLS_MAX_ROWS 65536          /* BIFF8's own limit */
#define XLS_MAX_CELL (1UL << 20)    /* text of one cell sent back; longer is cut */
/* The child's bounds: a full BIFF8 sheet (65536 x 256 cells) fits in the memory; a
 * real 详单 sheet is read in well under a second of processor time. */
#define XLS_CHILD_MEMORY (2UL << 30)
#define XLS_CHILD_CPU_SECONDS 20
#define XLS_CHILD_WALL_SECONDS 120

/* ---- the pipe: what the child sends ----
 * One message after opening: MSG_ERR (a message), MSG_PAST (no such sheet) or MSG_SHEET
 * (rows, columns, name); then MSG_ROW (line, cells: flag and text each) per non-blank row
 * and MSG_DONE, or MSG_ERR. Numbers little-endian; a text is a u32 length and its bytes. */
enum { MSG_ERR = 1, MSG_PAST, MSG_SHEET, MSG_ROW, MSG_DONE };

static void put_u32(FILE *f, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    fwrite(b, 1, 4, f);
}

static void put_text(FILE *f, const char *s, size_t n)
{
    put_u32(f, (uint32_t)n);
    fwrite(s, 1, n, f);
}

static int get_u32(FILE *f, uint32_t *v)
{
    unsigned char b[4];
    if (fread(b, 1, 4, f) != 4)
        return -1;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 0;
}

/* A text of at most max bytes into a fresh string; NULL on a cut stream. */
static char *get_text(FILE *f, size_t max)
{
    uint32_t n;
    if (get_u32(f, &n) < 0 || n > max)
        return NULL;
    char *s = xmalloc((size_t)n + 1);
    if (fread(s, 1, n, f) != n) {
        free(s);
        return NULL;
    }
    s[n] = 0;
    return s;
}

/* A number as its shortest text that reads back the same ("5", "0.1", "12.5"). */
static void number_text(double v, char *out, size_t outlen)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, outlen, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

/* One cell's text and flags, as the XLSX reader gives them. */
static char *cell_text(const FreeXL_CellValue *v, unsigned char *flag)
{
    char tmp[64];
    *flag = 0;
    switch (v->type) {
    case FREEXL_CELL_INT:
        *flag = CELL_NUM;
        return xasprintf("%d", v->value.int_value);
    case FREEXL_CELL_DOUBLE:
        if (!isfinite(v->value.double_value))
            return xstrdup("");
        *flag = CELL_NUM;
        number_text(v->value.double_value, tmp, sizeof tmp);
        return xstrdup(tmp);
    case FREEXL_CELL_DATE: /* a date-styled serial: XLSX shows it with its midnight */
        *flag = CELL_DATE;
        return xasprintf("%s 00:00:00", v->value.text_value);
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
        *flag = CELL_DATE;
        return xstrdup(v->value.text_value);
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
        return xstrdup(v->value.text_value ? v->value.text_value : "");
    default:
        return xstrdup("");
    }
}

static char *trimmed(char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    memmove(s, s + i, n - i);
    s[n - i] = 0;
    return s;
}

static const char *freexl_why(int rc)
{
    switch (rc) {
    case FREEXL_CFBF_EMPTY_FAT_CHAIN:
    case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
    case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
    case FREEXL_INVALID_MINI_STREAM:
        return "a broken sector chain (truncated or damaged file?)";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
        return "no workbook stream (a Word or other Office file?)";
    case FREEXL_INSUFFICIENT_MEMORY:
        return "too large to read";
    default:
        return "a damaged workbook (truncated or corrupt?)";
    }
}

/* ---- the reader process: FreeXL ---- */

/* Sends every non-blank row of the open sheet. */
static void send_rows(FILE *out, const void *h, unsigned rows, unsigned short cols)
{
    char **cells = xcalloc(cols ? cols : 1, sizeof *cells);
    unsigned char *flags = xcalloc(cols ? cols : 1, 1);
    for (unsigned r = 0; r < rows; r++) {
        int n = 0;
        for (unsigned short c = 0; c < cols; c++) {
            FreeXL_CellValue v;
            if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK)
                v.type = FREEXL_CELL_NULL;
            free(cells[c]);
            cells[c] = trimmed(cell_text(&v, &flags[c]));
            if (cells[c][0])
                n = c + 1;
        }
        if (n == 0)
            continue; /* blank rows are skipped */
        fputc(MSG_ROW, out);
        put_u32(out, r + 1);
        put_u32(out, (uint32_t)n);
        for (int c = 0; c < n; c++) {
            size_t len = strlen(cells[c]);
            fputc(flags[c], out);
            put_text(out, cells[c], len < XLS_MAX_CELL ? len : XLS_MAX_CELL);
        }
    }
    fputc(MSG_DONE, out);
}

static void send_err(FILE *out, const char *msg)
{
    fputc(MSG_ERR, out);
    put_text(out, msg, strlen(msg));
}

/* Opens path, picks sheet #table and sends it to out. */
static void serve(const char *path, int table, FILE *out)
{
    const void *h = NULL;
    unsigned int sheets = 0, rows = 0;
    unsigned short cols = 0;
    const char *name = NULL;
    char msg[256];
    int rc = freexl_open(path, &h);
    if (rc != FREEXL_OK) {
        snprintf(msg, sizeof msg, "cannot read the legacy .xls: %s", freexl_why(rc));
        send_err(out, msg);
    } else if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK ||
               (unsigned)table >= sheets) {
        fputc(MSG_PAST, out);
    } else if (freexl_select_active_worksheet(h, (unsigned short)table) != FREEXL_OK ||
               freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
        snprintf(msg, sizeof msg, "cannot read sheet #%d of the legacy .xls", table + 1);
        send_err(out, msg);
    } else if (cols > XLS_MAX_COLS || rows > XLS_MAX_ROWS) {
        snprintf(msg, sizeof msg, "sheet #%d declares %u rows and %u columns, past BIFF8's limits",
                 table + 1, rows, (unsigned)cols);
        send_err(out, msg);
    } else {
        if (freexl_get_worksheet_name(h, (unsigned short)table, &name) != FREEXL_OK || !name)
            name = "";
        fputc(MSG_SHEET, out);
        put_u32(out, rows);
        put_u32(out, cols);
        put_text(out, name, strlen(name));
        send_rows(out, h, rows, cols);
    }
}

int xls_reader_main(int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[1], XLS_READER_ARG) != 0)
        return -1;
    serve(argv[2], atoi(argv[3]), stdout);
    fflush(stdout);
    _exit(0); /* FreeXL's handle and the rows die with the process */
}

/* ---- starting the reader ---- */

/* Under AddressSanitizer the address space is mostly shadow: no limit on it there. */
#if defined(__SANITIZE_ADDRESS__)
#define XLS_LIMIT_MEMORY 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XLS_LIMIT_MEMORY 0
#endif
#endif
#ifndef XLS_LIMIT_MEMORY
#define XLS_LIMIT_MEMORY 1
#endif

/* The processor seconds the reader may use: XLS_CHILD_CPU_SECONDS, or fewer when
 * BILLAUDIT_XLS_CPU_SECONDS says so (the hostile cases, to stay short); never more. */
static int cpu_seconds(void)
{
    const char *s = getenv("BILLAUDIT_XLS_CPU_SECONDS");
    int n = s ? atoi(s) : 0;
    return n > 0 && n < XLS_CHILD_CPU_SECONDS ? n : XLS_CHILD_CPU_SECONDS;
}

/* Between fork and exec: only async-signal-safe calls (the parent has threads: a lock
 * one of them held is held for ever in the child). The limits, the signals this process
 * ignores back to their defaults, the pipe as standard output, nothing on stderr. */
static void exec_reader(const char *self, char *const argv[], int out, int null, rlim_t cpu)
{
    struct rlimit lim = {cpu, cpu + 1}, core = {0, 0}, as = {XLS_CHILD_MEMORY, XLS_CHILD_MEMORY};
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &dfl, NULL);
    sigaction(SIGXFSZ, &dfl, NULL);
    sigaction(SIGALRM, &dfl, NULL);
    sigaction(SIGXCPU, &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setrlimit(RLIMIT_CPU, &lim);
    setrlimit(RLIMIT_CORE, &core);
    if (XLS_LIMIT_MEMORY)
        setrlimit(RLIMIT_AS, &as);
    alarm(XLS_CHILD_WALL_SECONDS);
    if (dup2(out, STDOUT_FILENO) < 0 || (null >= 0 && dup2(null, STDERR_FILENO) < 0))
        _exit(127);
    execv(self, argv);
    _exit(127);
}

/* ---- the parent: rows from the pipe ---- */

typedef struct {
    rowsrc_t rs; /* first: the rowsrc_t interface */
    pid_t pid;
    FILE *in;
    int memfd; /* a workbook held in memory, as the reader's file; else -1 */
    char *tmp; /* ... or as a private temporary file, removed once the reader ends */
    unsigned cols;
    char **cells;
    unsigned char *flags;
    int n; /* cells held */
    sbuf_t raw;
} xls_t;

static void free_cells(xls_t *x)
{
    for (int i = 0; i < x->n; i++)
        free(x->cells[i]);
    x->n = 0;
}

/* Ends the child (it may be blocked writing rows nobody reads) and its status. */
static int reap(xls_t *x)
{
    int status = 0;
    if (x->in) {
        fclose(x->in);
        x->in = NULL;
    }
    if (x->pid > 0) {
        kill(x->pid, SIGKILL);
        while (waitpid(x->pid, &status, 0) < 0 && errno == EINTR)
            ;
        x->pid = 0;
    }
    if (x->memfd >= 0)
        close(x->memfd);
    x->memfd = -1;
    if (x->tmp)
        unlink(x->tmp);
    free(x->tmp);
    x->tmp = NULL;
    return status;
}

static void xls_close(rowsrc_t *rs)
{
    xls_t *x = (xls_t *)rs;
    reap(x);
    free_cells(x);
    free(x->cells);
    free(x->flags);
    sb_free(&x->raw);
    free(x->rs.sheet);
    free(x);
}

/* The stream ended early: the child died. What it died of, as a message. */
static void died(xls_t *x, char *err, size_t errlen)
{
    int status;
    fclose(x->in);
    x->in = NULL;
    while (waitpid(x->pid, &status, 0) < 0 && errno == EINTR)
        ;
    x->pid = 0;
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (sig == SIGXCPU || sig == SIGALRM)
        snprintf(err, errlen,
                 "the legacy .xls took over %d s to read (a damaged or hostile workbook?); "
                 "not read further",
                 cpu_seconds());
    else
        snprintf(err, errlen,
                 "the legacy .xls reader failed on it (a damaged workbook?); not read further");
}

static int xls_next(rowsrc_t *rs, row_t *row)
{
    xls_t *x = (xls_t *)rs;
    if (!x->in)
        return 0;
    free_cells(x);
    int m = fgetc(x->in);
    uint32_t line, n;
    if (m == MSG_DONE) {
        reap(x);
        return 0;
    }
    if (m == MSG_ERR) {
        char *msg = get_text(x->in, 255);
        snprintf(rs->err, sizeof rs->err, "%s", msg ? msg : "cannot read the legacy .xls");
        free(msg);
        reap(x);
        return -1;
    }
    if (m != MSG_ROW || get_u32(x->in, &line) < 0 || get_u32(x->in, &n) < 0 || n == 0 ||
        n > x->cols)
        goto cut;
    for (uint32_t c = 0; c < n; c++) {
        int flag = fgetc(x->in);
        char *t = flag == EOF ? NULL : get_text(x->in, XLS_MAX_CELL);
        if (!t)
            goto cut;
        x->flags[c] = (unsigned char)flag;
        x->cells[x->n++] = t;
    }
    row->cells = x->cells;
    row->flags = x->flags;
    row->n = (int)n;
    row->line = (long)line;
    row->raw = rowsrc_join(&x->raw, x->cells, (int)n);
    return 1;
cut:
    died(x, rs->err, sizeof rs->err);
    return -1;
}

/* The workbook as a path the reader can open: b's file, or its bytes in a memory file
 * (/proc/self/fd/N, N inherited) or else a private temporary file. 0, or -1. */
static int reader_input(xls_t *x, const blob_t *b, char *path, size_t pathlen)
{
    if (!b->data) {
        snprintf(path, pathlen, "%s", b->path);
        return 0;
    }
    int fd = memfd_create("billaudit-xls", MFD_CLOEXEC);
    if (fd < 0) {
        x->tmp = tmp_private("billaudit-xls-");
        fd = mkostemp(x->tmp, O_CLOEXEC);
    }
    size_t off = 0;
    ssize_t w = 0;
    while (fd >= 0 && off < b->len && (w = write(fd, b->data + off, b->len - off)) > 0)
        off += (size_t)w;
    if (fd < 0 || off < b->len) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (x->tmp) {
        close(fd);
        snprintf(path, pathlen, "%s", x->tmp);
    } else {
        x->memfd = fd;
        snprintf(path, pathlen, "/proc/self/fd/%d", fd);
    }
    return 0;
}

/* Starts the reader (this very program, exec'd anew) on sheet #table; -1 with err. */
static int start(xls_t *x, const blob_t *b, int table, char *err, size_t errlen)
{
    char self[4096], path[4096], tab[16];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    int fds[2] = {-1, -1};
    if (n <= 0 || reader_input(x, b, path, sizeof path) < 0 || pipe2(fds, O_CLOEXEC) < 0) {
        snprintf(err, errlen, "cannot start the legacy .xls reader: %s", strerror(errno));
        return -1;
    }
    self[n] = 0;
    snprintf(tab, sizeof tab, "%d", table);
    char *argv[] = {self, XLS_READER_ARG, path, tab, NULL};
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    rlim_t cpu = (rlim_t)cpu_seconds();
    fflush(NULL); /* nothing buffered twice */
    x->pid = fork();
    if (x->pid == 0) {
        if (x->memfd >= 0)
            fcntl(x->memfd, F_SETFD, 0); /* the reader opens it by its number */
        exec_reader(self, argv, fds[1], null, cpu);
    }
    int e = errno;
    close(fds[1]);
    if (null >= 0)
        close(null);
    if (x->pid < 0 || !(x->in = fdopen(fds[0], "r"))) {
        snprintf(err, errlen, "cannot start the legacy .xls reader: %s", strerror(e));
        if (!x->in)
            close(fds[0]);
        return -1;
    }
    return 0;
}

static rowsrc_t *xls_open(const blob_t *b, int table, rs_mode_t mode, char *err, size_t errlen)
{
    err[0] = 0;
    if (mode != RS_CELLS) {
        snprintf(err, errlen, "not a text file");
        return NULL;
    }
    if (b->data && b->len > XLS_MAX_BYTES) {
        snprintf(err, errlen, "over the %lu MiB this container reads", XLS_MAX_BYTES >> 20);
        return NULL;
    }
    xls_t *x = xcalloc(1, sizeof *x);
    x->rs.next = xls_next;
    x->rs.close = xls_close;
    x->rs.container = &container_xls;
    snprintf(x->rs.encoding, sizeof x->rs.encoding, "XLS");
    snprintf(x->rs.label, sizeof x->rs.label, "xls");
    x->memfd = -1;
    char why[160];
    if (cfb_check(b, why, sizeof why) < 0) { /* before FreeXL follows a broken chain */
        snprintf(err, errlen, "cannot read the legacy .xls: %s", why);
        goto fail;
    }
    if (start(x, b, table, err, errlen) < 0)
        goto fail;
    int m = fgetc(x->in);
    uint32_t rows, cols;
    char *s = NULL;
    if (m == MSG_PAST)
        goto fail; /* past the last sheet: err "" ends the search */
    if (m == MSG_ERR) {
        s = get_text(x->in, 255);
        snprintf(err, errlen, "%s", s ? s : "cannot read the legacy .xls");
        free(s);
        goto fail;
    }
    if (m != MSG_SHEET || get_u32(x->in, &rows) < 0 || get_u32(x->in, &cols) < 0 ||
        cols > XLS_MAX_COLS || !(s = get_text(x->in, 4096))) {
        died(x, err, errlen);
        goto fail;
    }
    x->rs.sheet = s;
    x->cols = cols;
    x->cells = xcalloc(cols ? cols : 1, sizeof *x->cells);
    x->flags = xcalloc(cols ? cols : 1, 1);
    return &x->rs;
fail:
    xls_close(&x->rs);
    return NULL;
}

static int xls_sniff(const blob_t *b, const unsigned char *h, size_t n, char *why, size_t whylen)
{
    (void)b, (void)why, (void)whylen;
    return n >= 8 && !memcmp(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
}

const container_t container_xls = {"xls", xls_sniff, xls_open, NULL, 0};
