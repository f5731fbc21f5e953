// Contexts and plans per thread. A tessel context belongs to one thread at
// a time, so each Python thread that computes gets its own, per device and
// thread count, kept until the thread ends. Plans are kept per shape,
// dtypes, kernel and options (the last few used), so that a call on a small
// array costs a lookup rather than a context and a plan. Nothing here needs
// the GIL.
#include "ext.h"

#include <cstring>
#include <list>
#include <map>

namespace tessel_py {

namespace {

constexpr size_t max_plans = 16; // per thread; a plan may hold device buffers

struct PlanEntry {
    std::string key;
    tessel_plan *plan;
};

struct ThreadCache {
    std::map<std::pair<std::string, int>, tessel_context *> contexts;
    std::list<PlanEntry> plans; // most recently used first
    void clear()
    {
        for (auto &e : plans) tessel_plan_destroy(e.plan);
        plans.clear();
        for (auto &c : contexts) tessel_context_destroy(c.second);
        contexts.clear();
    }
    ~ThreadCache() { clear(); }
};

thread_local ThreadCache cache;

template <typename T> void append(std::string &key, const T &value)
{
    key.append(reinterpret_cast<const char *>(&value), sizeof value);
}

// Everything a plan fixes: device, threads, input shape, output dtype,
// options and the kernel. Row strides may differ between calls.
std::string plan_key(const std::string &device, int threads, const Kernel &kernel,
                     const tessel_conv_options &o, const tessel_image &src, tessel_dtype out)
{
    std::string key = device;
    key.push_back('\0');
    append(key, threads);
    int shape[5] = {src.width, src.height, src.channels, static_cast<int>(src.dtype),
                    static_cast<int>(out)};
    append(key, shape);
    int ints[10] = {o.mode, o.border, o.correlate, o.stride_x, o.stride_y,
                    o.anchor_set, o.anchor_x, o.anchor_y, o.method, o.absolute};
    append(key, ints);
    double reals[3] = {o.cval, o.scale, o.offset};
    append(key, reals);
    append(key, kernel.hash);
    key += kernel.coefficients;
    return key;
}

} // namespace

std::mutex &context_creation_lock()
{
    static std::mutex lock;
    return lock;
}

tessel_status create_context(const std::string &device, int threads, tessel_context **out)
{
    tessel_context_options o{};
    o.struct_size = sizeof o;
    o.device = device.empty() ? nullptr : device.c_str();
    o.threads = threads;
    std::lock_guard<std::mutex> guard(context_creation_lock());
    return tessel_context_create(&o, out);
}

tessel_status thread_context(const std::string &device, int threads, tessel_context **out,
                             std::string &message)
{
    auto found = cache.contexts.find({device, threads});
    if (found != cache.contexts.end()) {
        *out = found->second;
        return TESSEL_OK;
    }
    tessel_context *ctx = nullptr;
    tessel_status s = create_context(device, threads, &ctx);
    if (s != TESSEL_OK) {
        message = last_error();
        return s;
    }
    cache.contexts[{device, threads}] = ctx;
    *out = ctx;
    return TESSEL_OK;
}

tessel_status thread_execute(const std::string &device, int threads, const Kernel &kernel,
                             const tessel_conv_options &options, const tessel_image &src,
                             tessel_image &dst, std::string &message)
{
    tessel_context *ctx = nullptr;
    tessel_status s = thread_context(device, threads, &ctx, message);
    if (s != TESSEL_OK) return s;
    std::string key = plan_key(device, threads, kernel, options, src, dst.dtype);
    auto it = cache.plans.begin();
    while (it != cache.plans.end() && it->key != key) ++it;
    if (it != cache.plans.end()) {
        cache.plans.splice(cache.plans.begin(), cache.plans, it); // most recent first
    } else {
        tessel_plan *plan = nullptr;
        s = tessel_plan_create(ctx, &src, dst.dtype, kernel.handle, &options, &plan);
        if (s != TESSEL_OK) {
            message = context_error(ctx);
            return s;
        }
        if (cache.plans.size() >= max_plans) {
            tessel_plan_destroy(cache.plans.back().plan);
            cache.plans.pop_back();
        }
        cache.plans.push_front({std::move(key), plan});
    }
    s = tessel_plan_execute(cache.plans.front().plan, &src, &dst);
    if (s != TESSEL_OK) message = context_error(ctx);
    return s;
}

void release_thread_cache() { cache.clear(); }

int thread_plan_count() { return static_cast<int>(cache.plans.size()); }

} // namespace tessel_py
