/* SHA-256 of the inputs in a second thread, ahead of the parsing (the report needs
 * every source's hash; an identical file must be known before it is parsed). The thread
 * hashes the paths in order; the loader waits only when it overtakes it, and marks the
 * files it will not load so that the thread skips or abandons them. */
#ifndef BILLAUDIT_HASHQ_H
#define BILLAUDIT_HASHQ_H
#include <stddef.h>

typedef struct hashq hashq_t;

/* Starts hashing paths[0..n) (the array must outlive the queue). Never NULL: without a
 * thread, hashq_get hashes in the caller. */
hashq_t *hashq_start(char *const *paths, size_t n);
/* The hash of paths[i] (waits for it): 0, or -1 with errno set. */
int hashq_get(hashq_t *q, size_t i, char hex[65]);
/* paths[i] will not be asked for. */
void hashq_skip(hashq_t *q, size_t i);
/* Stops the thread and frees q. */
void hashq_stop(hashq_t *q);

#endif
