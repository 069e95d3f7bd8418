/* Writing -o FILE without harming what is there: the output is complete in
   memory before the file is touched, a failure leaves the previous file as
   it was, and the file keeps what a user set on it (its mode, owner, hard
   links, the symlink that names it). -o naming an input is refused. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINK_HOPS 40 /* as the kernel's ELOOP limit */

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* `link` read from the symlink `from`, relative to the directory of `from`. */
static char *link_destination(const char *from, const char *link)
{
    const char *slash = strrchr(from, '/');
    size_t dir = link[0] == '/' || !slash ? 0 : (size_t)(slash - from) + 1;
    char *path = malloc(dir + strlen(link) + 1);
    if (path) {
        memcpy(path, from, dir);
        strcpy(path + dir, link);
    }
    return path;
}

/* The file `path` names once its symlinks are followed, even when the last
   one dangles (the file is then created where it points); NULL with errno. */
static char *follow_links(const char *path)
{
    char *current = strdup(path);
    for (int hops = 0; current && hops < MAX_LINK_HOPS; hops++) {
        struct stat st;
        if (lstat(current, &st) != 0 || !S_ISLNK(st.st_mode))
            return current;
        char link[PATH_MAX];
        ssize_t n = readlink(current, link, sizeof link - 1);
        if (n < 0) {
            int e = errno;
            free(current);
            errno = e;
            return NULL;
        }
        link[n] = '\0';
        char *next = link_destination(current, link);
        free(current);
        current = next;
    }
    if (current) {
        free(current);
        errno = ELOOP;
    } else {
        errno = ENOMEM;
    }
    return NULL;
}

/* A device, a FIFO or a socket: written as a shell redirection would. */
static int write_through(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_NOCTTY);
    if (fd < 0)
        return errno;
    int e = write_all(fd, data, len);
    if (close(fd) != 0 && !e)
        e = errno;
    return e;
}

/* Overwrite a regular file's content, keeping its inode (hard links, owner,
   mode). Space is reserved first, so a full disk fails before any byte of
   the old content is replaced. */
static int write_in_place(const char *path, const struct stat *st, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_NOCTTY);
    if (fd < 0)
        return errno;
    int e = 0;
    if ((off_t)len > st->st_size) {
        e = posix_fallocate(fd, 0, (off_t)len);
        if (e == EOPNOTSUPP || e == EINVAL)
            e = 0; /* a file system that cannot reserve: write and see */
    }
    if (!e)
        e = write_all(fd, data, len);
    if (!e && ftruncate(fd, (off_t)len) != 0)
        e = errno;
    if (!e && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    return e;
}

/* The new content as a temporary file beside `path`, given the mode and owner
   of the file it replaces (`st`, or NULL for a new file), renamed over it. */
static int replace_file(const char *path, const struct stat *st, const char *data, size_t len)
{
    size_t n = strlen(path) + sizeof ".tmpXXXXXX";
    char *tmp = malloc(n);
    if (!tmp)
        return ENOMEM;
    snprintf(tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return e;
    }
    mode_t mask = umask(0);
    umask(mask);
    int e = write_all(fd, data, len);
    if (!e && fsync(fd) != 0)
        e = errno;
    /* mkstemp creates 0600: a new file gets the usual umask'd mode */
    if (!e && fchmod(fd, st ? st->st_mode & 07777 : 0666 & ~mask) != 0)
        e = errno;
    if (!e && st && (st->st_uid != geteuid() || st->st_gid != getegid()) &&
        fchown(fd, st->st_uid, st->st_gid) != 0)
        e = EPERM; /* the owner could not be kept */
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e)
        unlink(tmp);
    free(tmp);
    return e;
}

/* A regular file no one may write to, or this process may not. */
static bool read_only(const char *path, const struct stat *st)
{
    return !(st->st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) || access(path, W_OK) != 0;
}

/* Write to the existing or new file `path` (links followed); returns an errno value. */
static int write_file(const char *path, const char *data, size_t len)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno == ENOENT ? replace_file(path, NULL, data, len) : errno;
    if (S_ISDIR(st.st_mode))
        return EISDIR;
    if (!S_ISREG(st.st_mode))
        return write_through(path, data, len);
    if (st.st_nlink > 1)
        return write_in_place(path, &st, data, len);
    int e = replace_file(path, &st, data, len);
    /* a directory we may not create in, or an owner we may not give:
       the file itself is writable, so its content is replaced in place */
    if (e == EACCES || e == EPERM)
        e = write_in_place(path, &st, data, len);
    return e;
}

int cli_write_file(const char *command, const char *path, const char *data, size_t len)
{
    char *target = follow_links(path);
    int e = target ? 0 : errno;
    struct stat st;
    if (target && stat(target, &st) == 0 && S_ISREG(st.st_mode) && read_only(target, &st)) {
        fprintf(stderr, "iotnet %s: %s is read-only: not overwritten (make it writable or choose another file)\n",
                command, path);
        free(target);
        return CLI_EXIT_INVALID;
    }
    if (target)
        e = write_file(target, data, len);
    free(target);
    if (e) {
        fprintf(stderr, "iotnet %s: cannot write %s: %s\n", command, path, strerror(e));
        return CLI_EXIT_INVALID;
    }
    return CLI_EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* -o naming an input                                                  */

static bool same_file(const struct stat *a, const char *path)
{
    struct stat b;
    return stat(path, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

/* Whether `out` is a *.xml file directly in the directory `dir`, which
   --catalog DIR loads whole. */
static bool in_catalog_dir(const char *out, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return false;
    char *real = realpath(out, NULL);
    char *slash = real ? strrchr(real, '/') : NULL;
    bool inside = false;
    if (slash) {
        inside = cli_has_suffix(slash + 1, ".xml");
        slash[slash == real ? 1 : 0] = '\0';
        inside = inside && same_file(&st, real);
    }
    free(real);
    return inside;
}

static int refuse(const cli_args *args, const char *what, const char *input)
{
    return cli_usage_error(args->command, "-o '%s' is %s '%s': refusing to write over it (choose another output file)",
                           args->output, what, input);
}

int cli_check_output(const cli_args *args)
{
    struct stat out;
    /* a new file, a device or a FIFO cannot be a model that writing destroys */
    if (!args->output || stat(args->output, &out) != 0 || !S_ISREG(out.st_mode))
        return CLI_EXIT_OK;
    for (size_t i = 0; i < args->operand_count; i++)
        if (same_file(&out, args->operands[i]))
            return refuse(args, "the input", args->operands[i]);
    for (size_t i = 0; i < args->catalog_count; i++) {
        if (same_file(&out, args->catalogs[i]))
            return refuse(args, "the catalog", args->catalogs[i]);
        if (in_catalog_dir(args->output, args->catalogs[i]))
            return refuse(args, "a catalog of the directory", args->catalogs[i]);
    }
    return CLI_EXIT_OK;
}
