// tessel.Kernel's compiled half: a tessel_kernel made from a built-in spec,
// dense coefficients or two factors. Kernels are immutable and shared by
// Python objects and cached plans.
#include "ext.h"

#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>

#include <vector>

namespace tessel_py {

using FloatVector = nb::ndarray<const float, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
using FloatMatrix = nb::ndarray<const float, nb::ndim<2>, nb::c_contig, nb::device::cpu>;

static uint64_t fnv1a(const std::string &bytes)
{
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
    return h;
}

// Fills the key fields from the kernel's coefficients and any factors.
static KernelRef finish(tessel_status s, tessel_kernel *handle, const std::string &factors)
{
    if (s != TESSEL_OK) raise_status(s, last_error());
    auto k = std::make_shared<Kernel>();
    k->handle = handle;
    int w = tessel_kernel_width(handle), h = tessel_kernel_height(handle);
    std::vector<float> coeffs(static_cast<size_t>(w) * h);
    tessel_kernel_coefficients(handle, coeffs.data(), coeffs.size());
    int header[3] = {w, h, tessel_kernel_is_separable(handle)};
    k->coefficients.assign(reinterpret_cast<const char *>(header), sizeof header);
    k->coefficients.append(reinterpret_cast<const char *>(coeffs.data()),
                           coeffs.size() * sizeof(float));
    k->coefficients += factors;
    k->hash = fnv1a(k->coefficients);
    return k;
}

static KernelRef from_spec(const std::string &spec)
{
    tessel_kernel *k = nullptr;
    tessel_status s = tessel_kernel_builtin(spec.c_str(), &k);
    return finish(s, k, "");
}

static KernelRef from_dense(FloatMatrix coeffs)
{
    if (coeffs.shape(0) > INT32_MAX || coeffs.shape(1) > INT32_MAX)
        raise_invalid("kernel is too large");
    tessel_kernel *k = nullptr;
    tessel_status s = tessel_kernel_create(static_cast<int>(coeffs.shape(1)),
                                           static_cast<int>(coeffs.shape(0)), coeffs.data(), &k);
    return finish(s, k, "");
}

static KernelRef from_factors(FloatVector row, FloatVector column)
{
    if (row.shape(0) > INT32_MAX || column.shape(0) > INT32_MAX)
        raise_invalid("kernel is too large");
    tessel_kernel *k = nullptr;
    tessel_status s = tessel_kernel_create_separable(
        static_cast<int>(row.shape(0)), row.data(), static_cast<int>(column.shape(0)),
        column.data(), &k);
    std::string factors(reinterpret_cast<const char *>(row.data()), row.shape(0) * sizeof(float));
    factors.append(reinterpret_cast<const char *>(column.data()), column.shape(0) * sizeof(float));
    return finish(s, k, factors);
}

static nb::ndarray<nb::numpy, float> coefficients(const Kernel &k)
{
    int w = tessel_kernel_width(k.handle), h = tessel_kernel_height(k.handle);
    size_t n = static_cast<size_t>(w) * h;
    float *data = new float[n];
    tessel_kernel_coefficients(k.handle, data, n);
    nb::capsule owner(data, [](void *p) noexcept { delete[] static_cast<float *>(p); });
    size_t shape[2] = {static_cast<size_t>(h), static_cast<size_t>(w)};
    return nb::ndarray<nb::numpy, float>(data, 2, shape, owner);
}

void bind_kernel(nb::module_ &m)
{
    nb::class_<Kernel>(m, "Kernel", "A tessel_kernel (see tessel.Kernel for the public class).")
        .def_static("from_spec", &from_spec, nb::arg("spec"))
        .def_static("from_dense", &from_dense, nb::arg("coefficients"))
        .def_static("from_factors", &from_factors, nb::arg("row"), nb::arg("column"))
        .def_prop_ro("width", [](const Kernel &k) { return tessel_kernel_width(k.handle); })
        .def_prop_ro("height", [](const Kernel &k) { return tessel_kernel_height(k.handle); })
        .def_prop_ro("separable",
                     [](const Kernel &k) { return tessel_kernel_is_separable(k.handle) != 0; })
        .def("coefficients", &coefficients);

    m.def("builtins", []() {
        nb::list out;
        for (int i = 0; i < tessel_builtin_count(); ++i) {
            const tessel_builtin_desc *d = tessel_builtin_get(i);
            nb::dict e;
            e["name"] = d->name;
            e["params"] = d->params;
            e["description"] = d->description;
            e["example"] = d->example;
            out.append(e);
        }
        return out;
    }, "The built-in kernel library: a dict per kernel (name, params, description, example).");
}

} // namespace tessel_py
