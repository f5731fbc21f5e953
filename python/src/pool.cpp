// Large result arrays from a pool of memory blocks kept after their arrays
// die. A fresh array of many megabytes costs a page fault and the kernel's
// zeroing of every page on first write, as much as a fast filter over the
// same pixels; a function called in a loop (a stream of frames, the chunks
// of a Dask array) gets back the block of a result it has dropped instead.
// Blocks come from mmap (huge pages where the kernel gives them); the pool
// keeps at most `limit` bytes of unused blocks, the least recently
// released going first. An array's block returns when the array and every
// view of it are gone (its owner capsule dies), so a block is never handed
// out while something can still see it.
#include "ext.h"

#include <nanobind/stl/vector.h>

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace tessel_py {

namespace {

constexpr size_t default_limit = size_t(256) << 20;
constexpr size_t granule = size_t(64) << 10; // sizes round up to this (bounded waste)
constexpr size_t huge_page = size_t(2) << 20;

struct Block {
    void *data;
    size_t bytes;
};

struct Pool {
    std::mutex lock;
    std::vector<Block> unused; // the least recently released first
    size_t unused_bytes = 0;
    size_t limit = default_limit;
    size_t in_use_bytes = 0;
    size_t reused = 0; // blocks handed out again (for tests)
};

// Never destroyed: arrays may die after static destructors have run.
Pool &pool()
{
    static Pool *p = new Pool;
    return *p;
}

void *map_block(size_t bytes)
{
    void *data = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (data == MAP_FAILED) return nullptr;
#ifdef MADV_HUGEPAGE
    if (bytes >= huge_page) madvise(data, bytes, MADV_HUGEPAGE); // a hint; failure is harmless
#endif
    return data;
}

// Drops the oldest unused blocks until `bytes` more fit under the limit;
// returns them for unmapping outside the lock.
std::vector<Block> evict_for(Pool &p, size_t bytes)
{
    std::vector<Block> gone;
    while (!p.unused.empty() && p.unused_bytes + bytes > p.limit) {
        gone.push_back(p.unused.front());
        p.unused_bytes -= p.unused.front().bytes;
        p.unused.erase(p.unused.begin());
    }
    return gone;
}

void unmap_all(const std::vector<Block> &blocks)
{
    for (const Block &b : blocks) munmap(b.data, b.bytes);
}

// The smallest unused block of at least `bytes` and at most a quarter
// larger (a bigger one would pin memory the array does not use).
Block take(size_t bytes)
{
    Pool &p = pool();
    std::lock_guard<std::mutex> guard(p.lock);
    auto best = p.unused.end();
    for (auto it = p.unused.begin(); it != p.unused.end(); ++it)
        if (it->bytes >= bytes && it->bytes <= bytes + bytes / 4 &&
            (best == p.unused.end() || it->bytes < best->bytes))
            best = it;
    if (best == p.unused.end()) return {nullptr, 0};
    Block b = *best;
    p.unused.erase(best);
    p.unused_bytes -= b.bytes;
    p.in_use_bytes += b.bytes;
    ++p.reused;
    return b;
}

void give_back(Block b) noexcept
{
    Pool &p = pool();
    std::vector<Block> gone;
    {
        std::lock_guard<std::mutex> guard(p.lock);
        p.in_use_bytes -= b.bytes;
        if (b.bytes > p.limit) {
            gone.push_back(b);
        } else {
            gone = evict_for(p, b.bytes);
            p.unused.push_back(b);
            p.unused_bytes += b.bytes;
        }
    }
    unmap_all(gone);
}

nb::dlpack::dtype dlpack_dtype(int code)
{
    switch (code) {
    case TESSEL_U8: return nb::dtype<uint8_t>();
    case TESSEL_U16: return nb::dtype<uint16_t>();
    case TESSEL_F32: return nb::dtype<float>();
    default: raise_invalid("a pooled array is uint8, uint16 or float32");
    }
}

// An uninitialised C-contiguous array of shape and tessel dtype `code`.
nb::ndarray<nb::numpy> pooled_empty(const std::vector<size_t> &shape, int code)
{
    nb::dlpack::dtype dtype = dlpack_dtype(code);
    size_t bytes = dtype.bits / 8;
    for (size_t n : shape) {
        if (n != 0 && bytes > SIZE_MAX / n) raise_status(TESSEL_ERR_OUT_OF_MEMORY, "array too large");
        bytes *= n;
    }
    bytes = std::max(granule, (bytes + granule - 1) / granule * granule);
    Block block = take(bytes);
    if (!block.data) {
        void *data;
        {
            nb::gil_scoped_release unlocked;
            data = map_block(bytes);
        }
        if (!data)
            raise_status(TESSEL_ERR_OUT_OF_MEMORY,
                         "cannot map " + std::to_string(bytes) + " bytes for an array");
        block = {data, bytes};
        std::lock_guard<std::mutex> guard(pool().lock);
        pool().in_use_bytes += bytes;
    }
    Block *owned = new Block(block);
    nb::capsule owner(owned, [](void *p) noexcept {
        give_back(*static_cast<Block *>(p));
        delete static_cast<Block *>(p);
    });
    return nb::ndarray<nb::numpy>(block.data, shape.size(), shape.data(), owner, nullptr, dtype);
}

void set_limit(size_t limit)
{
    Pool &p = pool();
    std::vector<Block> gone;
    {
        std::lock_guard<std::mutex> guard(p.lock);
        p.limit = limit;
        gone = evict_for(p, 0);
    }
    unmap_all(gone);
}

nb::dict info()
{
    Pool &p = pool();
    std::lock_guard<std::mutex> guard(p.lock);
    nb::dict d;
    d["limit"] = p.limit;
    d["unused_bytes"] = p.unused_bytes;
    d["unused_blocks"] = p.unused.size();
    d["in_use_bytes"] = p.in_use_bytes;
    d["reused"] = p.reused;
    return d;
}

} // namespace

void bind_pool(nb::module_ &m)
{
    m.def("pooled_empty", &pooled_empty, nb::arg("shape"), nb::arg("dtype"),
          "An uninitialised array whose memory returns to the pool when it dies.");
    m.def("set_pool_limit", &set_limit, nb::arg("limit"),
          "Bytes of unused blocks the pool keeps (0: none, all released now).");
    m.def("pool_info", &info, "limit, unused_bytes, unused_blocks, in_use_bytes, reused.");
}

} // namespace tessel_py
