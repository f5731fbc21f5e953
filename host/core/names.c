/* Names of enum values for messages, plan info and command lines. */
#include "tessel/tessel.h"

const char *tessel_mode_name(tessel_mode mode)
{
    switch (mode) {
    case TESSEL_MODE_SAME: return "same";
    case TESSEL_MODE_FULL: return "full";
    case TESSEL_MODE_VALID: return "valid";
    }
    return "invalid";
}

const char *tessel_border_name(tessel_border border)
{
    switch (border) {
    case TESSEL_BORDER_REFLECT: return "reflect";
    case TESSEL_BORDER_CONSTANT: return "constant";
    case TESSEL_BORDER_NEAREST: return "nearest";
    case TESSEL_BORDER_MIRROR: return "mirror";
    case TESSEL_BORDER_WRAP: return "wrap";
    }
    return "invalid";
}

const char *tessel_method_name(tessel_method method)
{
    switch (method) {
    case TESSEL_METHOD_AUTO: return "auto";
    case TESSEL_METHOD_DIRECT: return "direct";
    case TESSEL_METHOD_SEPARABLE: return "separable";
    case TESSEL_METHOD_FFT: return "fft";
    case TESSEL_METHOD_FFT_BLOCK: return "fft-block";
    case TESSEL_METHOD_RUNNING: return "running";
    }
    return "invalid";
}

const char *tessel_backend_name(tessel_backend backend)
{
    switch (backend) {
    case TESSEL_BACKEND_AUTO: return "auto";
    case TESSEL_BACKEND_CPU: return "cpu";
    case TESSEL_BACKEND_OPENCL: return "opencl";
    }
    return "invalid";
}

const char *tessel_dtype_name(tessel_dtype dtype)
{
    switch (dtype) {
    case TESSEL_U8: return "u8";
    case TESSEL_U16: return "u16";
    case TESSEL_F32: return "f32";
    }
    return "invalid";
}

size_t tessel_dtype_size(tessel_dtype dtype)
{
    switch (dtype) {
    case TESSEL_U8: return 1;
    case TESSEL_U16: return 2;
    case TESSEL_F32: return 4;
    }
    return 0;
}

#define TESSEL_STR2(x) #x
#define TESSEL_STR(x) TESSEL_STR2(x)

const char *tessel_version(void)
{
    return TESSEL_STR(TESSEL_VERSION_MAJOR) "." TESSEL_STR(TESSEL_VERSION_MINOR) "." TESSEL_STR(
        TESSEL_VERSION_PATCH);
}

int tessel_version_number(void)
{
    return TESSEL_VERSION_NUMBER;
}
