// Devices and versions.
#include "ext.h"

#include <nanobind/stl/string.h>

#include <vector>

namespace tessel_py {

static nb::list devices()
{
    int count = 0;
    std::vector<tessel_device_desc> found;
    tessel_status s;
    {
        nb::gil_scoped_release unlocked;
        std::lock_guard<std::mutex> guard(context_creation_lock());
        s = tessel_devices_list(nullptr, 0, &count);
        if (s == TESSEL_OK && count > 0) {
            found.resize(static_cast<size_t>(count));
            s = tessel_devices_list(found.data(), count, &count);
        }
    }
    if (s != TESSEL_OK) raise_status(s, last_error());
    nb::list out;
    for (int i = 0; i < count && i < static_cast<int>(found.size()); ++i) {
        const tessel_device_desc &d = found[i];
        nb::dict e;
        e["spec"] = d.spec;
        e["name"] = d.name;
        e["backend"] = tessel_backend_name(d.backend);
        e["kind"] = d.kind;
        e["detail"] = d.detail;
        e["auto"] = d.is_auto != 0;
        out.append(e);
    }
    return out;
}

static std::string device_name(const std::string &device, int threads)
{
    tessel_context *ctx = nullptr;
    std::string message;
    tessel_status s;
    {
        nb::gil_scoped_release unlocked;
        s = thread_context(device, threads, &ctx, message);
    }
    if (s != TESSEL_OK) raise_status(s, message);
    return tessel_context_device_name(ctx);
}

void bind_devices(nb::module_ &m)
{
    m.def("devices", &devices, "The devices tessel can run on (tessel_devices_list).");
    m.def("device_name", &device_name, nb::arg("device"), nb::arg("threads"),
          "The name of the calling thread's context for device (made if needed).");
    m.def("version", []() { return std::string(tessel_version()); }, "The C library's version.");
}

} // namespace tessel_py
