// Deconvolution and template matching (tessel_fourier.h) on the calling
// thread's cached context, GIL released.
#include "ext.h"

#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>

#include <vector>

extern "C" {
#include "tessel/tessel_fourier.h"
}

namespace tessel_py {

namespace {

// Runs call(context) on the thread's context for device without the GIL.
template <typename Call> void on_thread_context(const std::string &device, int threads, Call call)
{
    tessel_status s;
    std::string message;
    {
        nb::gil_scoped_release unlocked;
        tessel_context *ctx = nullptr;
        s = thread_context(device, threads, &ctx, message);
        if (s == TESSEL_OK) {
            s = call(ctx);
            if (s != TESSEL_OK) message = context_error(ctx);
        }
    }
    if (s != TESSEL_OK) raise_status(s, message);
}

void deconvolve(InArray src, OutArray dst, const KernelRef &psf, int method, double nsr,
                double regularization, int iterations, double damping, int taper,
                const std::string &device, int threads)
{
    tessel_image in = image_view(src, "image");
    tessel_image out = image_view(dst, "output");
    tessel_deconv_options o{};
    o.struct_size = sizeof o;
    o.method = static_cast<tessel_deconv_method>(method);
    o.noise_to_signal = nsr;
    o.regularization = regularization;
    o.iterations = iterations;
    o.damping = damping;
    o.taper = taper;
    on_thread_context(device, threads, [&](tessel_context *ctx) {
        return tessel_deconvolve(ctx, &in, psf->handle, &o, &out);
    });
}

void match_template(InArray src, InArray templ, OutArray scores, const std::string &device,
                    int threads)
{
    tessel_image in = image_view(src, "image");
    tessel_image t = image_view(templ, "template");
    tessel_image out = image_view(scores, "scores");
    on_thread_context(device, threads, [&](tessel_context *ctx) {
        return tessel_match_template(ctx, &in, &t, &out);
    });
}

nb::list match_best(InArray scores, float min_score, int min_distance, int max_matches,
                    const std::string &device)
{
    tessel_image in = image_view(scores, "scores");
    if (max_matches < 0) raise_invalid("max_matches must not be negative");
    std::vector<tessel_match> found(static_cast<size_t>(max_matches));
    int count = 0;
    on_thread_context(device, 0, [&](tessel_context *ctx) {
        return tessel_match_best(ctx, &in, min_score, min_distance, max_matches, found.data(),
                                 &count);
    });
    nb::list out;
    for (int i = 0; i < count; ++i)
        out.append(nb::make_tuple(found[i].y, found[i].x, found[i].score));
    return out;
}

} // namespace

void bind_fourier(nb::module_ &m)
{
    m.def("deconvolve", &deconvolve, nb::arg("src"), nb::arg("dst"), nb::arg("psf"),
          nb::arg("method"), nb::arg("nsr"), nb::arg("regularization"), nb::arg("iterations"),
          nb::arg("damping"), nb::arg("taper"), nb::arg("device"), nb::arg("threads"),
          "tessel_deconvolve, GIL released.");
    m.def("match_template", &match_template, nb::arg("src"), nb::arg("templ"),
          nb::arg("scores"), nb::arg("device"), nb::arg("threads"),
          "tessel_match_template, GIL released.");
    m.def("match_best", &match_best, nb::arg("scores"), nb::arg("min_score"),
          nb::arg("min_distance"), nb::arg("max_matches"), nb::arg("device"),
          "tessel_match_best: [(row, column, score)], best first.");
}

} // namespace tessel_py
