// Files through tessel_io.h: images and arrays, signals. Reads hand the
// library's buffer to NumPy without a copy; calls release the GIL.
#include "ext.h"

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>

#include <optional>

extern "C" {
#include "tessel/tessel_io.h"
}

namespace tessel_py {

namespace {

nb::dlpack::dtype dlpack_of(tessel_dtype d)
{
    switch (d) {
    case TESSEL_U8: return nb::dtype<uint8_t>();
    case TESSEL_U16: return nb::dtype<uint16_t>();
    default: return nb::dtype<float>();
    }
}

// A NumPy array over img's packed data; the array frees it.
nb::ndarray<nb::numpy> adopt(tessel_image img, bool signal)
{
    auto *owned = new tessel_image(img);
    nb::capsule owner(owned, [](void *p) noexcept {
        auto *i = static_cast<tessel_image *>(p);
        tessel_image_free(i);
        delete i;
    });
    size_t shape[3] = {static_cast<size_t>(img.height), static_cast<size_t>(img.width),
                       static_cast<size_t>(img.channels)};
    size_t ndim = img.channels > 1 ? 3 : 2;
    if (signal) {
        shape[0] = static_cast<size_t>(img.width);
        ndim = 1;
    }
    return nb::ndarray<nb::numpy>(img.data, ndim, shape, owner, nullptr, dlpack_of(img.dtype));
}

template <typename Call> void unlocked_call(Call call)
{
    tessel_status s;
    std::string message;
    {
        nb::gil_scoped_release unlocked;
        s = call();
        if (s != TESSEL_OK) message = last_error();
    }
    if (s != TESSEL_OK) raise_status(s, message);
}

nb::ndarray<nb::numpy> read_image(const std::string &path)
{
    tessel_image img{};
    unlocked_call([&] { return tessel_image_read(path.c_str(), &img); });
    return adopt(img, false);
}

nb::ndarray<nb::numpy> read_signal(const std::string &path, std::optional<std::string> column)
{
    tessel_image img{};
    unlocked_call([&] {
        return tessel_signal_read(path.c_str(), column ? column->c_str() : nullptr, &img);
    });
    return adopt(img, true);
}

tessel_write_options write_options(int format, int quality, bool overwrite, int compression,
                                   int tile_width, int tile_height, bool bigtiff)
{
    tessel_write_options o{};
    o.struct_size = sizeof o;
    o.format = static_cast<tessel_file_format>(format);
    o.quality = quality;
    o.overwrite = overwrite;
    o.compression = static_cast<tessel_compression>(compression);
    o.tile_width = tile_width;
    o.tile_height = tile_height;
    o.bigtiff = bigtiff;
    return o;
}

void write_image(const std::string &path, InArray array, int format, int quality, bool overwrite,
                 int compression, int tile_width, int tile_height, bool bigtiff)
{
    tessel_image img = image_view(array, "image");
    tessel_write_options o =
        write_options(format, quality, overwrite, compression, tile_width, tile_height, bigtiff);
    unlocked_call([&] { return tessel_image_write(path.c_str(), &img, &o); });
}

void write_signal(const std::string &path, InArray signal, int format, bool overwrite)
{
    tessel_image img = image_view(signal, "signal");
    tessel_write_options o = write_options(format, 0, overwrite, 0, 0, 0, false);
    unlocked_call([&] { return tessel_signal_write(path.c_str(), &img, &o); });
}

} // namespace

void bind_io(nb::module_ &m)
{
    m.def("read_image", &read_image, nb::arg("path"), "tessel_image_read, GIL released.");
    m.def("read_signal", &read_signal, nb::arg("path"), nb::arg("column").none(),
          "tessel_signal_read, GIL released.");
    m.def("write_image", &write_image, nb::arg("path"), nb::arg("array"), nb::arg("format"),
          nb::arg("quality"), nb::arg("overwrite"), nb::arg("compression"),
          nb::arg("tile_width"), nb::arg("tile_height"), nb::arg("bigtiff"),
          "tessel_image_write, GIL released.");
    m.def("write_signal", &write_signal, nb::arg("path"), nb::arg("signal"), nb::arg("format"),
          nb::arg("overwrite"), "tessel_signal_write, GIL released.");
    m.def("format_from_path", [](const std::string &path) {
        return static_cast<int>(tessel_format_from_path(path.c_str()));
    }, nb::arg("path"));
}

} // namespace tessel_py
