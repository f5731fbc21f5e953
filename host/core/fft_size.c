/* Smooth transform lengths (see fft_size.h). */
#include "fft_size.h"

#include <limits.h>

/* Every 3^b 5^c 7^d up to the first one >= n, each raised by powers of 2 to
 * the least multiple >= n; the smallest of those wins. All values stay below
 * 14n, far inside long long. */
int tessel_fft_smooth_size(int n)
{
    if (n < 1) return -1;
    long long best = LLONG_MAX;
    for (long long p7 = 1;; p7 *= 7) {
        for (long long p5 = p7;; p5 *= 5) {
            for (long long p3 = p5;; p3 *= 3) {
                long long v = p3;
                while (v < n) v *= 2;
                if (v < best) best = v;
                if (p3 >= n) break;
            }
            if (p5 >= n) break;
        }
        if (p7 >= n) break;
    }
    return best <= INT_MAX ? (int)best : -1;
}
