"""Compresses staged parts (uncompressed JSON lines) whole, one call per part, with the libraries
and calls `PartCompressor` uses (libdeflate's gzip, zstd's ZSTD_compressCCtx), and prints per
codec and level the CPU seconds (this thread's, median of RUNS), MB/s per core and the ratio.
usage: codecs.py STAGING RUNS CODEC:LEVEL..."""
import ctypes, json, os, statistics, sys, time

staging, runs, specs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
manifest = json.load(open(os.path.join(staging, "manifest.json")))
parts = [open(os.path.join(staging, p["file"]), "rb").read() for t in manifest["tables"] for p in t["parts"]]
total = sum(len(p) for p in parts)

deflate = ctypes.CDLL("libdeflate.so.0")
deflate.libdeflate_alloc_compressor.restype = ctypes.c_void_p
deflate.libdeflate_alloc_compressor.argtypes = [ctypes.c_int]
deflate.libdeflate_gzip_compress_bound.restype = ctypes.c_size_t
deflate.libdeflate_gzip_compress_bound.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
deflate.libdeflate_gzip_compress.restype = ctypes.c_size_t
deflate.libdeflate_gzip_compress.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t]
zstd = ctypes.CDLL("libzstd.so.1")
zstd.ZSTD_createCCtx.restype = ctypes.c_void_p
zstd.ZSTD_compressBound.restype = ctypes.c_size_t
zstd.ZSTD_compressBound.argtypes = [ctypes.c_size_t]
zstd.ZSTD_compressCCtx.restype = ctypes.c_size_t
zstd.ZSTD_compressCCtx.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
zstd.ZSTD_isError.restype = ctypes.c_uint
zstd.ZSTD_isError.argtypes = [ctypes.c_size_t]

print("parts: %d, %d bytes of JSON lines" % (len(parts), total))
print("%-6s %5s %9s %11s %12s %7s" % ("codec", "level", "cpu_s", "MB/s/core", "compressed", "ratio"))
for spec in specs:
    codec, level = spec.split(":")[0], int(spec.split(":")[1])
    if codec == "gzip":
        state = deflate.libdeflate_alloc_compressor(level)
        bound = lambda n: deflate.libdeflate_gzip_compress_bound(state, n)
        squeeze = lambda src, dst, cap: deflate.libdeflate_gzip_compress(state, src, len(src), dst, cap)
    else:
        state = zstd.ZSTD_createCCtx()
        bound = zstd.ZSTD_compressBound
        def squeeze(src, dst, cap):
            n = zstd.ZSTD_compressCCtx(state, dst, cap, src, len(src), level)
            return 0 if zstd.ZSTD_isError(n) else n
    buffers = [ctypes.create_string_buffer(bound(len(p))) for p in parts]
    times, size = [], 0
    for _ in range(runs):
        spent, size = 0.0, 0
        for p, b in zip(parts, buffers):
            start = time.thread_time()
            n = squeeze(p, b, len(b))
            spent += time.thread_time() - start
            assert n > 0, spec
            size += n
        times.append(spent)
    cpu = statistics.median(times)
    print("%-6s %5d %9.3f %11.0f %12d %7.2f" % (codec, level, cpu, total / 1e6 / cpu, size, total / size))
