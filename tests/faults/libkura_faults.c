// libkura_faults.so: an LD_PRELOAD interposer that injects I/O faults below kura, for the e2e
// fault tests (tests/e2e/test_io_faults.py). Test-only; never linked into kura.
//
// The rules file named by KURA_FAULTS holds one rule a line ('#' starts a comment):
//   CALL ACTION [path-contains=TEXT] [times=N]
// CALL: write (write, writev), pwrite (pwrite, pwrite64, pwritev), read (read, readv),
//       pread (pread, pread64, preadv, and sendfile's source file), fsync, fdatasync,
//       sync_file_range.
// ACTION: an errno name (EIO, ENOSPC, EDQUOT, EROFS) — the call fails with it and does nothing —
//       or delay-ms=N — the call sleeps N ms, then runs.
// path-contains: the rule applies only to file descriptors whose path (readlink of
//       /proc/self/fd/N) contains TEXT; times=N: only to the first N matching calls.
// The file is re-read when its modification time changes (checked at most every 20 ms), so a
// test arms and disarms faults in a running server by rewriting it; a missing file means no rules.
// SQLite (libsqlite3.so) calls these through libc's dynamic symbols, so its WAL writes and
// fsyncs are covered as well as kura's own. io_uring would bypass this; kura uses none.
// Thread-safe: the rules are guarded by a mutex, and sleeps happen outside it.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum Call { kWrite, kPwrite, kRead, kPread, kFsync, kFdatasync, kSyncFileRange, kCallCount };
static const char* const kCallNames[kCallCount] = {"write", "pwrite",    "read",           "pread",
                                                   "fsync", "fdatasync", "sync_file_range"};

enum { kMaxRules = 32, kMaxText = 200 };
struct Rule {
  enum Call call;
  int error;     // errno to fail with, or 0
  long delay_ms;  // when error == 0
  char path_contains[kMaxText];
  long times_left;  // < 0: unlimited
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct Rule rules[kMaxRules];
static int rule_count = 0;
static int calls_with_rules = 0;  // bit per Call: a fast path for calls no rule names
static struct timespec rules_mtime;
static int64_t checked_at_ms = -1;

static int64_t NowMs(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int ErrnoByName(const char* name) {
  static const struct {
    const char* name;
    int value;
  } kErrnos[] = {{"EIO", EIO}, {"ENOSPC", ENOSPC}, {"EDQUOT", EDQUOT}, {"EROFS", EROFS}};
  for (size_t i = 0; i < sizeof kErrnos / sizeof kErrnos[0]; ++i) {
    if (strcmp(kErrnos[i].name, name) == 0) return kErrnos[i].value;
  }
  return 0;
}

// Parses one line into *rule; 0 when it is not a rule (blank, comment, malformed).
static int ParseRule(char* line, struct Rule* rule) {
  memset(rule, 0, sizeof *rule);
  rule->times_left = -1;
  char* save = NULL;
  char* word = strtok_r(line, " \t\r\n", &save);
  if (word == NULL || word[0] == '#') return 0;
  int call = -1;
  for (int i = 0; i < kCallCount; ++i) {
    if (strcmp(word, kCallNames[i]) == 0) call = i;
  }
  if (call < 0) return 0;
  rule->call = (enum Call)call;
  int has_action = 0;
  while ((word = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
    if (strncmp(word, "delay-ms=", 9) == 0) {
      rule->delay_ms = atol(word + 9);
      has_action = 1;
    } else if (strncmp(word, "path-contains=", 14) == 0) {
      snprintf(rule->path_contains, sizeof rule->path_contains, "%s", word + 14);
    } else if (strncmp(word, "times=", 6) == 0) {
      rule->times_left = atol(word + 6);
    } else if (ErrnoByName(word) != 0) {
      rule->error = ErrnoByName(word);
      has_action = 1;
    } else {
      return 0;
    }
  }
  return has_action;
}

// Re-reads the rules file if it changed. Called with mu held. Uses only calls this library does
// not interpose (open/read go through syscall()).
static void ReloadIfChanged(void) {
  int64_t now = NowMs();
  if (checked_at_ms >= 0 && now - checked_at_ms < 20) return;
  checked_at_ms = now;
  const char* file = getenv("KURA_FAULTS");
  struct stat info;
  if (file == NULL || stat(file, &info) != 0) {
    rule_count = 0;
    calls_with_rules = 0;
    memset(&rules_mtime, 0, sizeof rules_mtime);
    return;
  }
  if (info.st_mtim.tv_sec == rules_mtime.tv_sec && info.st_mtim.tv_nsec == rules_mtime.tv_nsec) {
    return;
  }
  rules_mtime = info.st_mtim;
  char text[8192];
  long fd = syscall(SYS_openat, AT_FDCWD, file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  long n = syscall(SYS_read, fd, text, sizeof text - 1);
  syscall(SYS_close, fd);
  if (n < 0) return;
  text[n] = '\0';
  rule_count = 0;
  calls_with_rules = 0;
  char* save = NULL;
  for (char* line = strtok_r(text, "\n", &save); line && rule_count < kMaxRules;
       line = strtok_r(NULL, "\n", &save)) {
    char copy[512];
    snprintf(copy, sizeof copy, "%s", line);
    if (ParseRule(copy, &rules[rule_count])) {
      calls_with_rules |= 1 << rules[rule_count].call;
      ++rule_count;
    }
  }
}

// The fault for `call` on `fd`: its errno (the call must fail), or 0 after sleeping any delay.
static int FaultFor(enum Call call, int fd) {
  char path[4096] = "";
  int error = 0;
  long delay_ms = 0;
  pthread_mutex_lock(&mu);
  ReloadIfChanged();
  if (calls_with_rules & (1 << call)) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    long n = syscall(SYS_readlinkat, AT_FDCWD, link, path, sizeof path - 1);
    path[n > 0 ? n : 0] = '\0';
    for (int i = 0; i < rule_count; ++i) {
      struct Rule* rule = &rules[i];
      if (rule->call != call || rule->times_left == 0) continue;
      if (rule->path_contains[0] != '\0' && strstr(path, rule->path_contains) == NULL) continue;
      if (rule->times_left > 0) --rule->times_left;
      error = rule->error;
      delay_ms = rule->delay_ms;
      break;
    }
  }
  pthread_mutex_unlock(&mu);
  if (error == 0 && delay_ms > 0) {
    struct timespec pause = {delay_ms / 1000, (delay_ms % 1000) * 1000000};
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
    }
  }
  return error;
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

#define FAIL_OR_RUN(call, fd, real_call)  \
  do {                                    \
    int fault_ = FaultFor((call), (fd));  \
    if (fault_ != 0) {                    \
      errno = fault_;                     \
      return -1;                          \
    }                                     \
    return real_call;                     \
  } while (0)

ssize_t write(int fd, const void* buf, size_t count) {
  static __typeof__(&write) real;
  if (!real) real = REAL(write);
  // stdout and stderr (kura's logs) are never faulted: a fault there would only hide the others.
  if (fd <= 2) return real(fd, buf, count);
  FAIL_OR_RUN(kWrite, fd, real(fd, buf, count));
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
  static __typeof__(&writev) real;
  if (!real) real = REAL(writev);
  if (fd <= 2) return real(fd, iov, iovcnt);
  FAIL_OR_RUN(kWrite, fd, real(fd, iov, iovcnt));
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  static __typeof__(&pwrite) real;
  if (!real) real = REAL(pwrite);
  FAIL_OR_RUN(kPwrite, fd, real(fd, buf, count, offset));
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t offset) {
  static __typeof__(&pwrite64) real;
  if (!real) real = REAL(pwrite64);
  FAIL_OR_RUN(kPwrite, fd, real(fd, buf, count, offset));
}

ssize_t pwritev(int fd, const struct iovec* iov, int iovcnt, off_t offset) {
  static __typeof__(&pwritev) real;
  if (!real) real = REAL(pwritev);
  FAIL_OR_RUN(kPwrite, fd, real(fd, iov, iovcnt, offset));
}

ssize_t read(int fd, void* buf, size_t count) {
  static __typeof__(&read) real;
  if (!real) real = REAL(read);
  if (fd <= 2) return real(fd, buf, count);
  FAIL_OR_RUN(kRead, fd, real(fd, buf, count));
}

ssize_t pread(int fd, void* buf, size_t count, off_t offset) {
  static __typeof__(&pread) real;
  if (!real) real = REAL(pread);
  FAIL_OR_RUN(kPread, fd, real(fd, buf, count, offset));
}

ssize_t pread64(int fd, void* buf, size_t count, off64_t offset) {
  static __typeof__(&pread64) real;
  if (!real) real = REAL(pread64);
  FAIL_OR_RUN(kPread, fd, real(fd, buf, count, offset));
}

ssize_t preadv(int fd, const struct iovec* iov, int iovcnt, off_t offset) {
  static __typeof__(&preadv) real;
  if (!real) real = REAL(preadv);
  FAIL_OR_RUN(kPread, fd, real(fd, iov, iovcnt, offset));
}

ssize_t sendfile(int out_fd, int in_fd, off_t* offset, size_t count) {
  static __typeof__(&sendfile) real;
  if (!real) real = REAL(sendfile);
  FAIL_OR_RUN(kPread, in_fd, real(out_fd, in_fd, offset, count));
}

int fsync(int fd) {
  static __typeof__(&fsync) real;
  if (!real) real = REAL(fsync);
  FAIL_OR_RUN(kFsync, fd, real(fd));
}

int fdatasync(int fd) {
  static __typeof__(&fdatasync) real;
  if (!real) real = REAL(fdatasync);
  FAIL_OR_RUN(kFdatasync, fd, real(fd));
}

int sync_file_range(int fd, off64_t offset, off64_t nbytes, unsigned int flags) {
  static __typeof__(&sync_file_range) real;
  if (!real) real = REAL(sync_file_range);
  FAIL_OR_RUN(kSyncFileRange, fd, real(fd, offset, nbytes, flags));
}
