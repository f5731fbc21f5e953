// The C batch engine (tessel_batch.h) over a list of files: what
// tessel.dask.filter_files runs on each worker, GIL released for the run.
#include "ext.h"

#include <nanobind/stl/optional.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <vector>

extern "C" {
#include "tessel/tessel_batch.h"
}

namespace tessel_py {

namespace {

struct Item {
    int index;
    std::string input, output, outcome, status, message;
    int device;
    double seconds;
};

const char *outcome_name(tessel_batch_outcome o)
{
    return o == TESSEL_BATCH_WRITTEN ? "written" : o == TESSEL_BATCH_SKIPPED ? "skipped" : "failed";
}

void collect(void *user, const tessel_batch_item *item, const tessel_batch_progress *)
{
    auto *items = static_cast<std::vector<Item> *>(user);
    items->push_back({item->index, item->input, item->output, outcome_name(item->outcome),
                      item->status == TESSEL_OK ? "" : tessel_status_string(item->status),
                      item->message, item->device, item->seconds});
}

nb::list batch_run(const std::vector<std::string> &inputs, const std::vector<std::string> &outputs,
                   const KernelRef &kernel, const ConvOptions &options, int out_dtype,
                   std::optional<std::string> devices, bool force, int cpu_threads, int format,
                   int quality)
{
    if (inputs.size() != outputs.size()) raise_invalid("inputs and outputs differ in number");
    std::vector<const char *> in, out;
    for (const auto &p : inputs) in.push_back(p.c_str());
    for (const auto &p : outputs) out.push_back(p.c_str());
    std::vector<Item> items;
    tessel_batch_options bo{};
    bo.struct_size = sizeof bo;
    bo.devices = devices ? devices->c_str() : nullptr;
    bo.force = force;
    bo.cpu_threads = cpu_threads;
    bo.on_item = collect;
    bo.user = &items;
    tessel_batch_filter f{};
    f.struct_size = sizeof f;
    f.kernel = kernel->handle;
    f.conv = options.to_c();
    f.out_dtype = static_cast<tessel_dtype>(out_dtype);
    f.write.struct_size = sizeof f.write;
    f.write.format = static_cast<tessel_file_format>(format);
    f.write.quality = quality;
    tessel_status s;
    std::string message;
    {
        nb::gil_scoped_release unlocked;
        tessel_batch *batch = nullptr;
        {
            std::lock_guard<std::mutex> guard(context_creation_lock());
            s = tessel_batch_create(&bo, &batch);
        }
        if (s == TESSEL_OK)
            s = tessel_batch_run(batch, static_cast<int>(in.size()), in.data(), out.data(), &f,
                                 nullptr);
        if (s != TESSEL_OK) message = last_error();
        tessel_batch_destroy(batch);
    }
    if (s != TESSEL_OK) raise_status(s, message);
    nb::list result;
    for (const Item &i : items) {
        nb::dict d;
        d["index"] = i.index;
        d["input"] = i.input;
        d["output"] = i.output;
        d["outcome"] = i.outcome;
        d["status"] = i.status;
        d["message"] = i.message;
        d["device"] = i.device;
        d["seconds"] = i.seconds;
        result.append(d);
    }
    return result;
}

} // namespace

void bind_batch(nb::module_ &m)
{
    m.def("batch_run", &batch_run, nb::arg("inputs"), nb::arg("outputs"), nb::arg("kernel"),
          nb::arg("options"), nb::arg("out_dtype"), nb::arg("devices").none(), nb::arg("force"),
          nb::arg("cpu_threads"), nb::arg("format"), nb::arg("quality"),
          "tessel_batch_run over inputs -> outputs; a dict per input. GIL released.");
}

} // namespace tessel_py
