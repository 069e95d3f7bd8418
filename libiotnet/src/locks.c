/* Process-wide locks that fork() waits for (locks.h). */
#include "locks.h"

#include <pthread.h>

static pthread_mutex_t locks[IOTNET__LOCK_COUNT] = {
    [IOTNET__LOCK_CATALOG_SCHEMA] = PTHREAD_MUTEX_INITIALIZER,
    [IOTNET__LOCK_GRAPHVIZ] = PTHREAD_MUTEX_INITIALIZER,
};

static pthread_once_t fork_handlers_once = PTHREAD_ONCE_INIT;

/* No thread holds two of these locks at once, so taking them all in order
 * cannot deadlock with a thread that holds one. */
static void before_fork(void)
{
    for (int i = 0; i < IOTNET__LOCK_COUNT; i++)
        pthread_mutex_lock(&locks[i]);
}

static void after_fork(void)
{
    for (int i = IOTNET__LOCK_COUNT - 1; i >= 0; i--)
        pthread_mutex_unlock(&locks[i]);
}

static void register_fork_handlers(void)
{
    pthread_atfork(before_fork, after_fork, after_fork);
}

void iotnet__lock(iotnet__lock_id which)
{
    pthread_once(&fork_handlers_once, register_fork_handlers);
    pthread_mutex_lock(&locks[which]);
}

void iotnet__unlock(iotnet__lock_id which)
{
    pthread_mutex_unlock(&locks[which]);
}
