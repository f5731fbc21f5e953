// Convolution calls through the per-thread cache, with the GIL released
// while tessel computes.
#include "ext.h"

#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/shared_ptr.h>

namespace tessel_py {

tessel_conv_options ConvOptions::to_c() const
{
    tessel_conv_options o{};
    o.struct_size = sizeof o;
    o.mode = static_cast<tessel_mode>(mode);
    o.border = static_cast<tessel_border>(border);
    o.cval = cval;
    o.correlate = correlate;
    o.stride_x = stride_x;
    o.stride_y = stride_y;
    o.anchor_set = anchor_x >= 0 || anchor_y >= 0;
    o.anchor_x = anchor_x;
    o.anchor_y = anchor_y;
    o.method = static_cast<tessel_method>(method);
    o.scale = scale;
    o.offset = offset;
    o.absolute = absolute;
    return o;
}

// dst = kernel (*) src with the thread's cached plan.
static void execute(InArray src, OutArray dst, const KernelRef &kernel, const ConvOptions &options,
                    const std::string &device, int threads)
{
    tessel_image in = image_view(src, "input");
    tessel_image out = image_view(dst, "output");
    tessel_conv_options o = options.to_c();
    std::string message;
    tessel_status s;
    {
        nb::gil_scoped_release unlocked;
        s = thread_execute(device, threads, *kernel, o, in, out, message);
    }
    if (s != TESSEL_OK) raise_status(s, message);
}

// numpy.convolve's 1-D call on each row of src (tessel_convolve1d_rows).
static void convolve_rows(InArray src, OutArray dst, const KernelRef &kernel,
                          const ConvOptions &options, const std::string &device, int threads)
{
    tessel_image in = image_view(src, "input");
    tessel_image out = image_view(dst, "output");
    tessel_conv_options o = options.to_c();
    std::string message;
    tessel_status s;
    {
        nb::gil_scoped_release unlocked;
        tessel_context *ctx = nullptr;
        s = thread_context(device, threads, &ctx, message);
        if (s == TESSEL_OK) {
            s = tessel_convolve1d_rows(ctx, &in, kernel->handle, &o, &out);
            if (s != TESSEL_OK) message = context_error(ctx);
        }
    }
    if (s != TESSEL_OK) raise_status(s, message);
}

static std::pair<int, int> output_size(int width, int height, const KernelRef &kernel,
                                       const ConvOptions &options)
{
    tessel_conv_options o = options.to_c();
    int ow = 0, oh = 0;
    tessel_status s = tessel_conv_output_size(width, height, kernel->handle, &o, &ow, &oh);
    if (s != TESSEL_OK) raise_status(s, last_error());
    return {oh, ow};
}

static int output_length_1d(int length, const KernelRef &kernel, const ConvOptions &options)
{
    tessel_conv_options o = options.to_c();
    int n = 0;
    tessel_status s = tessel_conv1d_output_size(length, kernel->handle, &o, &n);
    if (s != TESSEL_OK) raise_status(s, last_error());
    return n;
}

void bind_convolve(nb::module_ &m)
{
    nb::class_<ConvOptions>(m, "ConvOptions", "tessel_conv_options (anchors -1 = default).")
        .def(nb::init<>())
        .def_rw("mode", &ConvOptions::mode)
        .def_rw("border", &ConvOptions::border)
        .def_rw("cval", &ConvOptions::cval)
        .def_rw("correlate", &ConvOptions::correlate)
        .def_rw("stride_y", &ConvOptions::stride_y)
        .def_rw("stride_x", &ConvOptions::stride_x)
        .def_rw("anchor_y", &ConvOptions::anchor_y)
        .def_rw("anchor_x", &ConvOptions::anchor_x)
        .def_rw("method", &ConvOptions::method)
        .def_rw("scale", &ConvOptions::scale)
        .def_rw("offset", &ConvOptions::offset)
        .def_rw("absolute", &ConvOptions::absolute);

    m.def("execute", &execute, nb::arg("src"), nb::arg("dst"), nb::arg("kernel"),
          nb::arg("options"), nb::arg("device"), nb::arg("threads"),
          "dst = kernel (*) src on the calling thread's cached context and plan, GIL released.");
    m.def("convolve_rows", &convolve_rows, nb::arg("src"), nb::arg("dst"), nb::arg("kernel"),
          nb::arg("options"), nb::arg("device"), nb::arg("threads"),
          "tessel_convolve1d_rows (numpy.convolve semantics per row), GIL released.");
    m.def("output_size", &output_size, nb::arg("width"), nb::arg("height"), nb::arg("kernel"),
          nb::arg("options"), "(rows, columns) of a 2-D output (tessel_conv_output_size).");
    m.def("output_length_1d", &output_length_1d, nb::arg("length"), nb::arg("kernel"),
          nb::arg("options"), "Length of a 1-D output (tessel_conv1d_output_size).");
    m.def("release_thread_cache", &release_thread_cache,
          "Destroys the calling thread's cached plans and contexts.");
    m.def("thread_plan_count", &thread_plan_count, "Plans cached on the calling thread.");
}

} // namespace tessel_py
