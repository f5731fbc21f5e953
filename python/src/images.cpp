// NumPy arrays as tessel images: dtype, shape and stride checks. The C API
// takes a row stride in bytes but needs packed columns and channels, so a
// view is accepted when its columns and channels are packed; the Python
// layer copies any other layout before calling.
#include "ext.h"

namespace tessel_py {

tessel_dtype array_dtype(const nb::dlpack::dtype &dtype, const char *what)
{
    const auto uint_code = static_cast<uint8_t>(nb::dlpack::dtype_code::UInt);
    const auto float_code = static_cast<uint8_t>(nb::dlpack::dtype_code::Float);
    if (dtype.lanes == 1 && dtype.code == uint_code && dtype.bits == 8) return TESSEL_U8;
    if (dtype.lanes == 1 && dtype.code == uint_code && dtype.bits == 16) return TESSEL_U16;
    if (dtype.lanes == 1 && dtype.code == float_code && dtype.bits == 32) return TESSEL_F32;
    raise_invalid(std::string(what) + " must be uint8, uint16 or float32");
}

template <typename Array>
static tessel_image view_of(const Array &a, const char *what)
{
    const size_t ndim = a.ndim();
    if (ndim != 2 && ndim != 3)
        raise_invalid(std::string(what) + " must be 2-D (rows, columns) or 3-D (rows, columns, "
                                          "channels), got " + std::to_string(ndim) + "-D");
    tessel_image img{};
    img.dtype = array_dtype(a.dtype(), what);
    const int64_t channels = ndim == 3 ? static_cast<int64_t>(a.shape(2)) : 1;
    if (channels < 1 || channels > 4)
        raise_invalid(std::string(what) + " has " + std::to_string(channels) +
                      " channels; tessel takes 1 to 4");
    if (a.shape(0) == 0 || a.shape(1) == 0)
        raise_invalid(std::string(what) + " is empty");
    if (a.shape(0) > INT32_MAX || a.shape(1) > INT32_MAX)
        raise_invalid(std::string(what) + " is too large for tessel (over 2^31 rows or columns)");
    const int64_t itemsize = static_cast<int64_t>(tessel_dtype_size(img.dtype));
    const bool channels_packed = ndim == 2 || channels == 1 || a.stride(2) == 1;
    const bool columns_packed = a.shape(1) == 1 || a.stride(1) == channels;
    const int64_t row_stride = a.shape(0) == 1 ? static_cast<int64_t>(a.shape(1)) * channels
                                               : a.stride(0);
    if (!channels_packed || !columns_packed || row_stride < static_cast<int64_t>(a.shape(1)) * channels)
        raise_invalid(std::string(what) + " has a layout tessel cannot take without a copy "
                                          "(columns and channels must be packed)");
    img.data = const_cast<void *>(static_cast<const void *>(a.data()));
    img.width = static_cast<int>(a.shape(1));
    img.height = static_cast<int>(a.shape(0));
    img.channels = static_cast<int>(channels);
    img.stride = static_cast<size_t>(row_stride * itemsize);
    return img;
}

tessel_image image_view(const InArray &array, const char *what) { return view_of(array, what); }
tessel_image image_view(const OutArray &array, const char *what) { return view_of(array, what); }

} // namespace tessel_py
