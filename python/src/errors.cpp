// C statuses as Python exceptions. The classes live in tessel/_errors.py
// (documented there); this file picks the class for a status and raises it
// with the C library's message.
#include "ext.h"

#include <nanobind/stl/string.h>

namespace tessel_py {

static const char *class_for(tessel_status status)
{
    switch (status) {
    case TESSEL_ERR_OUT_OF_MEMORY: return "OutOfMemory";
    case TESSEL_ERR_IO:
    case TESSEL_ERR_FORMAT: return "FileError";
    case TESSEL_ERR_UNSUPPORTED: return "Unsupported";
    case TESSEL_ERR_NO_DEVICE:
    case TESSEL_ERR_BACKEND: return "DeviceError";
    default: return "InvalidArgument";
    }
}

[[noreturn]] void raise_status(tessel_status status, const std::string &message)
{
    nb::object errors = nb::module_::import_("tessel._errors");
    nb::object cls = errors.attr(class_for(status));
    std::string name = tessel_status_string(status); // "TESSEL_ERR_X: what it means"
    std::string text = message.empty() ? name : message;
    name = name.substr(0, name.find(':'));
    PyErr_SetObject(cls.ptr(), cls(text, name).ptr());
    throw nb::python_error();
}

[[noreturn]] void raise_invalid(const std::string &message)
{
    raise_status(TESSEL_ERR_INVALID_ARGUMENT, message);
}

std::string last_error() { return tessel_last_error(); }

std::string context_error(const tessel_context *context)
{
    const char *text = context ? tessel_context_last_error(context) : "";
    return text && *text ? std::string(text) : last_error();
}

void bind_errors(nb::module_ &m)
{
    m.def("status_string", [](int status) {
        return std::string(tessel_status_string(static_cast<tessel_status>(status)));
    }, "The name of a tessel_status value.");
}

} // namespace tessel_py
