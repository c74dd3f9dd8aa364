/* io_fault_shim.c — an LD_PRELOAD library that makes the server's fsync or write calls fail on demand.
 *
 * Why it exists: a full disk can be made with a small tmpfs, but an fsync that fails (a dying disk,
 * a lost network volume) cannot be produced on a real file system at will, and a tmpfs fills up for
 * every file in it at once. The fault tests (tests/faults) need to switch such failures on and off
 * while the server runs, for the database's files only, to check that it answers 503
 * storage_unavailable / storage_full, reports them on /healthz and recovers (issue #17, web/API.md).
 *
 * Use: LD_PRELOAD=libhotline_io_fault.so HOTLINE_FAULT_PATH=/dir/of/db HOTLINE_FAULT_CONTROL=/file
 * Only descriptors whose /proc/self/fd/N target starts with HOTLINE_FAULT_PATH are affected. For
 * those, every intercepted call reads the control file (so a test flips faults with a rename):
 * absent or empty: no fault; `fsync EIO`: fsync/fdatasync fail with EIO; `write ENOSPC` or
 * `write EIO`: write/pwrite/pwrite64/writev/pwritev/pwritev64 fail with that error. A failing call
 * does nothing (it does not call the real function).
 *
 * Safety: the wrappers can run before the program's main, even before the real functions are looked
 * up; they never call an intercepted function themselves (readlink/open/read/close are not
 * intercepted), and a per-thread flag sends any re-entry (dlsym writing an error, say) straight to
 * the system call. errno is kept as it was when no fault is injected.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum op { OP_SYNC, OP_WRITE };

/* Set while the shim itself works on this thread: a nested call goes straight through. */
static __thread int in_shim __attribute__((tls_model("initial-exec")));

/* The next definition of `name` (libc's), looked up once; NULL while unavailable or on re-entry. */
static void* real_symbol(const char* name, void** slot) {
  void* p = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
  if (p != NULL || in_shim) return p;
  in_shim = 1;
  p = dlsym(RTLD_NEXT, name);
  in_shim = 0;
  __atomic_store_n(slot, p, __ATOMIC_RELEASE);
  return p;
}

/* Whether the descriptor's file lies under the prefix. */
static int affected(int fd, const char* prefix) {
  char link[64], target[4096];
  /* No snprintf: keep to calls that cannot write anywhere. */
  static const char base[] = "/proc/self/fd/";
  char digits[16];
  int n = 0;
  unsigned v = (unsigned)fd;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  memcpy(link, base, sizeof base - 1);
  for (int i = 0; i < n; ++i) link[sizeof base - 1 + i] = digits[n - 1 - i];
  link[sizeof base - 1 + n] = '\0';
  const ssize_t len = readlink(link, target, sizeof target - 1);
  if (len <= 0) return 0;
  target[len] = '\0';
  return strncmp(target, prefix, strlen(prefix)) == 0;
}

/* The errno to fail this call with, or 0. */
static int injected_error(int fd, enum op op) {
  if (in_shim || fd < 0) return 0;
  const char* prefix = getenv("HOTLINE_FAULT_PATH");
  const char* control = getenv("HOTLINE_FAULT_CONTROL");
  if (prefix == NULL || *prefix == '\0' || control == NULL || *control == '\0') return 0;
  in_shim = 1;
  const int saved = errno;
  int err = 0;
  if (affected(fd, prefix)) {
    char text[64] = {0};
    const int c = open(control, O_RDONLY | O_CLOEXEC);
    if (c >= 0) {
      const ssize_t got = read(c, text, sizeof text - 1);
      close(c);
      if (got > 0) {
        text[got] = '\0';
        text[strcspn(text, "\r\n")] = '\0';
        if (op == OP_SYNC && strcmp(text, "fsync EIO") == 0) err = EIO;
        else if (op == OP_WRITE && strcmp(text, "write ENOSPC") == 0) err = ENOSPC;
        else if (op == OP_WRITE && strcmp(text, "write EIO") == 0) err = EIO;
      }
    }
  }
  errno = saved;
  in_shim = 0;
  return err;
}

/* `var`: the real `name`, typed as our own definition of it; dlsym gives an object pointer, and
 * converting it through memcpy keeps -Wpedantic quiet. */
#define REAL(name, var)                                  \
  static void* name##_slot;                              \
  __typeof__(&name) var;                                 \
  {                                                      \
    void* p_ = real_symbol(#name, &name##_slot);         \
    memcpy(&var, &p_, sizeof var);                       \
  }

#define FAIL_IF_INJECTED(fd, op)  \
  do {                            \
    const int e_ = injected_error(fd, op); \
    if (e_ != 0) {                \
      errno = e_;                 \
      return -1;                  \
    }                             \
  } while (0)

int fsync(int fd) {
  FAIL_IF_INJECTED(fd, OP_SYNC);
  REAL(fsync, f);
  return f ? f(fd) : (int)syscall(SYS_fsync, fd);
}

int fdatasync(int fd) {
  FAIL_IF_INJECTED(fd, OP_SYNC);
  REAL(fdatasync, f);
  return f ? f(fd) : (int)syscall(SYS_fdatasync, fd);
}

ssize_t write(int fd, const void* buf, size_t n) {
  FAIL_IF_INJECTED(fd, OP_WRITE);
  REAL(write, f);
  return f ? f(fd, buf, n) : syscall(SYS_write, fd, buf, n);
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t offset) {
  FAIL_IF_INJECTED(fd, OP_WRITE);
  REAL(pwrite, f);
  return f ? f(fd, buf, n, offset) : syscall(SYS_pwrite64, fd, buf, n, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t offset) {
  FAIL_IF_INJECTED(fd, OP_WRITE);
  REAL(pwrite64, f);
  return f ? f(fd, buf, n, offset) : syscall(SYS_pwrite64, fd, buf, n, offset);
}

ssize_t writev(int fd, const struct iovec* iov, int count) {
  FAIL_IF_INJECTED(fd, OP_WRITE);
  REAL(writev, f);
  return f ? f(fd, iov, count) : syscall(SYS_writev, fd, iov, count);
}

/* The kernel takes the offset in two halves (low, high); on 64-bit systems the low one holds it all. */
ssize_t pwritev(int fd, const struct iovec* iov, int count, off_t offset) {
  FAIL_IF_INJECTED(fd, OP_WRITE);
  REAL(pwritev, f);
  return f ? f(fd, iov, count, offset)
           : syscall(SYS_pwritev, fd, iov, count, (long)offset, (long)((unsigned long long)offset >> 32));
}

ssize_t pwritev64(int fd, const struct iovec* iov, int count, off64_t offset) {
  FAIL_IF_INJECTED(fd, OP_WRITE);
  REAL(pwritev64, f);
  return f ? f(fd, iov, count, offset)
           : syscall(SYS_pwritev, fd, iov, count, (long)offset, (long)((unsigned long long)offset >> 32));
}
