/* SPDX-License-Identifier: MIT */
/* One loop over threads: an atomic counter hands out the indices. */
#define _GNU_SOURCE
#include "workers.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "xalloc.h"

#define WORKERS_MAX 256

struct pool {
    workers_fn fn;
    void *ctx;
    size_t n;
    atomic_size_t next;
};

struct worker {
    struct pool *pool;
    unsigned id;
};

static void drain(struct pool *p, unsigned id)
{
    for (;;) {
        size_t i = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);
        if (i >= p->n) {
            return;
        }
        p->fn(p->ctx, i, id);
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;

    drain(w->pool, w->id);
    return NULL;
}

void workers_run(unsigned jobs, size_t n, workers_fn fn, void *ctx)
{
    struct pool p = {.fn = fn, .ctx = ctx, .n = n};
    pthread_t tid[WORKERS_MAX];
    struct worker w[WORKERS_MAX];
    unsigned started = 0;

    atomic_init(&p.next, 0);
    if (jobs > WORKERS_MAX) {
        jobs = WORKERS_MAX;
    }
    if (jobs > n) {
        jobs = (unsigned)n;
    }
    for (unsigned k = 1; k < jobs; k++) {
        w[started] = (struct worker){&p, k};
        if (pthread_create(&tid[started], NULL, worker_main, &w[started]) != 0) {
            break; /* fewer threads: the work is the same, only slower */
        }
        started++;
    }
    drain(&p, 0);
    for (unsigned k = 0; k < started; k++) {
        pthread_join(tid[k], NULL);
    }
}

unsigned workers_online(void)
{
    cpu_set_t set;
    int n;

    if (sched_getaffinity(0, sizeof(set), &set) == 0 && (n = CPU_COUNT(&set)) > 0) {
        return (unsigned)n < WORKERS_MAX ? (unsigned)n : WORKERS_MAX;
    }
    return 1;
}
