// tessel.Plan's compiled half: one plan on a context of its own, so that a
// plan object may be used from any thread (one call at a time: a mutex).
#include "ext.h"

#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/unique_ptr.h>

#include <mutex>

namespace tessel_py {

namespace {

struct Plan {
    tessel_context *context = nullptr;
    tessel_plan *plan = nullptr;
    std::mutex lock;
    ~Plan()
    {
        tessel_plan_destroy(plan);
        tessel_context_destroy(context);
    }
};

std::unique_ptr<Plan> make_plan(const std::string &device, int threads, int height, int width,
                                int channels, int in_dtype, int out_dtype, const KernelRef &kernel,
                                const ConvOptions &options)
{
    auto p = std::make_unique<Plan>();
    tessel_image shape = tessel_image_view(nullptr, width, height, channels,
                                           static_cast<tessel_dtype>(in_dtype));
    tessel_conv_options o = options.to_c();
    tessel_status s;
    std::string message;
    {
        nb::gil_scoped_release unlocked;
        s = create_context(device, threads, &p->context);
        if (s != TESSEL_OK) {
            message = last_error();
        } else {
            s = tessel_plan_create(p->context, &shape, static_cast<tessel_dtype>(out_dtype),
                                   kernel->handle, &o, &p->plan);
            if (s != TESSEL_OK) message = context_error(p->context);
        }
    }
    if (s != TESSEL_OK) raise_status(s, message);
    return p;
}

void execute(Plan &p, InArray src, OutArray dst)
{
    tessel_image in = image_view(src, "input");
    tessel_image out = image_view(dst, "output");
    tessel_status s;
    std::string message;
    {
        nb::gil_scoped_release unlocked;
        std::lock_guard<std::mutex> guard(p.lock);
        s = tessel_plan_execute(p.plan, &in, &out);
        if (s != TESSEL_OK) message = context_error(p.context);
    }
    if (s != TESSEL_OK) raise_status(s, message);
}

nb::dict info(Plan &p)
{
    tessel_plan_properties i{};
    i.struct_size = sizeof i;
    std::lock_guard<std::mutex> guard(p.lock);
    tessel_status s = tessel_plan_info(p.plan, &i);
    if (s != TESSEL_OK) raise_status(s, context_error(p.context));
    nb::dict d;
    d["backend"] = i.backend_name;
    d["device"] = i.device_name;
    d["method"] = i.method_name;
    d["method_reason"] = i.method_reason;
    d["input_shape"] = nb::make_tuple(i.in_height, i.in_width, i.channels);
    d["output_shape"] = nb::make_tuple(i.out_height, i.out_width, i.channels);
    d["input_dtype"] = tessel_dtype_name(i.in_dtype);
    d["output_dtype"] = tessel_dtype_name(i.out_dtype);
    d["kernel_shape"] = nb::make_tuple(i.kernel_height, i.kernel_width);
    d["threads"] = i.threads;
    d["tiles"] = nb::make_tuple(i.tiles_y, i.tiles_x);
    d["tile_shape"] = nb::make_tuple(i.tile_height, i.tile_width);
    d["integer_path"] = i.integer_path != 0;
    return d;
}

} // namespace

void bind_plan(nb::module_ &m)
{
    nb::class_<Plan>(m, "Plan", "A tessel_plan on a context of its own (see tessel.Plan).")
        .def(nb::new_(&make_plan), nb::arg("device"), nb::arg("threads"), nb::arg("height"),
             nb::arg("width"), nb::arg("channels"), nb::arg("in_dtype"), nb::arg("out_dtype"),
             nb::arg("kernel"), nb::arg("options"))
        .def("execute", &execute, nb::arg("src"), nb::arg("dst"))
        .def("info", &info);
}

} // namespace tessel_py
