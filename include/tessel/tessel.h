/*
 * tessel — convolution engine: public C API.
 *
 * Thread safety
 *   - tessel_kernel objects are immutable once created: share them freely.
 *   - A tessel_context and the plans made from it belong to one thread at a
 *     time (the context owns a worker pool and the last-error text). Use one
 *     context per thread, or serialise calls on a shared one.
 *   - Different contexts are fully independent.
 *   - tessel_last_error() is thread-local.
 *
 * Errors
 *   Every call that can fail returns a tessel_status (TESSEL_OK = 0). The
 *   detailed message of a failure is kept per thread (tessel_last_error: the
 *   last failure of any call on this thread, kept until the next failure) and
 *   by the context (tessel_context_last_error: cleared when a call on the
 *   context begins, so it is "" after a success). The library never prints,
 *   exits or aborts on user input. Images are written only when a call
 *   succeeds; a failing *_create sets its output handle to NULL.
 *
 * Option structs
 *   All-zero means default; each field's default is written beside it. Set
 *   struct_size to sizeof(the struct) (or leave it 0) so the struct can grow
 *   in later versions without breaking callers: the library reads and
 *   writes only as much of a struct as the caller's version has. Any other
 *   struct_size (none of the struct's released sizes) is
 *   TESSEL_ERR_INVALID_ARGUMENT.
 */
#ifndef TESSEL_TESSEL_H
#define TESSEL_TESSEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(TESSEL_SHARED_BUILD)
#define TESSEL_API __declspec(dllexport)
#elif defined(__GNUC__)
#define TESSEL_API __attribute__((visibility("default")))
#else
#define TESSEL_API
#endif

#define TESSEL_VERSION_MAJOR 0
#define TESSEL_VERSION_MINOR 1
#define TESSEL_VERSION_PATCH 0
#define TESSEL_VERSION_NUMBER \
    (TESSEL_VERSION_MAJOR * 10000 + TESSEL_VERSION_MINOR * 100 + TESSEL_VERSION_PATCH)

/* "MAJOR.MINOR.PATCH" of the library actually linked. */
TESSEL_API const char *tessel_version(void);
/* TESSEL_VERSION_NUMBER of the library actually linked. */
TESSEL_API int tessel_version_number(void);

/* ------------------------------------------------------------------ status */

/* Values are pinned: never renumbered, new ones only appended. */
typedef enum tessel_status {
    TESSEL_OK = 0,
    TESSEL_ERR_INVALID_ARGUMENT = 1, /* an option or enum value out of range */
    TESSEL_ERR_NULL_POINTER = 2,     /* a required pointer was NULL */
    TESSEL_ERR_BAD_SIZE = 3,         /* zero/negative/overflowing size, mismatched dst */
    TESSEL_ERR_KERNEL_TOO_LARGE = 4, /* kernel larger than the image in valid mode */
    TESSEL_ERR_BAD_KERNEL = 5,       /* NaN/Inf coefficient, unknown or malformed spec */
    TESSEL_ERR_OUT_OF_MEMORY = 6,
    TESSEL_ERR_UNSUPPORTED = 7,      /* the backend or method cannot do this case */
    TESSEL_ERR_NO_DEVICE = 8,        /* the requested backend/device is not available */
    TESSEL_ERR_BACKEND = 9,          /* a device runtime call failed (code in message) */
    TESSEL_ERR_IO = 10,              /* reading or writing a file failed */
    TESSEL_ERR_FORMAT = 11,          /* a file is corrupt, truncated or unsupported */
    TESSEL_ERR_PLAN_MISMATCH = 12    /* plan executed with a different shape/dtype */
} tessel_status;

/* Short constant name of a status ("TESSEL_ERR_BAD_SIZE: bad size"). Never NULL. */
TESSEL_API const char *tessel_status_string(tessel_status status);

/* Message of the last failed call on this thread ("" if none). */
TESSEL_API const char *tessel_last_error(void);

/* ------------------------------------------------------------------ images */

typedef enum tessel_dtype {
    TESSEL_U8 = 1,  /* uint8_t  */
    TESSEL_U16 = 2, /* uint16_t */
    TESSEL_F32 = 3  /* float    */
} tessel_dtype;

/* Bytes per sample of a dtype, 0 for an invalid value. */
TESSEL_API size_t tessel_dtype_size(tessel_dtype dtype);
/* "u8", "u16", "f32" or "invalid". */
TESSEL_API const char *tessel_dtype_name(tessel_dtype dtype);

/*
 * A non-owning view of an image: `height` rows of `width` pixels, each pixel
 * `channels` interleaved samples of `dtype`. `stride` is the distance between
 * the starts of two rows in bytes (0 = packed: width*channels*sample size), so
 * a region of a larger image is passed without a copy.
 */
typedef struct tessel_image {
    void *data;
    int width;
    int height;
    int channels; /* 1..4 */
    tessel_dtype dtype;
    size_t stride; /* bytes between rows; 0 = packed */
} tessel_image;

/* A packed view over `data`. */
static inline tessel_image tessel_image_view(void *data, int width, int height, int channels,
                                             tessel_dtype dtype)
{
    tessel_image img;
    img.data = data;
    img.width = width;
    img.height = height;
    img.channels = channels;
    img.dtype = dtype;
    img.stride = 0;
    return img;
}

/* ----------------------------------------------------------------- context */

typedef enum tessel_backend {
    TESSEL_BACKEND_AUTO = 0,  /* best available: OpenCL GPU, else native CPU */
    TESSEL_BACKEND_CPU = 1,   /* native CPU backend (threads + SIMD) */
    TESSEL_BACKEND_OPENCL = 2 /* OpenCL device; an error if none is usable */
} tessel_backend;

typedef enum tessel_log_level {
    TESSEL_LOG_ERROR = 0,
    TESSEL_LOG_WARN = 1,
    TESSEL_LOG_INFO = 2,
    TESSEL_LOG_DEBUG = 3
} tessel_log_level;

typedef void (*tessel_log_fn)(void *user, tessel_log_level level, const char *message);

/*
 * OpenCL kernel families
 *   TILED kernels are shaped for GPUs: a work-group loads its output tile
 *   plus halo into local memory and each item computes a block of outputs;
 *   the separable method is one fused kernel (row pass into local memory,
 *   column pass out of it) where its tile fits. VECTOR kernels are shaped
 *   for CPU devices (PoCL and the like): each item is a strip of explicit
 *   vector arithmetic. AUTO takes $TESSEL_CL_KERNELS (tiled, vector or
 *   auto) when set, else chooses by device type: VECTOR on CPU devices,
 *   TILED elsewhere. Both give the same results; tessel_plan_info names the
 *   family and the tile a plan runs. The CPU backend ignores the choice.
 */
typedef enum tessel_cl_kernels {
    TESSEL_CL_KERNELS_AUTO = 0,
    TESSEL_CL_KERNELS_TILED = 1,
    TESSEL_CL_KERNELS_VECTOR = 2
} tessel_cl_kernels;

typedef struct tessel_context_options {
    uint32_t struct_size;   /* sizeof(tessel_context_options); 0 = this version */
    tessel_backend backend; /* default AUTO; AUTO also honours $TESSEL_DEVICE */
    const char *device;     /* default NULL: "auto", "cpu", "opencl", "opencl:N", "gpu" */
    int threads;            /* CPU worker threads; default 0 = all cores, 1 = caller only */
    tessel_log_fn log;      /* default NULL: no logging unless $TESSEL_LOG is set */
    void *log_user;         /* passed to log */
    void *cl_queue;         /* default NULL; a cl_command_queue to run on (OpenCL backend,
                               its context and device; retained). An out-of-order queue
                               works: tessel orders its own commands with barriers */
    tessel_cl_kernels cl_kernels; /* default AUTO: $TESSEL_CL_KERNELS, else by device type */
} tessel_context_options;

typedef struct tessel_context tessel_context;

/* options may be NULL (all defaults). */
TESSEL_API tessel_status tessel_context_create(const tessel_context_options *options,
                                               tessel_context **out_context);
/* Accepts NULL. */
TESSEL_API void tessel_context_destroy(tessel_context *context);
/* Message of the failure of the last call on the context ("" if it
 * succeeded). Never NULL. */
TESSEL_API const char *tessel_context_last_error(const tessel_context *context);
/* The backend the context runs on (never AUTO). */
TESSEL_API tessel_backend tessel_context_backend(const tessel_context *context);
/* Human-readable device name, e.g. "cpu (8 threads, avx512f)". Never NULL. */
TESSEL_API const char *tessel_context_device_name(const tessel_context *context);
/* "cpu" or "opencl" ("auto" for TESSEL_BACKEND_AUTO). */
TESSEL_API const char *tessel_backend_name(tessel_backend backend);

/* One device a context can run on. */
typedef struct tessel_device_desc {
    tessel_backend backend; /* CPU or OPENCL */
    char spec[32];          /* the device string that selects it: "cpu", "opencl:0" */
    char name[160];         /* e.g. "cpu (8 threads, avx512f)" or the OpenCL device name */
    char kind[16];          /* "cpu", "gpu", "accelerator" or "other" */
    char detail[256];       /* platform, driver, memory: one line */
    int is_auto;            /* 1 for the device a default (AUTO) context picks */
} tessel_device_desc;

/* Lists the usable devices into out (up to capacity entries; out may be NULL
 * with capacity 0 to count) and sets *count to how many exist. Honours
 * $TESSEL_DEVICE when marking the AUTO choice. */
TESSEL_API tessel_status tessel_devices_list(tessel_device_desc *out, int capacity, int *count);

/* Most worker threads a context accepts. */
#define TESSEL_MAX_THREADS 1024

/* ----------------------------------------------------------------- kernels */

typedef struct tessel_kernel tessel_kernel;

/* Largest kernel width or height accepted for a 2-D kernel (both sides
 * above 1), and for the built-in kernels. */
#define TESSEL_MAX_KERNEL_SIDE 4096
/* Largest length of a 1-D kernel (1 x N or N x 1), for long FIR filters:
 * methods fft and fft-block run them in time that grows with log N, direct
 * in time that grows with N. */
#define TESSEL_MAX_KERNEL_TAPS_1D (1 << 20)

/*
 * A dense kernel of `height` rows and `width` columns, row-major
 * (coeffs[j*width + i] is row j, column i). Coefficients are copied. A kernel
 * that is exactly rank 1 is detected and can run as two 1-D passes.
 */
TESSEL_API tessel_status tessel_kernel_create(int width, int height, const float *coeffs,
                                              tessel_kernel **out_kernel);
/* k[j][i] = column[j] * row[i]; row has `width` taps, column has `height`. */
TESSEL_API tessel_status tessel_kernel_create_separable(int width, const float *row, int height,
                                                        const float *column,
                                                        tessel_kernel **out_kernel);
/*
 * A kernel from the built-in library by spec, the syntax shared with the
 * command line: NAME[:ARG[,ARG...]], each ARG positional or key=value, e.g.
 * "gaussian:sigma=2", "gaussian:sigma=1.5,size=9", "box:5x3", "sobel:x",
 * "laplacian:8", "log:sigma=1.4", "unsharp:sigma=2,amount=1.5".
 * tessel_builtin_count/tessel_builtin_get list them with their parameters.
 */
TESSEL_API tessel_status tessel_kernel_builtin(const char *spec, tessel_kernel **out_kernel);
/* Accepts NULL. */
TESSEL_API void tessel_kernel_destroy(tessel_kernel *kernel);

TESSEL_API int tessel_kernel_width(const tessel_kernel *kernel);
TESSEL_API int tessel_kernel_height(const tessel_kernel *kernel);
/* 1 when the kernel is rank 1 (runs as a row pass and a column pass). */
TESSEL_API int tessel_kernel_is_separable(const tessel_kernel *kernel);
/* 1 when method RUNNING can run the kernel: rank 1, with a factor of two
 * or more taps whose taps are all equal (a box, or a box along one axis
 * times any factor along the other). */
TESSEL_API int tessel_kernel_is_box_like(const tessel_kernel *kernel);
/* Copies the width*height row-major coefficients into out (capacity in floats). */
TESSEL_API tessel_status tessel_kernel_coefficients(const tessel_kernel *kernel, float *out,
                                                    size_t capacity);

/* One entry of the built-in kernel library. */
typedef struct tessel_builtin_desc {
    const char *name;        /* "gaussian" */
    const char *params;      /* "sigma=S[,size=N|WxH]" */
    const char *description; /* one line */
    const char *example;     /* "gaussian:sigma=2" */
} tessel_builtin_desc;

TESSEL_API int tessel_builtin_count(void);
/* NULL when index is out of range. */
TESSEL_API const tessel_builtin_desc *tessel_builtin_get(int index);

/* ------------------------------------------------------------- convolution */

typedef enum tessel_mode {
    TESSEL_MODE_SAME = 0,  /* H x W, kernel element ((kh-1)/2,(kw-1)/2) on the pixel */
    TESSEL_MODE_FULL = 1,  /* (H+kh-1) x (W+kw-1) */
    TESSEL_MODE_VALID = 2  /* (H-kh+1) x (W-kw+1); kernel larger than image = error */
} tessel_mode;

/* What the samples outside the image are (scipy.ndimage names). */
typedef enum tessel_border {
    TESSEL_BORDER_REFLECT = 0,  /* c b a | a b c d | d c b  (OpenCV REFLECT) */
    TESSEL_BORDER_CONSTANT = 1, /* v v v | a b c d | v v v  (v = cval) */
    TESSEL_BORDER_NEAREST = 2,  /* a a a | a b c d | d d d  (OpenCV REPLICATE) */
    TESSEL_BORDER_MIRROR = 3,   /* d c b | a b c d | c b a  (OpenCV REFLECT_101) */
    TESSEL_BORDER_WRAP = 4      /* b c d | a b c d | a b c  (periodic) */
} tessel_border;

typedef enum tessel_method {
    TESSEL_METHOD_AUTO = 0,      /* the cheapest of the others by the backend's cost model */
    TESSEL_METHOD_DIRECT = 1,    /* dense 2-D sum */
    TESSEL_METHOD_SEPARABLE = 2, /* row pass + column pass; kernel must be rank 1 */
    TESSEL_METHOD_FFT = 3,       /* frequency domain (FFTW / clFFT), one transform of the image */
    TESSEL_METHOD_FFT_BLOCK = 4, /* frequency domain in overlap-save blocks: bounded memory */
    TESSEL_METHOD_RUNNING = 5    /* running sums, O(1) per sample whatever the kernel's size:
                                    a rank-1 kernel with a constant row or column factor
                                    (box:WxH, moving averages; see tessel_kernel_is_box_like) */
} tessel_method;

/*
 * Integer paths (the math contract for u8 and u16 inputs)
 *   Method RUNNING sums u8 and u16 samples in int32, exactly, whenever every
 *   window's sum fits (max sample x kh x kw <= 2^31 - 1) and, for the
 *   CONSTANT border, cval is an integer sample value; otherwise, and for f32
 *   inputs, in double (exact for integers too; f32 results within 1e-5 over
 *   any signal length). The sum S becomes (float)S * f, f the product of the
 *   kernel's constant factors, then scale, offset, absolute value and the
 *   output conversion as for every method. Both backends compute it so: for
 *   integer inputs the OpenCL result equals the CPU's bit for bit, tiled or
 *   not.
 *   Methods DIRECT and SEPARABLE on the CPU backend sum u8/u16 samples
 *   times 16-bit integer taps in int32 (SIMD multiply-adds) when input and
 *   output are u8/u16, the kernel has at most 25 taps (25 per factor), a
 *   CONSTANT border's cval is a sample value, and the taps (each factor's)
 *   are integers times a power of two whose sums stay below 2^23 units
 *   (Sobel, Scharr, Laplacian, binomials, box sums, boxes of power-of-two
 *   area on u8; separable needs column sums within 16 bits, so on u16 only
 *   direct runs it). The sum is then exact, and so is every backend's
 *   float sum: the result is the float path's, bit for bit, on every
 *   backend, and at scale 1 and offset 0 the exactly rounded float64
 *   reference. Plan info's integer_path says so. Everything else sums in
 *   float: integer outputs within 1 level of the float64 reference.
 */

typedef struct tessel_conv_options {
    uint32_t struct_size; /* sizeof(tessel_conv_options); 0 = this version */
    tessel_mode mode;     /* default SAME */
    tessel_border border; /* default REFLECT */
    double cval;          /* value outside the image for CONSTANT, in input units; default 0 */
    int correlate;        /* default 0 = convolution (kernel flipped); 1 = correlation */
    int stride_x;         /* default 0 = 1: keep every column of the dense output */
    int stride_y;         /* default 0 = 1 */
    int anchor_set;       /* default 0; 1 = use anchor_x/y (SAME mode only) */
    int anchor_x;         /* kernel column aligned with the output pixel */
    int anchor_y;         /* kernel row aligned with the output pixel */
    tessel_method method; /* default AUTO */
    double scale;         /* output = scale*sum + offset; default 0 = 1.0 */
    double offset;        /* default 0 */
    int absolute;         /* default 0; 1 = |scale*sum + offset| before conversion */
} tessel_conv_options;

/* Output size of a 2-D convolution of a width x height image (strides included). */
TESSEL_API tessel_status tessel_conv_output_size(int width, int height,
                                                 const tessel_kernel *kernel,
                                                 const tessel_conv_options *options,
                                                 int *out_width, int *out_height);

/* Output length (strides included) of tessel_convolve1d over a signal of
 * `length` samples with a 1-D kernel (NumPy's rule for a longer kernel). */
TESSEL_API tessel_status tessel_conv1d_output_size(int length, const tessel_kernel *kernel,
                                                   const tessel_conv_options *options,
                                                   int *out_length);

/*
 * dst = src (*) kernel. dst must have the output size, src's channel count,
 * and any dtype (u8/u16 outputs round to nearest and saturate). options may
 * be NULL. dst must not overlap src. dst is written only on success.
 */
TESSEL_API tessel_status tessel_convolve2d(tessel_context *context, const tessel_image *src,
                                           const tessel_kernel *kernel,
                                           const tessel_conv_options *options,
                                           tessel_image *dst);

/*
 * 1-D convolution with numpy.convolve semantics: for modes SAME, FULL and
 * VALID with border CONSTANT and cval 0 the result equals numpy.convolve's.
 * src is one row (height 1) of `width` samples; the kernel must be 1-D
 * (1 x N or N x 1). stride_y and anchor_y are ignored. As in NumPy, a kernel
 * of M taps longer than the signal of N samples swaps the two: SAME gives
 * max(M, N) = M samples and VALID |M - N| + 1, each a slice of the FULL
 * output (VALID from sample N - 1; SAME centred, from sample (N - 1) / 2,
 * or N / 2 with correlate), so every border rule still applies to the
 * signal. An explicit anchor (SAME) keeps N samples. dst has the length
 * tessel_conv1d_output_size gives.
 */
TESSEL_API tessel_status tessel_convolve1d(tessel_context *context, const tessel_image *src,
                                           const tessel_kernel *kernel,
                                           const tessel_conv_options *options,
                                           tessel_image *dst);
/* Batched 1-D: each of src's rows convolved independently with one kernel
 * (the rules of tessel_convolve1d for each row). */
TESSEL_API tessel_status tessel_convolve1d_rows(tessel_context *context,
                                                const tessel_image *src,
                                                const tessel_kernel *kernel,
                                                const tessel_conv_options *options,
                                                tessel_image *dst);

/* ------------------------------------------------------------------- plans */

/*
 * A plan fixes the input shape (width, height, channels, dtype), the output
 * dtype, the kernel and the options; everything expensive is done once at
 * creation. Execute it on any number of images of that shape (row strides may
 * differ between calls). The kernel is copied: it may be destroyed after.
 */
typedef struct tessel_plan tessel_plan;

typedef struct tessel_plan_properties {
    uint32_t struct_size;   /* set by the caller: sizeof(tessel_plan_properties) or 0 */
    tessel_backend backend; /* CPU or OPENCL */
    const char *backend_name;
    const char *device_name;
    tessel_method method;   /* never AUTO */
    const char *method_name;
    const char *method_reason; /* why this method, e.g. "kernel is rank 1" */
    int in_width, in_height, channels;
    tessel_dtype in_dtype, out_dtype;
    int out_width, out_height;
    int kernel_width, kernel_height;
    int threads;            /* CPU workers used (1 for OpenCL) */
    /* Tiling (see "Images larger than the device" above tessel_plan_create):
     * the grid of output tiles the plan runs in, 1 x 1 when it runs whole,
     * and the size of a tile in output pixels (the whole output when 1 x 1). */
    int tiles_x, tiles_y;
    int tile_width, tile_height;
    /* The OpenCL kernels it runs (a tiled plan: those of each tile):
     * kernel_family is "tiled" or "vector" for methods direct and separable,
     * "" for the frequency domain and on the CPU backend; kernel_detail names
     * the kernel, its work-group and tile (whether the separable method runs
     * fused or in two passes, and why), or the transforms; "" on the CPU. */
    const char *kernel_family;
    const char *kernel_detail;
    /* 1 when the plan sums u8/u16 samples exactly in integers (see
     * "Integer paths" above tessel_conv_options): direct and separable's
     * integer path, or running's int32 sums; 0 when it sums in float. */
    int integer_path;
} tessel_plan_properties;

/*
 * Images larger than the device
 *   On the OpenCL backend a plan whose input, output and workspace (the
 *   separable temporary, FFT planes and spectra) do not fit the device's
 *   memory, or need a buffer larger than its largest allocation, runs in
 *   tiles: output tiles with their halo of input, each border-extended on
 *   the host and convolved on the device, two tiles in flight so transfers
 *   overlap compute. The result equals the untiled one (bit for bit for
 *   direct, separable and running on integer inputs, within the FFT
 *   tolerance for fft). method_reason
 *   and tiles_x/tiles_y in tessel_plan_properties say when a plan does.
 *   Only host images can run tiled: tessel_plan_execute_buffers on such a
 *   plan answers TESSEL_ERR_UNSUPPORTED, and a buffer larger than the
 *   memory tessel may use fails to be created.
 *
 *   Environment: TESSEL_DEVICE_MEMORY_LIMIT=BYTES (a number of bytes with
 *   an optional K, M or G suffix, powers of 1024: "512M", "2G") caps the
 *   memory tessel uses on an OpenCL device, read when a context is created.
 *   Without it tessel uses up to 7/8 of the device's global memory. The CPU
 *   backend computes in host memory and ignores it.
 */

/* src_shape: data and stride are ignored; width/height/channels/dtype count. */
TESSEL_API tessel_status tessel_plan_create(tessel_context *context,
                                            const tessel_image *src_shape,
                                            tessel_dtype dst_dtype,
                                            const tessel_kernel *kernel,
                                            const tessel_conv_options *options,
                                            tessel_plan **out_plan);
TESSEL_API tessel_status tessel_plan_execute(tessel_plan *plan, const tessel_image *src,
                                             tessel_image *dst);
/* What the plan will do: backend, device, method and why, sizes. */
TESSEL_API tessel_status tessel_plan_info(const tessel_plan *plan, tessel_plan_properties *info);
/* Accepts NULL. */
TESSEL_API void tessel_plan_destroy(tessel_plan *plan);

/*
 * Images larger than memory: band streaming
 *   tessel_plan_execute_stream runs a plan without either image in memory:
 *   the input comes from a source callback and the output goes to a sink
 *   callback, a band of output rows at a time, so a file far larger than
 *   memory is filtered between a reader and a writer (tessel_io.h:
 *   tessel_tiff_reader and tessel_tiff_writer). The output equals
 *   tessel_plan_execute's: bit for bit for methods direct and separable
 *   (and running on integer inputs),
 *   within the FFT tolerance for fft and fft-block (run on each band).
 *
 *   band_rows: output rows per band; 0 lets tessel choose (about 16 MiB of
 *   band, or the tile height of a plan that runs in tiles of whole rows).
 *
 *   Order: the sink gets every output row exactly once, in increasing
 *   order, in bands of band_rows rows (those of the last band that were
 *   not given before). The source is asked for each input row about once,
 *   mostly in increasing order: bands overlap by the kernel's height less
 *   one row, and tessel keeps those rows instead of asking again. A border
 *   rule that brings rows in from elsewhere asks for them out of order:
 *   wrap asks for the last rows with the first band and for the first rows
 *   with the last, and a kernel taller than the image asks again.
 *
 *   Memory: about twice the input rows of a band and its halo (full input
 *   width), one band of output rows, and the workspace of a plan for one
 *   band (on OpenCL its device buffers), besides what the plan took when
 *   it was created. That is small for methods direct, separable and
 *   fft-block on the CPU; method fft prepares a transform of the whole
 *   image (prefer fft-block for large images), and an OpenCL plan
 *   reserves device buffers for the whole image when they fit the device
 *   (device memory; the stream does not use them).
 *
 *   Callbacks run on the calling thread, one at a time, and return
 *   TESSEL_OK to go on or any other status to stop the run: the stream then
 *   returns that status with the message "the row source failed for rows
 *   Y0..Y1" ("row sink" alike), followed by the message of the tessel call
 *   that failed inside the callback when there was one (what
 *   tessel_last_error() said, e.g. a tessel_tiff_reader's), else by the
 *   status's name. The sink may have received rows before a failure. A
 *   callback may call tessel (readers, writers, other plans of the same
 *   context) but must not destroy or stream the plan that calls it.
 */

/* Fills rows with input rows y0 .. y0 + count - 1: rows->height is count,
 * and rows has the plan's input width, channels and dtype, with tessel's
 * data pointer and row stride (rows->data is writable). */
typedef tessel_status (*tessel_row_source)(void *user, int y0, int count,
                                           const tessel_image *rows);
/* Takes output rows y0 .. y0 + count - 1 (the plan's output width,
 * channels and dtype) from rows, which is valid only during the call. */
typedef tessel_status (*tessel_row_sink)(void *user, int y0, int count,
                                         const tessel_image *rows);

/* Runs the plan from source to sink in bands of band_rows output rows (0 =
 * chosen); see above. */
TESSEL_API tessel_status tessel_plan_execute_stream(tessel_plan *plan, tessel_row_source source,
                                                    void *source_user, tessel_row_sink sink,
                                                    void *sink_user, int band_rows);

/* ---------------------------------------------------------- device buffers */

/*
 * An image resident where the context computes: device memory on the OpenCL
 * backend, host memory on the CPU backend; the same calls work on both.
 * Convolving from buffer to buffer and chaining (Gaussian then Laplacian,
 * Sobel x and y then their magnitude) keeps data on the device. Work on
 * buffers may run asynchronously in submission order: tessel_buffer_download
 * and tessel_finish wait for it. A buffer belongs to its context's thread.
 */
typedef struct tessel_buffer tessel_buffer;

TESSEL_API tessel_status tessel_buffer_create(tessel_context *context, int width, int height,
                                              int channels, tessel_dtype dtype,
                                              tessel_buffer **out_buffer);
/* Accepts NULL. Waits for pending work that uses the buffer. */
TESSEL_API void tessel_buffer_destroy(tessel_buffer *buffer);
/* The buffer's shape (data NULL, stride 0). */
TESSEL_API tessel_status tessel_buffer_shape(const tessel_buffer *buffer, tessel_image *shape);
/* Copies a host image of the buffer's shape in (any row stride). */
TESSEL_API tessel_status tessel_buffer_upload(tessel_buffer *buffer, const tessel_image *src);
/* Waits for pending work, then copies the buffer to a host image of its shape. */
TESSEL_API tessel_status tessel_buffer_download(const tessel_buffer *buffer, tessel_image *dst);

/* Runs a plan from buffer to buffer (shapes as for tessel_plan_execute). */
TESSEL_API tessel_status tessel_plan_execute_buffers(tessel_plan *plan, const tessel_buffer *src,
                                                     tessel_buffer *dst);
/* One-shot convolution between buffers (a plan made and destroyed inside). */
TESSEL_API tessel_status tessel_convolve2d_buffers(tessel_context *context,
                                                   const tessel_buffer *src,
                                                   const tessel_kernel *kernel,
                                                   const tessel_conv_options *options,
                                                   tessel_buffer *dst);

typedef enum tessel_combine_op {
    TESSEL_COMBINE_ADD = 0,      /* a + b */
    TESSEL_COMBINE_SUBTRACT = 1, /* a - b */
    TESSEL_COMBINE_MULTIPLY = 2, /* a * b */
    TESSEL_COMBINE_MAGNITUDE = 3, /* sqrt(a*a + b*b), e.g. of two gradients */
    TESSEL_COMBINE_DIVIDE = 4     /* a / b, and 0 where b == 0 (a ratio, e.g. data over model) */
} tessel_combine_op;

/* dst = op(a, b) sample by sample in float, then converted to dst's dtype
 * (round to nearest, saturate). a, b and dst have the same width, height and
 * channels; dtypes may differ. dst may be a or b. */
TESSEL_API tessel_status tessel_buffer_combine(tessel_context *context, const tessel_buffer *a,
                                               const tessel_buffer *b, tessel_combine_op op,
                                               tessel_buffer *dst);
/* Waits until all work submitted on the context has finished. */
TESSEL_API tessel_status tessel_finish(tessel_context *context);

/*
 * OpenCL interop (TESSEL_ERR_UNSUPPORTED on the CPU backend). The pointers
 * are cl_mem and cl_command_queue, typed void * so this header does not need
 * the OpenCL headers.
 *   tessel_buffer_wrap_cl: a buffer over the application's cl_mem (retained
 *     until the buffer is destroyed) holding height rows of row_pitch bytes;
 *     it must belong to the context's OpenCL context.
 *   tessel_context_cl_queue: the context's command queue (not retained), to
 *     order the application's own work with tessel's.
 *   To run on the application's queue (its context and device), create the
 *   context with tessel_context_options.cl_queue set.
 */
TESSEL_API tessel_status tessel_buffer_wrap_cl(tessel_context *context, void *cl_mem, int width,
                                               int height, int channels, tessel_dtype dtype,
                                               size_t row_pitch, tessel_buffer **out_buffer);
TESSEL_API tessel_status tessel_context_cl_queue(const tessel_context *context, void **queue);

/* Names for messages and command lines: "same", "reflect", "separable", ... */
TESSEL_API const char *tessel_mode_name(tessel_mode mode);
TESSEL_API const char *tessel_border_name(tessel_border border);
TESSEL_API const char *tessel_method_name(tessel_method method);

/* ------------------------------------------------------------------ tuning */

/*
 * Method AUTO picks the method with the least estimated time by a cost
 * model of the context's backend; plan info's method_reason gives the
 * estimates. The model's constants come from a profile that tessel_tune
 * measures on the context's device, else from built-in defaults (measured
 * on one machine for the CPU backend and CPU OpenCL devices, conservative
 * guesses for GPUs). A profile is stored in tessel's cache folder
 * (TESSEL_CACHE_DIR, else $XDG_CACHE_HOME/tessel, else ~/.cache/tessel; an
 * empty TESSEL_CACHE_DIR turns it off), keyed by backend, device name and
 * thread count; every context with that key uses it from then on. A
 * profile that does not parse or names another device is ignored, with a
 * warning through the log.
 */
typedef struct tessel_tune_options {
    uint32_t struct_size; /* sizeof(tessel_tune_options); 0 = this version */
    int quick;            /* default 0: about a minute of measurements at most;
                             1: a few seconds, a coarser fit */
} tessel_tune_options;

typedef struct tessel_tune_result {
    uint32_t struct_size;   /* set by the caller: sizeof(tessel_tune_result) or 0 */
    int cases;              /* shapes timed */
    double seconds;         /* time the measurements took */
    double median_error;    /* median of |estimate - measured| / measured over the cases */
    double max_error;       /* the largest of those */
    char profile_path[512]; /* where the profile was stored ("" when it was not) */
    char summary[1024];     /* the fitted constants, one line per method */
} tessel_tune_result;

/*
 * Times each method on a few shapes on the context's backend and device
 * (with its thread count), fits the cost model's constants and stores them
 * as the profile for this backend, device and thread count. The context is
 * busy for the whole time (seconds; see quick). options and result may be
 * NULL. TESSEL_ERR_IO when the profile cannot be stored (no cache folder,
 * or it cannot be written); result is filled in that case too.
 */
TESSEL_API tessel_status tessel_tune(tessel_context *context, const tessel_tune_options *options,
                                     tessel_tune_result *result);

/* ------------------------------------------------------- temporary files
 *
 * Every file tessel writes (images, cost profiles, compiled programs) goes
 * to a temporary file beside it, ".NAME.tessel-PID-XXXXXXXX" (NAME cut
 * short when the whole would be too long a name), renamed into place when
 * complete. While written, the writing process holds a lock on it.
 */

/* Removes the temporary files of the writes in progress in this process.
 * Async-signal-safe: for a signal handler of SIGINT, SIGTERM, SIGHUP that
 * then ends the process (the writes it interrupts can only fail). */
TESSEL_API void tessel_remove_temporary_files(void);

typedef void (*tessel_removed_fn)(void *user, const char *path);

/* Removes the temporary files of tessel's naming in folder ("" is the
 * current folder) that a killed process left: their process is gone and
 * nobody holds their lock. removed (may be NULL) is called with each path
 * removed. A folder that does not exist holds none: TESSEL_OK. */
TESSEL_API tessel_status tessel_remove_stale_temporary_files(const char *folder,
                                                             tessel_removed_fn removed,
                                                             void *user);

#ifdef __cplusplus
}
#endif

#endif /* TESSEL_TESSEL_H */
