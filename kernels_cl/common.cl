/* Shared by every tessel program: border index maps and output conversion.
 * Build options (-D) used here:
 *   OUT_T, OUT_KIND  output sample type: float (0), uchar (1), ushort (2)
 * Borders: 0 reflect, 1 constant, 2 nearest, 3 mirror, 4 wrap (tessel_border). */

/* Index in [0, n) that border rule b gives position p, or -1 (constant). */
inline int border_index(int b, long p, long n)
{
    if (p >= 0 && p < n) return (int)p;
    switch (b) {
    case 1: return -1;
    case 2: return p < 0 ? 0 : (int)(n - 1);
    case 4: {
        long m = p % n;
        return (int)(m < 0 ? m + n : m);
    }
    case 0: {
        long period = 2 * n, m = p % period;
        if (m < 0) m += period;
        return (int)(m < n ? m : period - 1 - m);
    }
    default: {
        if (n == 1) return 0;
        long period = 2 * n - 2, m = p % period;
        if (m < 0) m += period;
        return (int)(m < n ? m : period - m);
    }
    }
}

/* scale, offset, |.|, then round to nearest and saturate exactly as the CPU
 * backend does (clamp, add 0.5, truncate; NaN becomes 0). */
inline OUT_T convert_output(float v, float scale, float offset, int absolute)
{
    v = v * scale + offset;
    if (absolute) v = fabs(v);
#if OUT_KIND == 0
    return v;
#else
#if OUT_KIND == 1
    const float hi = 255.0f;
#else
    const float hi = 65535.0f;
#endif
    v = v > 0.0f ? v : 0.0f;
    v = v < hi ? v : hi;
    return (OUT_T)(v + 0.5f);
#endif
}
