/* Copies with non-temporal stores (stream_copy.h). SSE2's 16-byte
 * streaming store is part of x86-64 itself; elsewhere it is memcpy. */
#include "stream_copy.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <emmintrin.h>

void tessel_stream_copy(void *dst, const void *src, size_t bytes)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    const size_t head = (16 - ((uintptr_t)d & 15)) & 15;
    if (bytes < head + 64) {
        memcpy(d, s, bytes);
        return;
    }
    memcpy(d, s, head);
    d += head, s += head, bytes -= head;
    for (; bytes >= 64; d += 64, s += 64, bytes -= 64) {
        _mm_stream_si128((__m128i *)d, _mm_loadu_si128((const __m128i *)s));
        _mm_stream_si128((__m128i *)(d + 16), _mm_loadu_si128((const __m128i *)(s + 16)));
        _mm_stream_si128((__m128i *)(d + 32), _mm_loadu_si128((const __m128i *)(s + 32)));
        _mm_stream_si128((__m128i *)(d + 48), _mm_loadu_si128((const __m128i *)(s + 48)));
    }
    memcpy(d, s, bytes);
    _mm_sfence();
}
#else
void tessel_stream_copy(void *dst, const void *src, size_t bytes)
{
    memcpy(dst, src, bytes);
}
#endif
