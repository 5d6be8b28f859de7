/* `billaudit audit --progress`: one line on stderr with the rows read and the speed,
 * redrawn a few times a second and erased at the end. Shown only when stderr is a
 * terminal (so never under cron, never into a log), and by default only for inputs over
 * 50 MB. Costs one decrement per row when off. */
#ifndef BILLAUDIT_PROGRESS_H
#define BILLAUDIT_PROGRESS_H
#include <stddef.h>
#include <stdint.h>

typedef enum { PROGRESS_OFF, PROGRESS_AUTO, PROGRESS_ON } progress_mode_t;

/* Set by `audit` only (other commands stay silent): AUTO = over 50 MB on a terminal. */
void progress_enable(progress_mode_t mode);
/* Loading starts: total bytes of the inputs. Decides whether the line is shown. */
void progress_begin(uint64_t total_bytes);
/* A file of size bytes is about to be parsed (the files before it count as read). */
void progress_file(uint64_t size);
/* Bytes read from the file being parsed (text sources call this per buffer). */
void progress_read(size_t n);
/* Loading is over: the line is erased. */
void progress_end(void);

/* Row sources count rows down; at zero they call progress_tick. */
extern long progress_countdown;
void progress_tick(void);
static inline void progress_row(void)
{
    if (--progress_countdown <= 0)
        progress_tick();
}

#endif
