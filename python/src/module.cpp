// The _tessel extension module: the C API of tessel for the Python package
// (tessel/*.py holds the documented public interface).
#include "ext.h"

NB_MODULE(_tessel, m)
{
    m.doc() = "tessel's C library, bound for the tessel Python package (private).";
    tessel_py::bind_errors(m);
    tessel_py::bind_kernel(m);
    tessel_py::bind_convolve(m);
    tessel_py::bind_plan(m);
    tessel_py::bind_buffer(m);
    tessel_py::bind_fourier(m);
    tessel_py::bind_io(m);
    tessel_py::bind_batch(m);
    tessel_py::bind_devices(m);
    tessel_py::bind_pool(m);
}
