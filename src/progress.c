/* The progress line: see progress.h. */
#include "progress.h"
#include "util.h"
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define AUTO_BYTES (50ull << 20)
#define ROWS_PER_CHECK 16384
#define REDRAW_NS 250000000ll
#define OFF_COUNTDOWN (1L << 62)

long progress_countdown = OFF_COUNTDOWN;

static struct {
    progress_mode_t mode;
    int shown;            /* the line is being drawn */
    int drawn;            /* something is on the line now */
    uint64_t total, done; /* bytes of all inputs; of the files before the current one */
    uint64_t size, cur;   /* size of the current file; bytes read of it */
    uint64_t rows;        /* rows counted before the current countdown */
    long batch;           /* the countdown's start */
    int64_t t0, last;     /* ns */
} P;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* A diagnostic starts on a clean line. */
static void erase(void)
{
    if (P.drawn) {
        fputs("\r\033[K", stderr);
        P.drawn = 0;
    }
}

void progress_enable(progress_mode_t mode)
{
    P.mode = mode;
}

void progress_begin(uint64_t total_bytes)
{
    int big = P.mode == PROGRESS_ON || (P.mode == PROGRESS_AUTO && total_bytes > AUTO_BYTES);
    P.shown = big && isatty(STDERR_FILENO);
    P.total = total_bytes;
    P.done = P.size = P.cur = P.rows = 0;
    P.t0 = P.last = now_ns();
    P.batch = ROWS_PER_CHECK;
    progress_countdown = P.shown ? P.batch : OFF_COUNTDOWN;
    if (P.shown)
        diag_before = erase;
}

void progress_file(uint64_t size)
{
    P.done += P.size;
    P.size = size;
    P.cur = 0;
}

void progress_read(size_t n)
{
    P.cur += n;
}

static void draw(int64_t t)
{
    double secs = (double)(t - P.t0) / 1e9;
    /* Detection reads the head of the next file too: a file counts at most its size. */
    double mb = (double)(P.done + (P.cur < P.size ? P.cur : P.size)) / (1 << 20);
    fprintf(stderr, "\r\033[Kbillaudit: %llu rows, %.0f of %.0f MB, %.0f MB/s",
            (unsigned long long)P.rows, mb, (double)P.total / (1 << 20),
            secs > 0 ? mb / secs : 0.0);
    fflush(stderr);
    P.drawn = 1;
}

void progress_tick(void)
{
    if (!P.shown) {
        progress_countdown = OFF_COUNTDOWN;
        return;
    }
    P.rows += (uint64_t)(P.batch - progress_countdown);
    progress_countdown = P.batch;
    int64_t t = now_ns();
    if (t - P.last >= REDRAW_NS) {
        P.last = t;
        draw(t);
    }
}

void progress_end(void)
{
    if (P.shown)
        erase();
    P.shown = 0;
    progress_countdown = OFF_COUNTDOWN;
    if (diag_before == erase)
        diag_before = NULL;
}
