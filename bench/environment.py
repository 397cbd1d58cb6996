#!/usr/bin/env python3
"""The environment block printed above every bench/compare.py table (issue #19): what a reader
needs to tell whether two tables are comparable — CPU model and the flags kura's crypto uses,
cache sizes, kernel, kura's build (commit, type, flags, compiler, OpenSSL), whether that build is
the one scripts/serve makes, the allocator, the other tools' versions and the load at start.

Reads /proc, /sys, the build dir's CMakeCache.txt, `kura --version`, `ldd` and scripts/serve;
changes nothing. Every probe degrades to "unknown" rather than failing the benchmark.

usage: bench/environment.py [BUILD_DIR]   (prints the block alone; default build)
"""
import datetime
import os
import re
import subprocess

# The CPU features the server's hot paths use: SHA-256 (SigV4, payload hashes), AES-GCM (TLS,
# session tokens, SSE) and the vector widths OpenSSL picks its code paths by.
CPU_FLAGS = ("sha_ni", "aes", "vaes", "vpclmulqdq", "avx2", "avx512f")
ALLOCATORS = ("jemalloc", "tcmalloc", "mimalloc", "hoard", "snmalloc")


def _run(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (out.stdout + out.stderr).strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def _cpuinfo():
    info = {}
    try:
        for line in open("/proc/cpuinfo"):
            k, _, v = line.partition(":")
            info.setdefault(k.strip(), v.strip())  # the first CPU's values
    except OSError:
        pass
    return info


def _cache_sizes():
    """{"L2": "1024K per core", ...} from /sys (per instance, and whether it is shared)."""
    sizes = {}
    base = "/sys/devices/system/cpu/cpu0/cache"
    for index in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        d = f"{base}/{index}"
        try:
            level = open(f"{d}/level").read().strip()
            size = open(f"{d}/size").read().strip()
            shared = open(f"{d}/shared_cpu_list").read().strip()
        except OSError:
            continue
        if level in ("2", "3"):
            who = "per core" if shared.isdigit() else f"shared by CPUs {shared}"
            sizes[f"L{level}"] = f"{size} {who}"
    return sizes


def _cmake_cache(build):
    cache = {}
    try:
        for line in open(f"{build}/CMakeCache.txt"):
            m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*):[A-Z]+=(.*)$", line.rstrip("\n"))
            if m:
                cache[m.group(1)] = m.group(2)
    except OSError:
        pass
    return cache


def _serve_build(repo):
    """(build dir, build type) that scripts/serve configures, read from the script itself."""
    try:
        text = open(f"{repo}/scripts/serve").read()
    except OSError:
        return None, None
    m = re.search(r"scripts/build\.sh\s+(\S+)[^\n]*-DCMAKE_BUILD_TYPE=(\S+)", text)
    return (m.group(1), m.group(2)) if m else (None, None)


def _is_serve_binary(build, cache, repo):
    serve_dir, serve_type = _serve_build(repo)
    if serve_dir is None:
        return "unknown (scripts/serve not readable)"
    source = cache.get("CMAKE_HOME_DIRECTORY", "")
    expected = os.path.realpath(os.path.join(source, serve_dir)) if source else None
    build_type = cache.get("CMAKE_BUILD_TYPE", "?")
    same_dir = expected == os.path.realpath(build)
    same_type = build_type == serve_type
    if same_dir and same_type:
        return f"yes (scripts/serve builds {serve_dir}/ as {serve_type})"
    why = []
    if not same_dir:
        why.append(f"build dir is not {source or '?'}/{serve_dir}")
    if not same_type:
        why.append(f"{build_type} where scripts/serve uses {serve_type}")
    return "no: " + "; ".join(why)


def _allocator(kura):
    libs = _run(["ldd", kura])
    for name in ALLOCATORS:
        if name in libs:
            line = next(l for l in libs.splitlines() if name in l)
            return f"{name} ({line.split()[0]}, per ldd)"
    if not libs:
        return "unknown (ldd failed)"
    preload = os.environ.get("LD_PRELOAD", "")
    return f"glibc malloc (ldd shows no {'/'.join(ALLOCATORS)})" + (f"; LD_PRELOAD={preload}" if preload else "")


def _kura_version(kura):
    """The fields of `kura --version`: commit, build type, compiler, built, OpenSSL, ..."""
    fields = {}
    for line in _run([kura, "--version"]).splitlines():
        k, sep, v = line.partition(":")
        if sep:
            fields[k.strip()] = v.strip()
    return fields


def _first_line(text):
    return text.splitlines()[0] if text else "unknown"


def wrk_version():
    """"debian/4.1.0-3+b2" or the like: wrk has no --version, its usage line names it."""
    words = _first_line(_run(["wrk", "--version"])).split()
    return words[1] if len(words) > 1 and words[0] == "wrk" else "unknown"


def block(build, tools=("nginx", "wrk")):
    """The environment as a compact markdown block (a bold title and a list)."""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    kura = f"{build}/kura"
    cpu = _cpuinfo()
    flags = set(cpu.get("flags", "").split())
    have = [f for f in CPU_FLAGS if f in flags]
    missing = [f for f in CPU_FLAGS if f not in flags]
    caches = _cache_sizes()
    lscpu = _run(["lscpu"])
    hyper = re.search(r"Hypervisor vendor:\s*(\S+)", lscpu)
    cache = _cmake_cache(build)
    build_type = cache.get("CMAKE_BUILD_TYPE", "unknown")
    type_flags = cache.get(f"CMAKE_CXX_FLAGS_{build_type.upper()}", "?")
    version = _kura_version(kura)
    versions = [_first_line(_run(["openssl", "version"]))]
    if "nginx" in tools:
        versions.append(_first_line(_run(["nginx", "-v"])).replace("nginx version: ", ""))
    if "wrk" in tools:
        versions.append(f"wrk {wrk_version()}")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"**Environment** ({now}, bench/compare.py)",
        f"- CPU: {cpu.get('model name', 'unknown')} (family {cpu.get('cpu family', '?')} model "
        f"{cpu.get('model', '?')} stepping {cpu.get('stepping', '?')}), {os.cpu_count()} cores, "
        f"{cpu.get('cpu MHz', '?')} MHz, {('hypervisor ' + hyper.group(1)) if hyper else 'no hypervisor reported'}; "
        f"L2 {caches.get('L2', '?')}, L3 {caches.get('L3', '?')}",
        f"- CPU flags: {' '.join(have) or 'none'} present; {' '.join(missing) or 'none'} absent",
        f"- kernel {os.uname().release}; {'; '.join(versions)}",
        f"- kura {version.get('commit', 'unknown commit')} built {version.get('built', '?')} "
        f"({version.get('compiler', cache.get('CMAKE_CXX_COMPILER', '?'))}, OpenSSL "
        f"{version.get('OpenSSL', '?').replace('OpenSSL ', '')}); build dir {build}: "
        f"CMAKE_BUILD_TYPE={build_type} ({type_flags}), CMAKE_CXX_FLAGS='{cache.get('CMAKE_CXX_FLAGS', '?')}', "
        f"KURA_SANITIZE={cache.get('KURA_SANITIZE', '?')}",
        f"- the binary scripts/serve builds: {_is_serve_binary(build, cache, repo)}; bench scripts at "
        f"{_run(['git', '-C', repo, 'describe', '--always', '--dirty']) or 'unknown'}",
        f"- allocator: {_allocator(kura)}",
        f"- load average at start: {load}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    import sys
    print(block(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")))
