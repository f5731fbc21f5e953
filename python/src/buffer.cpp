// tessel.Buffer's compiled half: images resident on a device. Buffers of
// one device share a context of their own (one per device string in the
// process), used one call at a time under its lock, so buffers may be used
// from any thread.
#include "ext.h"

#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/unique_ptr.h>

#include <map>
#include <mutex>

namespace tessel_py {

namespace {

struct Session {
    std::string device;
    tessel_context *context = nullptr;
    std::mutex lock;
    ~Session() { tessel_context_destroy(context); }
};
using SessionRef = std::shared_ptr<Session>;

std::mutex sessions_lock;
std::map<std::string, std::weak_ptr<Session>> sessions;

SessionRef session_for(const std::string &device)
{
    std::lock_guard<std::mutex> guard(sessions_lock);
    SessionRef s = sessions[device].lock();
    if (s) return s;
    s = std::make_shared<Session>();
    s->device = device;
    tessel_status status = create_context(device, 0, &s->context);
    if (status != TESSEL_OK) raise_status(status, last_error());
    sessions[device] = s;
    return s;
}

struct Buffer {
    SessionRef session;
    tessel_buffer *handle = nullptr;
    ~Buffer()
    {
        if (!handle) return;
        std::lock_guard<std::mutex> guard(session->lock);
        tessel_buffer_destroy(handle);
    }
};

// Runs call(context) under the session's lock without the GIL; raises on failure.
template <typename Call> void locked(Session &s, Call call)
{
    tessel_status status;
    std::string message;
    {
        nb::gil_scoped_release unlocked;
        std::lock_guard<std::mutex> guard(s.lock);
        status = call(s.context);
        if (status != TESSEL_OK) message = context_error(s.context);
    }
    if (status != TESSEL_OK) raise_status(status, message);
}

std::unique_ptr<Buffer> create(const std::string &device, int height, int width, int channels,
                               int dtype)
{
    auto b = std::make_unique<Buffer>();
    b->session = session_for(device);
    locked(*b->session, [&](tessel_context *ctx) {
        return tessel_buffer_create(ctx, width, height, channels,
                                    static_cast<tessel_dtype>(dtype), &b->handle);
    });
    return b;
}

nb::tuple shape(const Buffer &b)
{
    tessel_image s{};
    tessel_buffer_shape(b.handle, &s);
    return nb::make_tuple(s.height, s.width, s.channels, static_cast<int>(s.dtype));
}

void same_session(const Buffer &a, const Buffer &b)
{
    if (a.session != b.session)
        raise_invalid("buffers live on different devices (\"" + a.session->device + "\" and \"" +
                      b.session->device + "\")");
}

void bind_buffer_class(nb::module_ &m)
{
    nb::class_<Buffer>(m, "Buffer", "A tessel_buffer (see tessel.Buffer).")
        .def(nb::new_(&create), nb::arg("device"), nb::arg("height"), nb::arg("width"),
             nb::arg("channels"), nb::arg("dtype"))
        .def_prop_ro("shape", &shape)
        .def_prop_ro("device", [](const Buffer &b) { return b.session->device; })
        .def_prop_ro("device_name", [](const Buffer &b) {
            return std::string(tessel_context_device_name(b.session->context));
        })
        .def("upload", [](Buffer &b, InArray src) {
            tessel_image in = image_view(src, "array");
            locked(*b.session, [&](tessel_context *) { return tessel_buffer_upload(b.handle, &in); });
        }, nb::arg("src"))
        .def("download", [](const Buffer &b, OutArray dst) {
            tessel_image out = image_view(dst, "array");
            locked(*b.session,
                   [&](tessel_context *) { return tessel_buffer_download(b.handle, &out); });
        }, nb::arg("dst"));
}

} // namespace

void bind_buffer(nb::module_ &m)
{
    bind_buffer_class(m);
    m.def("convolve_buffers", [](const Buffer &src, Buffer &dst, const KernelRef &kernel,
                                 const ConvOptions &options) {
        same_session(src, dst);
        tessel_conv_options o = options.to_c();
        locked(*src.session, [&](tessel_context *ctx) {
            return tessel_convolve2d_buffers(ctx, src.handle, kernel->handle, &o, dst.handle);
        });
    }, nb::arg("src"), nb::arg("dst"), nb::arg("kernel"), nb::arg("options"),
       "tessel_convolve2d_buffers on the buffers' device, GIL released.");
    m.def("combine_buffers", [](const Buffer &a, const Buffer &b, int op, Buffer &dst) {
        same_session(a, b);
        same_session(a, dst);
        locked(*a.session, [&](tessel_context *ctx) {
            return tessel_buffer_combine(ctx, a.handle, b.handle,
                                         static_cast<tessel_combine_op>(op), dst.handle);
        });
    }, nb::arg("a"), nb::arg("b"), nb::arg("op"), nb::arg("dst"),
       "tessel_buffer_combine, GIL released.");
}

} // namespace tessel_py
