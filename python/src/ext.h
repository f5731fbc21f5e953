// Shared declarations of the _tessel extension: the C API seen from C++,
// arrays as tessel images, the per-thread cache, and the binding entry
// points (one per file).
#pragma once

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include <memory>
#include <mutex>
#include <string>

extern "C" {
#include "tessel/tessel.h"
}

namespace nb = nanobind;

namespace tessel_py {

// Any CPU NumPy array, read-only or not (dtype and layout checked by us).
using InArray = nb::ndarray<nb::numpy, nb::device::cpu, nb::ro>;
using OutArray = nb::ndarray<nb::numpy, nb::device::cpu>;

// Raises the tessel.Error subclass for status with message (never returns).
[[noreturn]] void raise_status(tessel_status status, const std::string &message);
// The message of the last failure on this thread (tessel_last_error).
std::string last_error();
// Raises tessel.InvalidArgument (a ValueError) with message.
[[noreturn]] void raise_invalid(const std::string &message);

// The tessel dtype of an array's element type, or raises InvalidArgument
// naming `what` and the type.
tessel_dtype array_dtype(const nb::dlpack::dtype &dtype, const char *what);
// A view of a 2-D (rows, cols) or 3-D (rows, cols, channels) array whose
// columns and channels are packed and whose rows have a positive stride;
// raises InvalidArgument otherwise (the Python layer copies such arrays).
tessel_image image_view(const InArray &array, const char *what);
tessel_image image_view(const OutArray &array, const char *what);

// The conv options and their defaults as tessel.h has them.
struct ConvOptions {
    int mode = TESSEL_MODE_SAME;
    int border = TESSEL_BORDER_REFLECT;
    double cval = 0.0;
    bool correlate = false;
    int stride_y = 1, stride_x = 1;
    int anchor_y = -1, anchor_x = -1; // -1 = the default anchor
    int method = TESSEL_METHOD_AUTO;
    double scale = 1.0, offset = 0.0;
    bool absolute = false;
    tessel_conv_options to_c() const;
};

// A kernel shared between Python objects and cached plans.
struct Kernel {
    tessel_kernel *handle = nullptr;
    uint64_t hash = 0;      // of the shape and coefficients: the plan cache's key
    std::string coefficients; // the dense coefficients as bytes (for the key)
    ~Kernel() { tessel_kernel_destroy(handle); }
};
using KernelRef = std::shared_ptr<Kernel>;

// tessel_context_create for device ("" = auto) and threads, one creation at a
// time in the process: creating contexts concurrently crashes inside PoCL's
// platform query (libpocl 3.1). Also held around tessel_batch_create.
tessel_status create_context(const std::string &device, int threads, tessel_context **out);
std::mutex &context_creation_lock();

// The calling thread's context for (device, threads), created on first use
// and kept until the thread ends (or release_thread_cache). Call without
// the GIL. On failure returns the status and sets message.
tessel_status thread_context(const std::string &device, int threads, tessel_context **out,
                             std::string &message);
// Runs kernel over src into dst with the calling thread's cached plan for
// this shape, kernel and options (made on first use). Call without the GIL.
tessel_status thread_execute(const std::string &device, int threads, const Kernel &kernel,
                             const tessel_conv_options &options, const tessel_image &src,
                             tessel_image &dst, std::string &message);
// Destroys the calling thread's plans and contexts.
void release_thread_cache();
// Plans cached on the calling thread (for tests).
int thread_plan_count();

// A context's message, or the thread's when the context has none.
std::string context_error(const tessel_context *context);

void bind_errors(nb::module_ &m);
void bind_kernel(nb::module_ &m);
void bind_convolve(nb::module_ &m);
void bind_plan(nb::module_ &m);
void bind_buffer(nb::module_ &m);
void bind_fourier(nb::module_ &m);
void bind_io(nb::module_ &m);
void bind_batch(nb::module_ &m);
void bind_devices(nb::module_ &m);
void bind_pool(nb::module_ &m);

} // namespace tessel_py
